"""The queue API: kiosks and displays as devices, clerks by session, the public ticket and
booking endpoints, idempotency keys, Chinese errors naming the field, and the OpenAPI schema."""

import datetime as dt

import pytest
from django.test import Client

from bianmin.identity.models import Device
from bianmin.identity.services import register_device
from bianmin.queueing.models import AppointmentSlot, Ticket

from .conftest import OLD_WANG, TUESDAY

pytestmark = pytest.mark.django_db
API = "/api/v1/queue"
MUCHANG = "341502100000"


@pytest.fixture
def kiosk(manager, muchang, queues):
    _device, token = register_device(manager, center=muchang, kind=Device.Kind.KIOSK, name="取号机")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def display(manager, muchang):
    _device, token = register_device(manager, center=muchang, kind=Device.Kind.DISPLAY, name="大屏")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def clerk_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/queue/", follow=True)  # the desk page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    return client, {"HTTP_X_CSRFTOKEN": token}


def test_a_kiosk_takes_a_ticket_and_the_same_key_twice_gives_one(client, kiosk, entered, opened):
    body = {"item_id": entered["old_age"].pk, "id_number": OLD_WANG}
    headers = {**kiosk, "HTTP_IDEMPOTENCY_KEY": "kiosk-7f3a"}
    first = client.post(
        f"{API}/centers/{MUCHANG}/tickets", body, content_type="application/json", **headers
    )
    again = client.post(
        f"{API}/centers/{MUCHANG}/tickets", body, content_type="application/json", **headers
    )
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and Ticket.objects.count() == 1
    data = first.json()
    assert data["code"] == "B001" and data["lane"] == 1 and data["queue"]["letter"] == "B"
    assert data["ahead"] == 0 and data["estimate_minutes"] == 0
    assert data["url"].endswith(f"/queue/t/{data['public_id']}/")
    assert client.get(f"{API}/tickets/{data['public_id']}").json()["status"] == "waiting"


FRIDAY_EVENING = dt.datetime(2026, 3, 6, 19, 0, tzinfo=TUESDAY.tzinfo)


def _take(client, headers, key=""):
    if key:
        headers = {**headers, "HTTP_IDEMPOTENCY_KEY": key}
    return client.post(
        f"{API}/centers/{MUCHANG}/tickets", {}, content_type="application/json", **headers
    )


def test_a_kiosk_is_refused_a_walk_in_ticket_while_the_center_is_closed_saying_when_it_opens(
    client, kiosk, entered, clock
):
    clock.move_to(FRIDAY_EVENING)
    refused = _take(client, kiosk, "night-1")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "本中心现在不办公，下次办公时间：3月9日（周一）8:30。"
    clock.move_to(dt.datetime(2026, 3, 9, 8, 0, tzinfo=TUESDAY.tzinfo))  # Monday, before 8:30
    assert _take(client, kiosk, "night-2").status_code == 409
    assert Ticket.objects.count() == 0
    clock.move_to(dt.datetime(2026, 3, 9, 8, 30, tzinfo=TUESDAY.tzinfo))
    assert _take(client, kiosk, "night-2").status_code == 201 and Ticket.objects.count() == 1


def test_a_kiosk_retry_across_closing_time_finds_the_ticket_already_taken(client, kiosk, clock):
    clock.move_to(dt.datetime(2026, 3, 3, 17, 29, 59, tzinfo=TUESDAY.tzinfo))
    first = _take(client, kiosk, "edge")
    clock.move_to(dt.datetime(2026, 3, 3, 17, 30, 1, tzinfo=TUESDAY.tzinfo))
    again = _take(client, kiosk, "edge")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and Ticket.objects.count() == 1


def test_at_lunch_a_kiosk_ticket_is_taken_and_waits_for_the_afternoon(client, kiosk, clock):
    clock.move_to(dt.datetime(2026, 3, 3, 12, 30, tzinfo=TUESDAY.tzinfo))
    assert _take(client, kiosk, "lunch").status_code == 201


