"""The pages: the kiosk (device or staff), the ticket (QR, 58/80 mm print), the clerk's desk,
the display board and its event stream, appointments, figures and the manager's settings."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from bianmin.identity.models import Device
from bianmin.identity.services import register_device
from bianmin.queueing import services
from bianmin.queueing.models import Channel, Ticket

from .conftest import OLD_WANG, TUESDAY

pytestmark = pytest.mark.django_db
MUCHANG = "341502100000"


@pytest.fixture
def kiosk_client(client, manager, muchang, queues, clock):
    """A paired kiosk at Tuesday 09:00, when the center is open (walk-in tickets are refused
    while it is closed for the day, so the kiosk's tests do not depend on the wall clock)."""
    device, token = register_device(
        manager, center=muchang, kind=Device.Kind.KIOSK, name="大厅取号机"
    )
    response = client.post(reverse("queueing:device"), {"token": token})
    assert response.status_code == 302 and response["Location"].endswith(f"/queue/{MUCHANG}/kiosk/")
    return client


def test_the_kiosk_needs_a_paired_device_or_a_staff_login(client, queues):
    response = client.get(f"/queue/{MUCHANG}/kiosk/")
    assert response.status_code == 403
    assert "取号机" in response.content.decode() or "工作人员" in response.content.decode()


def test_a_wrong_device_token_is_refused_naming_the_field(client):
    response = client.post(reverse("queueing:device"), {"token": "nonsense"})
    assert response.status_code == 400
    assert "设备令牌" in response.content.decode()


def test_at_the_kiosk_wang_picks_his_item_keys_his_number_and_gets_a_priority_ticket(
    kiosk_client, entered, opened
):
    page = kiosk_client.get(f"/queue/{MUCHANG}/kiosk/").content.decode()
    assert "高龄津贴申领" in page and "咨询" in page
    page = kiosk_client.get(
        f"/queue/{MUCHANG}/kiosk/?item={entered['old_age'].pk}"
    ).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)
    data = {"item": entered["old_age"].pk, "id_number": OLD_WANG, "idempotency_key": key}
    first = kiosk_client.post(f"/queue/{MUCHANG}/kiosk/take/", data)
    again = kiosk_client.post(f"/queue/{MUCHANG}/kiosk/take/", data)  # a double tap
    assert first["Location"] == again["Location"]
    assert Ticket.objects.count() == 1
    ticket = Ticket.objects.get()
    assert (
        ticket.channel == Channel.KIOSK and ticket.device.name == "大厅取号机" and ticket.lane == 1
    )
    page = kiosk_client.get(first["Location"]).content.decode()
    assert "B001" in page and "绿色通道" in page and "<svg" in page
    assert "下一位就是您" in page


def test_a_bad_identity_number_at_the_kiosk_shows_the_field_and_keeps_the_choice(
    kiosk_client, entered
):
    response = kiosk_client.post(
        f"/queue/{MUCHANG}/kiosk/take/",
        {"item": entered["old_age"].pk, "id_number": "123", "idempotency_key": "x"},
        follow=True,
    )
    page = response.content.decode()
    assert "身份证号码" in page and "高龄津贴申领" in page
    assert Ticket.objects.count() == 0


