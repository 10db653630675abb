"""远程取号 and 预约 from the portal, through the queue's services."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from bianmin.hall import services as hall
from bianmin.identity.roles import Role
from bianmin.portal import services, sms
from bianmin.queueing import services as queue
from bianmin.queueing.models import Appointment, Ticket
from bianmin.workdays.services import add_working_days

from .conftest import WANG_MOBILE

pytestmark = pytest.mark.django_db
MUCHANG = "341502100000"
SHANGHAI = ZoneInfo("Asia/Shanghai")
TUESDAY_MORNING = dt.datetime(2026, 3, 3, 9, 0, tzinfo=SHANGHAI)  # open (8:30–12:00)
FRIDAY_EVENING = dt.datetime(2026, 3, 6, 19, 0, tzinfo=SHANGHAI)  # closed until Monday 8:30


@pytest.fixture
def hall_ready(make_user, muchang, online_item):
    manager = make_user(Role.CENTER_MANAGER, center=muchang)
    hall.apply_template(manager, muchang)
    hall.set_weekday_hours(manager, muchang, *hall.DEFAULT_HOURS)
    queue.ensure_queues(muchang)
    day = add_working_days(timezone.localdate(), 1).date
    queue.generate_slots(manager, muchang, days=[day], minutes=30, capacity=1)
    return day


def login(client):
    client.post("/portal/login/", {"mobile": WANG_MOBILE, "action": "send"})
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group(0)
    client.post("/portal/login/", {"mobile": WANG_MOBILE, "code": code, "action": "verify"})


@time_machine.travel(TUESDAY_MORNING, tick=False)
def test_a_ticket_taken_from_afar_is_the_persons_and_taken_once(
    client, citizen, hall_ready, online_item, muchang
):
    login(client)
    response = client.post(f"/portal/guides/{online_item.basic_code}/ticket/", {"center": MUCHANG})
    ticket = Ticket.objects.get()
    assert response["Location"] == f"/queue/t/{ticket.public_id}/"
    assert ticket.channel == "portal" and ticket.person == citizen.person
    assert ticket.item == online_item
    again = services.take_ticket(citizen, center=muchang, item=online_item)
    assert again == ticket and Ticket.objects.count() == 1


def test_a_booking_from_the_portal_and_a_full_slot(
    client, citizen, hall_ready, online_item, muchang, make_user
):
    login(client)
    page = client.get(
        f"/portal/guides/{online_item.basic_code}/book/?center={MUCHANG}&day={hall_ready}"
    ).content.decode()
    slot = re.findall(r'name="slot" value="(\d+)"', page)[0]
    response = client.post(
        f"/portal/guides/{online_item.basic_code}/book/?center={MUCHANG}",
        {"slot": slot, "idempotency_key": "k1"},
    )
    booking = Appointment.objects.get()
    assert booking.person == citizen.person and booking.channel == "portal"
    assert booking.code in response.content.decode()
    assert booking.code in client.get("/portal/me/").content.decode()
    # the slot (capacity 1) is now full for someone else
    from bianmin.identity.services import register_person

    from .conftest import id_number

    other = make_user(Role.CITIZEN)
    register_person(name="李秀英", id_number=id_number("19920708", "246"), user=other)
    client.force_login(other)
    full = client.post(
        f"/portal/guides/{online_item.basic_code}/book/?center={MUCHANG}",
        {"slot": slot, "idempotency_key": "k2"},
    )
    assert full.status_code == 400 and 'role="alert"' in full.content.decode()
    assert Appointment.objects.count() == 1


def test_remote_actions_need_a_login(client, online_item):
    response = client.post(f"/portal/guides/{online_item.basic_code}/ticket/", {"center": MUCHANG})
    assert response["Location"].startswith("/portal/login/")


@time_machine.travel(FRIDAY_EVENING, tick=False)
def test_a_ticket_from_afar_is_refused_while_the_center_is_closed_saying_when_it_opens(
    client, citizen, hall_ready, online_item
):
    login(client)
    response = client.post(
        f"/portal/guides/{online_item.basic_code}/ticket/", {"center": MUCHANG}, follow=True
    )
    assert Ticket.objects.count() == 0
    page = response.content.decode()
    assert "本中心现在不办公，下次办公时间：3月9日（周一）8:30。" in page


@time_machine.travel(dt.datetime(2026, 3, 3, 12, 30, tzinfo=SHANGHAI), tick=False)
def test_a_ticket_from_afar_at_lunch_waits_for_the_afternoon(
    client, citizen, hall_ready, online_item
):
    login(client)
    client.post(f"/portal/guides/{online_item.basic_code}/ticket/", {"center": MUCHANG})
    assert Ticket.objects.count() == 1


@time_machine.travel(FRIDAY_EVENING, tick=False)
def test_the_24_hour_kiosk_home_says_the_center_is_closed_and_keeps_guides_and_check_in(
    client, hall_ready
):
    page = client.get(f"/portal/kiosk/{MUCHANG}/").content.decode()
    assert "本中心现在不办公，下次办公时间：3月9日（周一）8:30。" in page
    assert f'href="/queue/{MUCHANG}/kiosk/"' not in page  # no 取号 tile while closed
    assert f'href="/portal/kiosk/{MUCHANG}/guides/"' in page
    assert f'href="/queue/{MUCHANG}/kiosk/checkin/"' in page


@time_machine.travel(TUESDAY_MORNING, tick=False)
def test_the_24_hour_kiosk_home_offers_a_number_while_open(client, hall_ready):
    page = client.get(f"/portal/kiosk/{MUCHANG}/").content.decode()
    assert f'href="/queue/{MUCHANG}/kiosk/"' in page and "不办公" not in page