def test_the_clerk_may_still_issue_through_the_api_after_hours(client, manager, queues, clock):
    clock.move_to(FRIDAY_EVENING)
    clerk, csrf = clerk_client(manager)
    assert _take(clerk, csrf).status_code == 201


def test_bad_input_is_answered_in_chinese_naming_the_field(client, kiosk, entered, clock):
    response = client.post(
        f"{API}/centers/{MUCHANG}/tickets",
        {"item_id": entered["old_age"].pk, "id_number": "3415021948"},
        content_type="application/json",
        **kiosk,
    )
    assert response.status_code == 422
    assert "id_number" in response.json()["errors"]
    assert response.json()["detail"].startswith("身份证号码")
    response = client.post(
        f"{API}/centers/{MUCHANG}/tickets",
        {"item_id": 999999},
        content_type="application/json",
        **kiosk,
    )
    assert response.status_code == 422 and "item_id" in response.json()["errors"]


def test_a_device_of_another_center_or_no_device_gets_nothing(client, kiosk, maotanchang):
    code = maotanchang.region.code
    assert (
        client.post(
            f"{API}/centers/{code}/tickets", {}, content_type="application/json", **kiosk
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"{API}/centers/{MUCHANG}/tickets", {}, content_type="application/json"
        ).status_code
        == 401
    )


def test_a_display_reads_the_board_but_cannot_issue(client, display, queues):
    board = client.get(f"{API}/centers/{MUCHANG}/board", **display)
    assert board.status_code == 200 and [q["letter"] for q in board.json()["queues"]] == [
        "A",
        "B",
        "C",
        "D",
    ]
    response = client.post(
        f"{API}/centers/{MUCHANG}/tickets", {}, content_type="application/json", **display
    )
    assert response.status_code == 403


def test_a_clerk_calls_starts_and_finishes_through_the_api(kiosk, client, entered, staff, opened):
    client.post(
        f"{API}/centers/{MUCHANG}/tickets",
        {"item_id": entered["pension"].pk},
        content_type="application/json",
        **kiosk,
    )
    zhang, csrf = clerk_client(staff["张敏"])
    called = zhang.post(f"{API}/centers/{MUCHANG}/windows/3/call", **csrf)
    assert called.status_code == 200 and called.json()["call_text"] == "请C001号到3号窗口办理"
    pk = called.json()["id"]
    assert (
        zhang.post(f"{API}/centers/{MUCHANG}/windows/3/call", **csrf).status_code == 422
    )  # window busy
    assert (
        zhang.post(f"{API}/centers/{MUCHANG}/tickets/{pk}/start", **csrf).json()["status"]
        == "serving"
    )
    finished = zhang.post(
        f"{API}/centers/{MUCHANG}/tickets/{pk}/finish",
        {
            "outcome": "referred",
            "referred_to": "区医保局",
            "contact_name": "王",
            "contact_mobile": "13905641234",
        },
        content_type="application/json",
        **csrf,
    )
    assert finished.status_code == 200 and finished.json()["status"] == "done"
    assert zhang.post(f"{API}/centers/{MUCHANG}/windows/3/call", **csrf).status_code == 204
    visit = Ticket.objects.get(pk=pk).visit
    data = zhang.get(f"{API}/centers/{MUCHANG}/visits/{visit.pk}").json()
    assert data["first_responder"] == "张敏" and data["contact_mobile"] == "139****1234"
    assert [h["kind"] for h in data["history"]] == ["issued", "called", "started", "finished"]


def test_writes_with_a_session_need_the_csrf_token(staff, opened):
    zhang, _csrf = clerk_client(staff["张敏"])
    assert zhang.post(f"{API}/centers/{MUCHANG}/windows/3/call").status_code in (401, 403)


