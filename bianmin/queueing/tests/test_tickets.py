"""取号: a ticket lands in the queue of the window that serves the item, numbered per queue and
day, in the priority lane when the person qualifies, with the people ahead and an estimate."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bianmin.hall import services as hall
from bianmin.identity.models import Device
from bianmin.identity.services import register_device, register_person
from bianmin.queueing import services
from bianmin.queueing.models import Channel, PriorityReason, QueueEvent, Ticket

from .conftest import OLD_WANG, YOUNG, id_number

pytestmark = pytest.mark.django_db


def take(center, **kwargs):
    kwargs.setdefault("channel", Channel.KIOSK)
    return services.issue_ticket(center, **kwargs)


def test_queues_are_derived_from_the_windows_with_a_for_the_enquiry_window(queues, windows):
    assert {letter: q.name for letter, q in queues.items()} == {
        "A": "综合咨询",
        "B": "社会救助类",
        "C": "社会保障类",
        "D": "综合事务类",
    }
    assert list(queues["B"].windows.all()) == [windows[2]]


def test_an_item_lands_in_the_queue_of_the_window_that_serves_it(
    muchang, queues, entered, manager, clock
):
    old_age = take(muchang, item=entered["old_age"], actor=manager)
    pension = take(muchang, item=entered["pension"], actor=manager)
    business = take(muchang, item=entered["business"], actor=manager)
    rare = take(muchang, item=entered["rare"], actor=manager)  # low-frequency: enquiry window
    enquiry = take(muchang, actor=manager)
    assert [t.code for t in (old_age, pension, business, rare, enquiry)] == [
        "B001",
        "C001",
        "D001",
        "A001",
        "A002",
    ]
    assert enquiry.purpose == Ticket.Purpose.ENQUIRY and rare.purpose == Ticket.Purpose.ITEM


def test_a_life_event_served_at_several_windows_goes_to_the_enquiry_window(
    muchang, queues, entered, manager, clock
):
    from bianmin.catalog.models import LifeEvent

    birth = take(muchang, life_event=LifeEvent.objects.get(name="新生儿出生"), actor=manager)
    retire = take(muchang, life_event=LifeEvent.objects.get(name="退休"), actor=manager)
    assert birth.queue.letter == "A"  # 人社 and 市场监管 items: two windows
    assert retire.queue.letter == "C"  # only 人社: its window


def test_numbers_restart_each_day(muchang, queues, entered, manager, clock):
    assert take(muchang, item=entered["old_age"], actor=manager).code == "B001"
    assert take(muchang, item=entered["old_age"], actor=manager).code == "B002"
    clock.shift(dt.timedelta(days=1))
    assert take(muchang, item=entered["old_age"], actor=manager).code == "B001"


def test_an_item_not_entered_at_the_center_is_refused_naming_the_field(
    muchang, queues, entered, manager
):
    with pytest.raises(ValidationError) as error:
        take(muchang, item=entered["elsewhere"], actor=manager)
    assert "item" in error.value.message_dict
    assert (
        "未在" in error.value.message_dict["item"][0]
        or "异地就医备案" in error.value.message_dict["item"][0]
    )


def test_the_same_kiosk_request_sent_twice_with_one_key_gives_one_ticket(
    muchang, queues, entered, manager
):
    first = take(muchang, item=entered["pension"], actor=manager, idempotency_key="k-1")
    second = take(muchang, item=entered["pension"], actor=manager, idempotency_key="k-1")
    assert first.pk == second.pk
    assert Ticket.objects.count() == 1
    assert QueueEvent.objects.filter(kind=QueueEvent.Kind.ISSUED).count() == 1


def test_an_idempotency_key_reused_for_another_item_is_refused(muchang, queues, entered, manager):
    take(muchang, item=entered["pension"], actor=manager, idempotency_key="k-2")
    with pytest.raises(ValidationError) as error:
        take(muchang, item=entered["old_age"], actor=manager, idempotency_key="k-2")
    assert "idempotency_key" in error.value.message_dict


def test_a_kiosk_of_another_center_or_a_display_may_not_issue(
    muchang, maotanchang, queues, entered, manager, make_user
):
    other_manager = make_user("center_manager", center=maotanchang)
    kiosk, _token = register_device(
        other_manager, center=maotanchang, kind=Device.Kind.KIOSK, name="K"
    )
    with pytest.raises(PermissionDenied):
        take(muchang, item=entered["pension"], device=kiosk)
    display, _token = register_device(manager, center=muchang, kind=Device.Kind.DISPLAY, name="D")
    with pytest.raises(PermissionDenied):
        take(muchang, item=entered["pension"], device=display)
    own, _token = register_device(manager, center=muchang, kind=Device.Kind.KIOSK, name="K")
    assert take(muchang, item=entered["pension"], device=own).device == own


def test_a_citizen_may_not_issue_at_the_window_channel(muchang, queues, entered, make_user):
    citizen = make_user("citizen")
    with pytest.raises(PermissionDenied):
        services.issue_ticket(
            muchang, channel=Channel.CLERK, actor=citizen, item=entered["pension"]
        )
    ticket = services.issue_ticket(
        muchang, channel=Channel.PORTAL, actor=citizen, item=entered["pension"]
    )
    assert ticket.channel == Channel.PORTAL


def test_wang_over_60_by_his_identity_number_gets_a_priority_ticket(
    muchang, queues, entered, manager, clock
):
    register_person(name="王建国", id_number=OLD_WANG)
    ticket = take(muchang, item=entered["old_age"], actor=manager, id_number=OLD_WANG)
    assert ticket.lane == Ticket.Lane.PRIORITY
    assert ticket.priority_reason == PriorityReason.ELDERLY
    assert ticket.age == 77 or ticket.age == 78
    assert ticket.person.name == "王建国"
    assert ticket.id_number_masked.startswith("3415") and "*" in ticket.id_number_masked
    young = take(muchang, item=entered["old_age"], actor=manager, id_number=YOUNG)
    assert young.lane == Ticket.Lane.NORMAL and young.person is None


def test_declared_priority_and_center_groups(muchang, queues, entered, manager):
    pregnant = take(muchang, item=entered["pension"], actor=manager, priority="pregnant")
    assert pregnant.lane == Ticket.Lane.PRIORITY and pregnant.priority_reason == "pregnant"
    group = services.add_priority_group(manager, muchang, name="军烈属")
    family = take(muchang, item=entered["pension"], actor=manager, priority_group=group)
    assert family.priority_reason == "group" and family.priority_group == group
    services.retire_priority_group(manager, group)
    with pytest.raises(ValidationError) as error:
        take(muchang, item=entered["pension"], actor=manager, priority_group=group)
    assert "priority_group" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        take(muchang, item=entered["pension"], actor=manager, priority="vip")
    assert "priority" in error.value.message_dict


@pytest.mark.parametrize(
    "bad, words",
    [
        ("34150219480315123", "18"),  # 17 characters
        (OLD_WANG[:-1] + ("0" if OLD_WANG[-1] != "0" else "1"), "校验"),  # wrong check digit
        ("341502194802301234", "出生日期"),  # 30 February
    ],
)
def test_a_wrong_identity_number_is_refused_with_a_chinese_message_naming_the_field(
    muchang, queues, entered, manager, bad, words
):
    with pytest.raises(ValidationError) as error:
        take(muchang, item=entered["old_age"], actor=manager, id_number=bad)
    message = error.value.message_dict["id_number"][0]
    assert message.startswith("身份证号码") and words in message
    assert Ticket.objects.count() == 0


def test_priority_from_the_age_follows_the_centers_setting(
    muchang, queues, entered, manager, clock
):
    sixty_five = id_number("19610101", "321")
    assert take(muchang, item=entered["old_age"], actor=manager, id_number=sixty_five).lane == 1
    services.update_settings(manager, muchang, priority_age=70)
    assert take(muchang, item=entered["old_age"], actor=manager, id_number=sixty_five).lane == 2


def test_wangs_ticket_shows_two_ahead_and_about_eight_minutes(
    muchang, queues, entered, manager, staff, opened, clock
):
    """Journey 1: B007, priority, "前面还有 2 人，约 8 分钟" (window 2 has measured 4 minutes a person)."""
    liu = staff["刘洋"]
    for _ in range(3):  # B001–B003 served today, 4 minutes each at window 2
        take(muchang, item=entered["old_age"], actor=manager)
        ticket = services.call_next(liu, opened[2])
        clock.shift(dt.timedelta(minutes=4))
        services.finish_service(liu, ticket)
    services.update_settings(manager, muchang, default_service_minutes=4)
    take(muchang, item=entered["old_age"], actor=manager, priority="disabled")  # B004, priority
    take(muchang, item=entered["old_age"], actor=manager, priority="veteran")  # B005, priority
    take(muchang, item=entered["old_age"], actor=manager)  # a normal ticket: behind Wang
    wang = take(muchang, item=entered["old_age"], actor=manager, id_number=OLD_WANG)
    assert wang.code == "B007"
    assert wang.ahead_at_issue == 2
    assert wang.estimate_seconds == 8 * 60
    from bianmin.queueing import selectors

    estimate = selectors.ticket_estimate(wang)
    assert (estimate.ahead, estimate.minutes, estimate.servers) == (2, 8, 1)


def test_with_no_window_open_there_is_no_estimate(muchang, queues, entered, manager):
    ticket = take(muchang, item=entered["pension"], actor=manager)
    assert ticket.estimate_seconds is None


def test_issuing_writes_an_event_with_the_channel_and_device(muchang, queues, entered, manager):
    kiosk, _token = register_device(
        manager, center=muchang, kind=Device.Kind.KIOSK, name="大厅1号机"
    )
    ticket = take(muchang, item=entered["pension"], device=kiosk)
    event = QueueEvent.objects.get(ticket=ticket)
    assert (event.kind, event.channel, event.device, event.queue.letter) == (
        "issued",
        "kiosk",
        kiosk,
        "C",
    )


def test_windows_added_later_get_their_own_queue(muchang, queues, manager, domains):
    window = hall.create_window(
        manager, muchang, number=5, name="跨省通办窗口", kind="cross_region"
    )
    letters = [q.letter for q in services.ensure_queues(muchang)]
    assert letters == ["A", "B", "C", "D", "E"]
    assert window.queues.get().name == "跨省通办"
