"""叫号 at the window: the order, the priority cap, refusals, recall and no-show, hold and call
back, transfer with the visit and its first responder, and the away rule (AB岗)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bianmin.hall import services as hall
from bianmin.queueing import services
from bianmin.queueing.models import Channel, QueueEvent, Ticket, Visit

from .conftest import YOUNG

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(muchang, queues, entered, manager, clock):
    def issue(item="pension", **kwargs):
        ticket = services.issue_ticket(
            muchang,
            channel=Channel.KIOSK,
            actor=manager,
            item=entered[item] if item else None,
            **kwargs,
        )
        clock.shift(dt.timedelta(seconds=10))
        return ticket

    return issue


def serve(clerk, window, **finish):
    ticket = services.call_next(clerk, window)
    if ticket is not None:
        services.start_service(clerk, ticket)
        services.finish_service(clerk, ticket, **finish)
    return ticket


def test_tickets_come_to_the_window_in_order_of_arrival(issue, opened, staff):
    codes = [issue().code for _ in range(3)]
    called = [serve(staff["张敏"], opened[3]).code for _ in range(3)]
    assert called == codes == ["C001", "C002", "C003"]
    assert services.call_next(staff["张敏"], opened[3]) is None


def test_priority_first_but_never_more_than_two_in_a_row(issue, opened, staff):
    """Journey 3: 张敏's tickets come in order, priority tickets first but at most two in a row."""
    normal = [issue().code for _ in range(2)]  # C001 C002
    priority = [issue(priority="elderly").code for _ in range(5)]  # C003–C007
    called = [serve(staff["张敏"], opened[3]).code for _ in range(7)]
    assert called == [
        priority[0],
        priority[1],
        normal[0],
        priority[2],
        priority[3],
        normal[1],
        priority[4],
    ]


def test_the_cap_lets_priority_through_when_nobody_else_waits(issue, opened, staff):
    codes = [issue(priority="pregnant").code for _ in range(4)]
    assert [serve(staff["张敏"], opened[3]).code for _ in range(4)] == codes


def test_the_cap_follows_the_centers_setting(issue, opened, staff, manager, muchang):
    services.update_settings(manager, muchang, priority_cap=1)
    normal = issue().code
    first, second = issue(priority="veteran").code, issue(priority="veteran").code
    assert [serve(staff["张敏"], opened[3]).code for _ in range(3)] == [first, normal, second]


def test_calling_from_a_closed_window_is_refused(issue, windows, staff):
    issue()
    with pytest.raises(ValidationError) as error:
        services.call_next(staff["张敏"], windows[3])
    assert error.value.message_dict["window"][0].startswith("窗口：")  # the field, in Chinese
    assert "未开启" in error.value.message_dict["window"][0]
    assert Ticket.objects.get().status == "waiting"


def test_calling_at_a_window_of_another_center_is_refused(issue, opened, make_user, maotanchang):
    stranger = make_user("window_clerk", center=maotanchang)
    with pytest.raises(PermissionDenied):
        services.call_next(stranger, opened[3])


def test_only_the_windows_clerks_may_call_there(issue, opened, staff):
    issue()
    with pytest.raises(PermissionDenied):
        services.call_next(staff["刘洋"], opened[3])  # 刘洋 is neither A nor B of window 3


def test_a_window_holds_one_person_at_a_time(issue, opened, staff):
    issue(), issue()
    first = services.call_next(staff["张敏"], opened[3])
    with pytest.raises(ValidationError) as error:
        services.call_next(staff["张敏"], opened[3])
    assert first.code in error.value.message_dict["window"][0]
    assert Ticket.objects.filter(status="called").count() == 1


def test_a_window_calls_only_its_own_queues(issue, opened, staff):
    issue("old_age")  # B
    assert services.call_next(staff["张敏"], opened[3]) is None
    assert services.call_next(staff["刘洋"], opened[2]).code == "B001"


def test_recall_up_to_the_limit_then_no_show(issue, opened, staff):
    issue()
    zhang = staff["张敏"]
    ticket = services.call_next(zhang, opened[3])
    with pytest.raises(ValidationError) as error:
        services.mark_no_show(zhang, ticket)  # not before the recalls
    assert "recall_count" in error.value.message_dict
    services.recall(zhang, ticket)
    services.recall(zhang, ticket)
    with pytest.raises(ValidationError):
        services.recall(zhang, ticket)  # the limit is 2
    ticket = services.mark_no_show(zhang, ticket)
    assert ticket.status == "no_show" and ticket.visit.outcome == Visit.Outcome.NO_SHOW
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds == ["issued", "called", "recalled", "recalled", "no_show"]