def test_calling_from_a_closed_window_through_the_api_is_refused(windows, staff, queues):
    zhang, csrf = clerk_client(staff["张敏"])
    response = zhang.post(f"{API}/centers/{MUCHANG}/windows/3/call", **csrf)
    assert response.status_code == 422 and "未开启" in response.json()["detail"]


def test_transfer_hold_and_call_back(kiosk, client, entered, staff, opened):
    client.post(
        f"{API}/centers/{MUCHANG}/tickets", {}, content_type="application/json", **kiosk
    )  # A001
    wang, csrf = clerk_client(staff["王芳"])
    pk = wang.post(f"{API}/centers/{MUCHANG}/windows/1/call", **csrf).json()["id"]
    held = wang.post(
        f"{API}/centers/{MUCHANG}/tickets/{pk}/hold",
        {"note": "补材料"},
        content_type="application/json",
        **csrf,
    )
    assert held.json()["status"] == "held"
    back = wang.post(
        f"{API}/centers/{MUCHANG}/tickets/{pk}/call-back",
        {"window": 1},
        content_type="application/json",
        **csrf,
    )
    assert back.json()["status"] == "called" and back.json()["window"] == 1
    moved = wang.post(
        f"{API}/centers/{MUCHANG}/tickets/{pk}/transfer",
        {"queue": "C", "note": "社保业务"},
        content_type="application/json",
        **csrf,
    )
    assert moved.json()["queue"]["letter"] == "C" and moved.json()["code"] == "A001"
    bad = wang.post(
        f"{API}/centers/{MUCHANG}/tickets/{pk}/transfer",
        {"queue": "Z"},
        content_type="application/json",
        **csrf,
    )
    assert bad.status_code == 422 and "queue" in bad.json()["errors"]


def test_slots_booking_and_check_in(client, kiosk, muchang, queues, clock):
    AppointmentSlot.objects.create(
        center=muchang,
        queue=queues["C"],
        day=TUESDAY.date(),
        starts=dt.time(9, 30),
        ends=dt.time(10),
        capacity=1,
    )
    slots = client.get(f"{API}/centers/{MUCHANG}/slots?day=2026-03-03").json()
    assert slots[0]["free"] == 1
    body = {"slot_id": slots[0]["id"], "name": "王建国", "id_number": OLD_WANG}
    booked = client.post(
        f"{API}/centers/{MUCHANG}/appointments",
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="p-1",
    )
    assert booked.status_code == 201
    code = booked.json()["code"]
    full = client.post(
        f"{API}/centers/{MUCHANG}/appointments",
        {**body, "id_number": "110101199001011237", "name": "李四"},
        content_type="application/json",
    )
    assert full.status_code == 422 and "约满" in full.json()["detail"]
    clock.shift(dt.timedelta(minutes=10))
    ticket = client.post(
        f"{API}/centers/{MUCHANG}/checkin", {"code": code}, content_type="application/json", **kiosk
    )
    assert ticket.status_code == 200 and ticket.json()["lane"] == 0
    assert client.get(f"{API}/appointments/{code}").json()["status"] == "checked_in"


def test_figures_and_settings(manager, staff, entered, opened, kiosk, client):
    client.post(
        f"{API}/centers/{MUCHANG}/tickets",
        {"item_id": entered["pension"].pk},
        content_type="application/json",
        **kiosk,
    )
    boss, csrf = clerk_client(manager)
    figures = boss.get(f"{API}/centers/{MUCHANG}/figures").json()
    assert figures["summary"]["issued"] == 1
    changed = boss.put(
        f"{API}/centers/{MUCHANG}/settings",
        {"priority_cap": 3},
        content_type="application/json",
        **csrf,
    )
    assert changed.json()["priority_cap"] == 3
    refused = boss.put(
        f"{API}/centers/{MUCHANG}/settings",
        {"priority_cap": 0},
        content_type="application/json",
        **csrf,
    )
    assert refused.status_code == 422 and "priority_cap" in refused.json()["errors"]
    zhang, csrf = clerk_client(staff["张敏"])
    assert (
        zhang.put(
            f"{API}/centers/{MUCHANG}/settings",
            {"priority_cap": 3},
            content_type="application/json",
            **csrf,
        ).status_code
        == 403
    )