def test_a_wrong_check_digit_at_the_kiosk_keeps_the_number_and_shows_the_error_beside_it(
    kiosk_client, entered
):
    wrong = OLD_WANG[:17] + ("0" if OLD_WANG[17] != "0" else "1")
    response = kiosk_client.post(
        f"/queue/{MUCHANG}/kiosk/take/",
        {
            "item": entered["old_age"].pk,
            "id_number": wrong,
            "priority": "disabled",
            "idempotency_key": "x",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'value="{wrong}"' in page  # the typed number is kept
    error = re.search(
        r'<p class="error kiosk-error" id="kiosk-id-error" role="alert"[^>]*>([^<]+)', page
    )
    assert error and error.group(1).startswith("身份证号码")
    assert 'aria-describedby="kiosk-id-error"' in page
    assert 'value="disabled" checked' in page  # the lane chosen is kept too
    assert "msg-success" not in page and "高龄津贴申领" in page
    assert Ticket.objects.count() == 0
    good = kiosk_client.post(
        f"/queue/{MUCHANG}/kiosk/take/",
        {"item": entered["old_age"].pk, "id_number": OLD_WANG, "idempotency_key": "y"},
    )
    assert good.status_code == 302 and Ticket.objects.count() == 1


def test_the_kiosk_ticket_page_leads_back_to_the_start_without_saying_the_case_is_concluded(
    kiosk_client, muchang, entered, manager
):
    ticket = services.issue_ticket(
        muchang, channel=Channel.KIOSK, actor=manager, item=entered["pension"]
    )
    page = kiosk_client.get(f"/queue/t/{ticket.public_id}/?kiosk=1").content.decode()
    home = re.search(r'data-testid="kiosk-home" href="([^"]+)">([^<]+)</a>', page)
    assert home and home.group(1) == f"/queue/{MUCHANG}/kiosk/" and home.group(2) == "返回首页"
    assert "已办结" not in page


def test_the_ticket_prints_on_58_and_80_mm_paper(client, muchang, queues, entered, manager):
    ticket = services.issue_ticket(
        muchang, channel=Channel.KIOSK, actor=manager, item=entered["pension"]
    )
    narrow = client.get(f"/queue/t/{ticket.public_id}/print/?paper=58").content.decode()
    wide = client.get(f"/queue/t/{ticket.public_id}/print/?paper=80").content.decode()
    assert "size: 58mm auto" in narrow and "size: 80mm auto" in wide
    assert "C001" in narrow and "<svg" in narrow


def test_the_ticket_page_is_public_and_its_qr_code_leads_to_it(
    client, muchang, queues, entered, manager
):
    ticket = services.issue_ticket(
        muchang, channel=Channel.KIOSK, actor=manager, item=entered["pension"]
    )
    response = client.get(f"/queue/t/{ticket.public_id}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "C001" in page and "城乡居民基本养老保险参保登记" in page
    assert client.get("/queue/t/not-a-ticket/").status_code == 404


def test_a_citizen_cancels_from_the_ticket_page(client, muchang, queues, entered, manager):
    ticket = services.issue_ticket(
        muchang, channel=Channel.KIOSK, actor=manager, item=entered["pension"]
    )
    client.post(f"/queue/t/{ticket.public_id}/cancel/")
    assert Ticket.objects.get().status == "cancelled"


def test_the_clerk_calls_serves_and_finishes_from_the_desk(
    client, muchang, queues, entered, manager, staff, opened
):
    services.issue_ticket(muchang, channel=Channel.KIOSK, actor=manager, item=entered["pension"])
    client.force_login(staff["张敏"])
    page = client.get(f"/queue/{MUCHANG}/").content.decode()
    assert "3号窗口" in page and "叫号" in page
    response = client.post(f"/queue/{MUCHANG}/windows/3/call/", follow=True)
    page = response.content.decode()
    assert "请C001号到3号窗口办理" in page
    ticket = Ticket.objects.get()
    client.post(f"/queue/{MUCHANG}/windows/3/start/", {"ticket": ticket.pk})
    response = client.post(
        f"/queue/{MUCHANG}/windows/3/finish/",
        {
            "ticket": ticket.pk,
            "outcome": "referred",
            "referred_to": "区人社局",
            "contact_name": "王",
        },
        follow=True,
    )
    assert "联系" in response.content.decode()  # the refusal names the contact field
    client.post(f"/queue/{MUCHANG}/windows/3/finish/", {"ticket": ticket.pk, "outcome": "enquiry"})
    assert Ticket.objects.get().status == "done"


def test_a_bad_contact_mobile_keeps_the_referral_as_typed_and_names_the_field(
    client, muchang, queues, entered, manager, staff, opened
):
    services.issue_ticket(muchang, channel=Channel.KIOSK, actor=manager, item=entered["pension"])
    client.force_login(staff["张敏"])
    client.post(f"/queue/{MUCHANG}/windows/3/call/")
    ticket = Ticket.objects.get()
    typed = {
        "ticket": ticket.pk,
        "outcome": "referred",
        "referred_to": "区人社局三楼",
        "contact_name": "王建国",
        "contact_mobile": "1381234567",  # ten digits
        "note": "社保转移",
    }
    response = client.post(f"/queue/{MUCHANG}/windows/3/finish/", typed)
    assert response.status_code == 400
    page = response.content.decode()
    for value in ("区人社局三楼", "王建国", "1381234567", "社保转移"):
        assert f'value="{value}"' in page
    assert 'value="referred" checked' in page
    error = re.search(r'id="contact-mobile-error" role="alert"[^>]*>([^<]+)', page)
    assert error and error.group(1).startswith("联系手机") and "手机号码" not in error.group(1)
    assert Ticket.objects.get().status == "called"
    response = client.post(
        f"/queue/{MUCHANG}/windows/3/finish/", {**typed, "contact_mobile": "13812345678"}
    )
    assert response.status_code == 302 and Ticket.objects.get().status == "done"


def test_calling_from_a_closed_window_shows_why(client, windows, staff, queues):
    client.force_login(staff["张敏"])
    response = client.post(f"/queue/{MUCHANG}/windows/3/call/", follow=True)
    assert "3号窗口" in response.content.decode()


def test_a_clerk_of_another_center_cannot_use_this_desk(client, make_user, maotanchang, windows):
    client.force_login(make_user("window_clerk", center=maotanchang))
    assert client.get(f"/queue/{MUCHANG}/").status_code == 403
    assert client.post(f"/queue/{MUCHANG}/windows/3/call/").status_code == 403


def test_the_display_board_shows_a_snapshot_and_streams_events(
    client, muchang, queues, entered, manager, staff, opened
):
    services.issue_ticket(muchang, channel=Channel.KIOSK, actor=manager, item=entered["pension"])
    services.call_next(staff["张敏"], opened[3])
    device, token = register_device(manager, center=muchang, kind=Device.Kind.DISPLAY, name="大屏")
    client.post(reverse("queueing:device"), {"token": token})
    page = client.get(f"/queue/{MUCHANG}/display/").content.decode()
    assert "请C001号到3号窗口办理" in page and "board-snapshot" in page
    board = client.get(f"/queue/{MUCHANG}/board.json").json()
    assert board["windows"][2]["ticket"] == "C001"
    response = client.get(f"/queue/{MUCHANG}/events/")
    assert response["Content-Type"].startswith("text/event-stream")
    chunks = iter(response.streaming_content)
    assert next(chunks).decode().startswith("retry: 2000")
    assert '"type":"snapshot"' in next(chunks).decode()
    response.close()


def test_a_display_cannot_issue_tickets(client, muchang, manager, entered, queues):
    device, token = register_device(manager, center=muchang, kind=Device.Kind.DISPLAY, name="大屏")
    client.post(reverse("queueing:device"), {"token": token})
    assert client.get(f"/queue/{MUCHANG}/kiosk/").status_code == 403


def test_the_window_screen_and_the_figures_and_the_settings(
    client, muchang, queues, entered, manager, staff, opened
):
    ticket = services.issue_ticket(
        muchang, channel=Channel.KIOSK, actor=manager, item=entered["pension"]
    )
    ticket = services.call_next(staff["张敏"], opened[3])
    services.finish_service(staff["张敏"], ticket)
    client.force_login(manager)
    assert client.get(f"/queue/{MUCHANG}/windows/3/screen/").status_code == 200
    page = client.get(f"/queue/{MUCHANG}/figures/").content.decode()
    assert "张敏" in page and "3号" in page
    assert client.get(f"/queue/{MUCHANG}/settings/").status_code == 200
    response = client.post(
        f"/queue/{MUCHANG}/settings/",
        {
            "form": "rules",
            "priority_cap": "0",
            "recall_limit": 2,
            "priority_age": 60,
            "checkin_early_minutes": 30,
            "checkin_late_minutes": 15,
            "default_service_minutes": 5,
            "speech_repeat": 2,
        },
    )
    assert response.status_code == 400 and "1" in response.content.decode()
    response = client.post(
        f"/queue/{MUCHANG}/settings/", {"form": "device", "kind": "kiosk", "name": "二号机"}
    )
    assert "二号机" in response.content.decode()
    client.force_login(staff["张敏"])
    assert client.get(f"/queue/{MUCHANG}/settings/").status_code == 403


def test_booking_and_checking_in_through_the_pages(
    client, muchang, queues, entered, manager, clock
):
    client.force_login(manager)
    client.post(
        f"/queue/{MUCHANG}/appointments/",
        {"form": "generate", "from": "2026-03-04", "days": 2, "minutes": 30, "capacity": 1},
    )
    client.logout()
    page = client.get(f"/queue/{MUCHANG}/book/?day=2026-03-04").content.decode()
    slot = re.search(r'name="slot" value="(\d+)"', page).group(1)
    response = client.post(
        f"/queue/{MUCHANG}/book/",
        {"slot": slot, "name": "王建国", "id_number": OLD_WANG, "idempotency_key": "b1"},
    )
    code = re.search(r'data-testid="booking-code">(\w+)<', response.content.decode()).group(1)
    response = client.post(
        f"/queue/{MUCHANG}/book/",
        {
            "slot": slot,
            "name": "李秀英",
            "id_number": "341502199207082460"[:-1] + "X",
            "idempotency_key": "b2",
        },
    )
    assert response.status_code == 400
    clock.move_to(dt.datetime(2026, 3, 4, 8, 25, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    client.force_login(manager)
    response = client.post(
        f"/queue/{MUCHANG}/appointments/", {"form": "checkin", "code": code}, follow=True
    )
    assert (
        "A001" in response.content.decode()
        or "B001" in response.content.decode()
        or "C001" in response.content.decode()
    )


def test_a_center_group_chosen_at_the_kiosk_puts_the_ticket_in_the_priority_lane(
    kiosk_client, entered, manager, muchang
):
    from bianmin.queueing.services import add_priority_group

    group = add_priority_group(manager, muchang, name="烈属")
    page = kiosk_client.get(
        f"/queue/{MUCHANG}/kiosk/?item={entered['pension'].pk}"
    ).content.decode()
    assert f'value="group:{group.pk}"' in page and "烈属" in page
    kiosk_client.post(
        f"/queue/{MUCHANG}/kiosk/take/",
        {"item": entered["pension"].pk, "priority": f"group:{group.pk}", "idempotency_key": "g1"},
    )
    ticket = Ticket.objects.get()
    assert ticket.lane == 1 and ticket.priority_group == group


def test_the_desk_shows_what_other_apps_link_to_the_visit(
    client, muchang, queues, entered, manager, staff, opened
):
    from bianmin.queueing import selectors

    def provider(visit):
        return [("办件登记", f"/cases/new/?visit={visit.pk}")]

    selectors.VISIT_LINK_PROVIDERS.append(provider)
    try:
        services.issue_ticket(
            muchang, channel=Channel.KIOSK, actor=manager, item=entered["pension"]
        )
        ticket = services.call_next(staff["张敏"], opened[3])
        client.force_login(staff["张敏"])
        page = client.get(f"/queue/{MUCHANG}/?window=3").content.decode()
        assert f"/cases/new/?visit={ticket.visit.pk}" in page and "办件登记" in page
    finally:
        selectors.VISIT_LINK_PROVIDERS.remove(provider)


def test_finishing_a_visit_with_a_case_prefills_the_case_opened_from_it(
    client, muchang, queues, entered, manager, staff, opened, monkeypatch
):
    from bianmin.queueing import selectors

    services.issue_ticket(muchang, channel=Channel.KIOSK, actor=manager, item=entered["pension"])
    ticket = services.call_next(staff["张敏"], opened[3])
    client.force_login(staff["张敏"])
    page = client.get(f"/queue/{MUCHANG}/?window=3").content.decode()
    assert 'name="case_reference" value=""' in page  # no case yet: nothing to prefill
    assert 'value="enquiry" checked' in page
    seen = []

    def numbers(visit):
        seen.append(visit.pk)
        return ["MC2026-0007", "MC2026-0008"]

    monkeypatch.setattr(selectors, "visit_case_numbers", numbers)
    page = client.get(f"/queue/{MUCHANG}/?window=3").content.decode()
    assert seen == [ticket.visit.pk]
    assert 'name="case_reference" value="MC2026-0007 MC2026-0008"' in page
    assert 'value="case" checked' in page


def test_the_case_numbers_of_a_visit_come_from_its_cases_oldest_first():
    from bianmin.queueing import selectors

    class Cases:
        def order_by(self, *fields):
            assert fields == ("id",)
            return self

        def values_list(self, field, flat):
            return ["MC2026-0001", "MC2026-0002"]

    class WithCases:
        cases = Cases()

    assert selectors.visit_case_numbers(WithCases()) == ["MC2026-0001", "MC2026-0002"]
    assert selectors.visit_case_numbers(object()) == []


def test_the_ticket_page_says_how_many_are_ahead_and_about_how_long(
    client, muchang, queues, entered, manager, opened
):
    for _ in range(2):
        services.issue_ticket(
            muchang, channel=Channel.KIOSK, actor=manager, item=entered["old_age"]
        )
    ticket = services.issue_ticket(
        muchang, channel=Channel.KIOSK, actor=manager, item=entered["old_age"]
    )
    page = client.get(f"/queue/t/{ticket.public_id}/").content.decode()
    assert "前面还有 2 人，约 10 分钟" in page  # 2 × the assumed 5 minutes, one window open


def test_the_desk_offers_to_open_a_case_for_the_visit_being_served(
    client, muchang, queues, entered, manager, staff, opened
):
    """The cases app registers its links (bianmin/cases/links.py) when it starts: the clerk at
    window 3 sees 开办件 for the visit of the ticket she serves, and only while she serves one."""
    client.force_login(staff["张敏"])
    page = client.get(f"/queue/{MUCHANG}/?window=3").content.decode()
    assert "/cases/new/?visit=" not in page
    services.issue_ticket(muchang, channel=Channel.KIOSK, actor=manager, item=entered["pension"])
    ticket = services.call_next(staff["张敏"], opened[3])
    page = client.get(f"/queue/{MUCHANG}/?window=3").content.decode()
    assert f'href="/cases/new/?visit={ticket.visit.pk}"' in page and "开办件" in page


def test_queue_settings_call_queue_and_device_names_mingcheng_not_a_persons_name(
    client, muchang, queues, manager
):
    client.force_login(manager)
    page = client.get(f"/queue/{MUCHANG}/settings/").content.decode()
    assert '<th scope="col">名称</th>' in page
    assert '<label for="d-name">名称</label>' in page
    assert re.search(r'<label class="sr-only" for="q-\d+">名称</label>', page)
    assert "姓名" not in page


# --- Walk-in tickets only while the center is open --------------------------------------------

FRIDAY_EVENING = dt.datetime(2026, 3, 6, 19, 0, tzinfo=TUESDAY.tzinfo)


def test_the_closed_kiosk_says_when_the_center_opens_and_offers_only_check_in(
    kiosk_client, entered, clock
):
    clock.move_to(FRIDAY_EVENING)
    page = kiosk_client.get(f"/queue/{MUCHANG}/kiosk/").content.decode()
    assert "本中心现在不办公，下次办公时间：3月9日（周一）8:30。" in page
    assert f'href="/queue/{MUCHANG}/kiosk/checkin/"' in page
    assert "高龄津贴申领" not in page and 'data-testid="kiosk-enquiry"' not in page
    # a chosen item (a page left open since the afternoon) leads to the same banner
    page = kiosk_client.get(f"/queue/{MUCHANG}/kiosk/?item={entered['old_age'].pk}")
    assert 'data-testid="kiosk-closed"' in page.content.decode()


def test_a_walk_in_ticket_at_the_kiosk_is_refused_while_closed_and_taken_when_open(
    kiosk_client, entered, clock
):
    data = {"item": entered["old_age"].pk, "id_number": OLD_WANG, "idempotency_key": "n1"}
    clock.move_to(FRIDAY_EVENING)
    refused = kiosk_client.post(f"/queue/{MUCHANG}/kiosk/take/", data)
    assert refused.status_code == 409
    assert "下次办公时间：3月9日（周一）8:30" in refused.content.decode()
    clock.move_to(dt.datetime(2026, 3, 9, 8, 0, tzinfo=TUESDAY.tzinfo))  # Monday, before 8:30
    assert kiosk_client.post(f"/queue/{MUCHANG}/kiosk/take/", data).status_code == 409
    assert Ticket.objects.count() == 0
    clock.move_to(dt.datetime(2026, 3, 9, 8, 30, tzinfo=TUESDAY.tzinfo))
    taken = kiosk_client.post(f"/queue/{MUCHANG}/kiosk/take/", data)
    assert taken.status_code == 302 and Ticket.objects.count() == 1


def test_a_double_tap_across_closing_time_finds_the_ticket_already_taken(
    kiosk_client, entered, clock
):
    data = {"item": entered["pension"].pk, "idempotency_key": "edge"}
    clock.move_to(dt.datetime(2026, 3, 3, 17, 29, 59, tzinfo=TUESDAY.tzinfo))
    first = kiosk_client.post(f"/queue/{MUCHANG}/kiosk/take/", data)
    clock.move_to(dt.datetime(2026, 3, 3, 17, 30, 1, tzinfo=TUESDAY.tzinfo))
    again = kiosk_client.post(f"/queue/{MUCHANG}/kiosk/take/", data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] and Ticket.objects.count() == 1


def test_at_lunch_the_kiosk_gives_tickets_that_wait_for_the_afternoon(kiosk_client, entered, clock):
    clock.move_to(dt.datetime(2026, 3, 3, 12, 30, tzinfo=TUESDAY.tzinfo))
    page = kiosk_client.get(f"/queue/{MUCHANG}/kiosk/").content.decode()
    assert "午间休息，3月3日（周二）14:30起继续叫号" in page and "高龄津贴申领" in page
    taken = kiosk_client.post(
        f"/queue/{MUCHANG}/kiosk/take/", {"item": entered["pension"].pk, "idempotency_key": "l"}
    )
    assert taken.status_code == 302


def test_a_valid_booking_checks_in_at_the_kiosk_before_the_center_opens(
    kiosk_client, muchang, queues, clock
):
    from bianmin.queueing.models import AppointmentSlot

    monday = dt.date(2026, 3, 9)
    slot = AppointmentSlot.objects.create(
        center=muchang,
        queue=queues["C"],
        day=monday,
        starts=dt.time(8, 30),
        ends=dt.time(9),
        capacity=1,
    )
    booking = services.book_appointment(slot, name="王大爷", id_number=OLD_WANG)
    clock.move_to(dt.datetime(2026, 3, 9, 8, 10, tzinfo=TUESDAY.tzinfo))
    assert (
        'data-testid="kiosk-closed"'
        in kiosk_client.get(f"/queue/{MUCHANG}/kiosk/").content.decode()
    )
    response = kiosk_client.post(f"/queue/{MUCHANG}/kiosk/checkin/", {"code": booking.code})
    assert response.status_code == 302
    assert Ticket.objects.get().lane == Ticket.Lane.APPOINTMENT


def test_a_clerk_takes_a_ticket_at_the_desk_whatever_the_hour(
    client, muchang, queues, entered, staff, clock
):
    clock.move_to(FRIDAY_EVENING)
    client.force_login(staff["张敏"])
    client.post(f"/queue/{MUCHANG}/issue/", {"item": entered["pension"].pk, "idempotency_key": "d"})
    assert Ticket.objects.filter(channel=Channel.CLERK).count() == 1