def test_hold_frees_the_window_and_call_back_brings_the_ticket_back(issue, opened, staff):
    issue(), issue()
    zhang = staff["张敏"]
    first = services.call_next(zhang, opened[3])
    services.start_service(zhang, first)
    services.hold(zhang, first, note="去复印户口簿")
    second = services.call_next(zhang, opened[3])
    assert second.code == "C002"
    services.finish_service(zhang, second)
    first = services.call_back(zhang, first, opened[3])
    assert first.status == "called" and first.window == opened[3]
    services.finish_service(zhang, first)
    assert Ticket.objects.get(pk=first.pk).visit.first_responder == zhang


def test_finishing_ends_the_visit_as_enquiry_case_or_referral(issue, opened, staff):
    zhang = staff["张敏"]
    for _ in range(3):
        issue()
    enquiry = serve(zhang, opened[3])
    case = serve(zhang, opened[3], outcome="case", case_reference="2026-0301-0007")
    referral = services.call_next(zhang, opened[3])
    with pytest.raises(ValidationError) as error:
        services.finish_service(zhang, referral, outcome="referred", referred_to="区人社局")
    assert "contact_name" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.finish_service(
            zhang,
            referral,
            outcome="referred",
            referred_to="区人社局",
            contact_name="王",
            contact_mobile="1234",
        )
    assert error.value.message_dict["contact_mobile"][0].startswith("联系手机")
    services.finish_service(
        zhang,
        referral,
        outcome="referred",
        referred_to="区人社局三楼",
        contact_name="王先生",
        contact_mobile="13905641234",
    )
    outcomes = {
        t.code: (t.visit.outcome, t.visit.case_reference, t.visit.contact_mobile_masked)
        for t in Ticket.objects.select_related("visit")
    }
    assert outcomes[enquiry.code] == ("enquiry", "", "")
    assert outcomes[case.code] == ("case", "2026-0301-0007", "")
    assert outcomes[referral.code][0] == "referred"
    assert outcomes[referral.code][2] == "139****1234"
    assert "13905641234" not in Visit.objects.get(outcome="referred").contact_mobile_sealed


def test_a_transfer_keeps_the_number_the_place_the_lane_and_the_first_responder(
    issue, opened, staff
):
    """Zhang (window 3, 社会保障) sends a man to window 2 (社会救助); he keeps his place there."""
    zhang, liu = staff["张敏"], staff["刘洋"]
    mine = issue(priority="disabled")  # C001, priority
    issue("old_age"), issue("old_age")  # B001 B002, already waiting at window 2
    ticket = services.call_next(zhang, opened[3])
    services.start_service(zhang, ticket)
    services.transfer(
        zhang, ticket, to_queue=ticket.center.queues.get(letter="B"), note="需办理残疾人两项补贴"
    )
    ticket.refresh_from_db()
    assert (ticket.code, ticket.queue.letter, ticket.status, ticket.lane) == (
        "C001",
        "B",
        "waiting",
        1,
    )
    again = services.call_next(liu, opened[2])
    assert again.pk == mine.pk  # priority, and queued before B001 and B002
    assert again.visit.first_responder == zhang and again.visit.first_window == opened[3]
    assert Visit.objects.count() == 1
    services.finish_service(liu, again)
    assert (
        QueueEvent.objects.filter(ticket=mine, kind="transferred").get().data["note"]
        == "需办理残疾人两项补贴"
    )


def test_a_transfer_to_a_window_is_called_only_there(issue, opened, staff, windows):
    zhang, li = staff["张敏"], staff["李娜"]
    issue()
    ticket = services.call_next(zhang, opened[3])
    services.transfer(zhang, ticket, to_window=windows[4])
    issue("business")
    assert services.call_next(li, opened[4]).pk == ticket.pk