def test_the_openapi_schema_describes_the_queue(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert f"{API}/centers/{{code}}/tickets" in paths
    assert f"{API}/centers/{{code}}/windows/{{number}}/call" in paths
    ticket = schema["components"]["schemas"]["TicketOut"]
    assert {"code", "ahead", "estimate_minutes", "window"} <= set(ticket["properties"])


def test_a_ticket_of_another_center_or_another_window_is_not_touched(
    kiosk, client, entered, staff, opened, make_user, maotanchang
):
    client.post(
        f"{API}/centers/{MUCHANG}/tickets",
        {"item_id": entered["pension"].pk},
        content_type="application/json",
        **kiosk,
    )
    zhang, csrf = clerk_client(staff["张敏"])
    pk = zhang.post(f"{API}/centers/{MUCHANG}/windows/3/call", **csrf).json()["id"]
    # Another clerk of this center, not at window 3:
    liu, csrf2 = clerk_client(staff["刘洋"])
    assert (
        liu.post(
            f"{API}/centers/{MUCHANG}/tickets/{pk}/finish",
            {},
            content_type="application/json",
            **csrf2,
        ).status_code
        == 403
    )
    # The ticket under another center's code:
    other = make_user("window_clerk", center=maotanchang)
    stranger, csrf3 = clerk_client(other)
    code = maotanchang.region.code
    assert stranger.post(f"{API}/centers/{code}/tickets/{pk}/start", **csrf3).status_code == 404
    assert Ticket.objects.get(pk=pk).status == "called"


def test_a_ticket_cycle_takes_a_bounded_number_of_queries(
    client, kiosk, entered, staff, opened, django_assert_max_num_queries
):
    """The load benchmark's cycle (docs/benchmarks.md, Queue): what each request costs in
    database round trips, warm caches, savepoints included; on PostgreSQL one more for the push
    (``pg_notify`` in the transaction). A regression here is a regression of the benchmark."""
    from django.db import connection

    push = 1 if connection.vendor == "postgresql" else 0
    zhang, csrf = clerk_client(staff["张敏"])

    def cycle(key: str) -> int:
        issued = client.post(
            f"{API}/centers/{MUCHANG}/tickets",
            {"item_id": entered["pension"].pk},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=key,
            **kiosk,
        )
        assert issued.status_code == 201
        pk = zhang.post(f"{API}/centers/{MUCHANG}/windows/3/call", **csrf).json()["id"]
        zhang.post(f"{API}/centers/{MUCHANG}/tickets/{pk}/start", **csrf)
        zhang.post(
            f"{API}/centers/{MUCHANG}/tickets/{pk}/finish",
            {"outcome": "enquiry"},
            content_type="application/json",
            **csrf,
        )
        return pk

    cycle("warm-up")  # the per-process caches fill on the first cycle
    with django_assert_max_num_queries(11 + push):
        client.post(
            f"{API}/centers/{MUCHANG}/tickets",
            {"item_id": entered["pension"].pk},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="k2",
            **kiosk,
        )
    with django_assert_max_num_queries(12 + push):
        pk = zhang.post(f"{API}/centers/{MUCHANG}/windows/3/call", **csrf).json()["id"]
    with django_assert_max_num_queries(7 + push):
        assert zhang.post(f"{API}/centers/{MUCHANG}/tickets/{pk}/start", **csrf).status_code == 200
    with django_assert_max_num_queries(8 + push):
        finished = zhang.post(
            f"{API}/centers/{MUCHANG}/tickets/{pk}/finish",
            {"outcome": "enquiry"},
            content_type="application/json",
            **csrf,
        )
        assert finished.status_code == 200