def test_refused_transfers(issue, opened, staff, queues, maotanchang):
    zhang = staff["张敏"]
    issue()
    ticket = services.call_next(zhang, opened[3])
    with pytest.raises(ValidationError) as error:
        services.transfer(zhang, ticket)
    assert "to_queue" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.transfer(zhang, ticket, to_queue=queues["C"])
    assert "C" in error.value.message_dict["to_queue"][0]


def test_away_the_backups_window_serves_the_posts_tickets_and_they_come_back(
    issue, opened, staff, clock
):
    """Journey 3: 张敏 (window 3) goes to a training; 李娜 at window 4 takes her post's tickets."""
    zhang, li = staff["张敏"], staff["李娜"]
    issue()  # C001
    issue("business")  # D001
    hall.go_away(
        zhang,
        reason="参加业务培训",
        destination="三楼会议室",
        expected_return_at=timezone.now() + dt.timedelta(minutes=40),
    )
    with pytest.raises(ValidationError):
        services.call_next(zhang, opened[3])  # she is away
    assert services.call_next(li, opened[4]).code == "C001"  # her own D001 came later
    services.finish_service(li, Ticket.objects.get(code="C001"))
    assert services.call_next(li, opened[4]).code == "D001"
    services.finish_service(li, Ticket.objects.get(code="D001"))
    issue()  # C002
    hall.come_back(zhang)
    assert services.call_next(li, opened[4]) is None
    assert services.call_next(zhang, opened[3]).code == "C002"


def test_away_with_the_backup_not_at_a_window_the_enquiry_window_serves(
    issue, opened, staff, clock
):
    zhang, li, wang = staff["张敏"], staff["李娜"], staff["王芳"]
    hall.close_window(li, opened[4])
    hall.go_away(
        zhang,
        reason="下村走访",
        destination="新庄村",
        expected_return_at=timezone.now() + dt.timedelta(minutes=20),
    )
    issue()
    assert services.call_next(wang, opened[1]).code == "C001"


def test_a_ticket_is_handled_only_by_the_clerk_who_called_it(issue, opened, staff):
    issue()
    ticket = services.call_next(staff["张敏"], opened[3])
    with pytest.raises(PermissionDenied):
        services.start_service(staff["刘洋"], ticket)


def test_every_change_writes_an_event_and_figures_the_times(issue, opened, staff, clock):
    zhang = staff["张敏"]
    ticket = issue()  # the clock moves on 10 s after each ticket
    clock.shift(dt.timedelta(minutes=4, seconds=50))
    ticket = services.call_next(zhang, opened[3])
    clock.shift(dt.timedelta(seconds=30))
    services.start_service(zhang, ticket)
    clock.shift(dt.timedelta(minutes=4))
    ticket = services.finish_service(zhang, ticket)
    assert ticket.wait_seconds == 5 * 60
    assert ticket.service_seconds == 4 * 60
    assert ticket.window_seconds == 4 * 60 + 30
    assert list(ticket.events.values_list("kind", "actor__full_name")) == [
        ("issued", "陈主任"),
        ("called", "张敏"),
        ("started", "张敏"),
        ("finished", "张敏"),
    ]


def test_appointment_tickets_from_their_slot_are_served_ahead(
    issue, opened, staff, muchang, queues, clock
):
    from bianmin.queueing.models import AppointmentSlot

    zhang = staff["张敏"]
    slot = AppointmentSlot.objects.create(
        center=muchang,
        queue=queues["C"],
        day=dt.date(2026, 3, 3),
        starts=dt.time(9, 30),
        ends=dt.time(10),
        capacity=2,
    )
    booking = services.book_appointment(slot, name="李秀英", id_number=YOUNG)
    walk_in = issue()
    clock.shift(dt.timedelta(minutes=25))  # 09:25: check-in opens at 09:00
    booked = services.check_in(muchang, code=booking.code, actor=zhang, channel=Channel.CLERK)
    later = issue()
    assert services.call_next(zhang, opened[3]).pk == walk_in.pk  # before the slot: by place
    services.finish_service(zhang, Ticket.objects.get(pk=walk_in.pk))
    clock.shift(dt.timedelta(minutes=6))  # 09:31: the slot has begun
    assert services.call_next(zhang, opened[3]).pk == booked.pk
    services.finish_service(zhang, Ticket.objects.get(pk=booked.pk))
    assert services.call_next(zhang, opened[3]).pk == later.pk
