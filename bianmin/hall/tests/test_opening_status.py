"""Whether a center is open at a moment and when it next opens (the kiosk and the portal refuse
walk-in tickets by it): the weekday's hours, only on working days, plus extra duty."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from bianmin.hall import services
from bianmin.hall.models import ExtraDuty
from bianmin.hall.selectors import closed_message, next_opening_text, opening_status
from bianmin.identity.roles import Role

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def hours(make_user, muchang):
    manager = make_user(Role.CENTER_MANAGER, center=muchang)
    services.set_weekday_hours(manager, muchang, *services.DEFAULT_HOURS)  # 8:30–12:00, 14:30–17:30
    return muchang


def test_a_center_is_open_in_a_session_of_a_working_day(hours):
    status = opening_status(hours, at(2026, 3, 3, 9, 0))  # Tuesday
    assert status.is_open and not status.closed and not status.closed_for_the_day
    assert opening_status(hours, at(2026, 3, 3, 17, 29)).is_open


def test_friday_evening_is_closed_until_monday_morning(hours):
    status = opening_status(hours, at(2026, 3, 6, 19, 0))
    assert status.closed_for_the_day
    assert status.next_opens == at(2026, 3, 9, 8, 30)
    assert closed_message(status) == "本中心现在不办公，下次办公时间：3月9日（周一）8:30。"


def test_before_the_morning_session_it_opens_the_same_day(hours):
    status = opening_status(hours, at(2026, 3, 3, 7, 45))
    assert status.closed_for_the_day and status.next_opens == at(2026, 3, 3, 8, 30)
    assert next_opening_text(status.next_opens) == "3月3日（周二）8:30"


def test_the_lunch_break_is_closed_but_not_for_the_day(hours):
    status = opening_status(hours, at(2026, 3, 3, 12, 30))
    assert status.closed and status.between_sessions and not status.closed_for_the_day
    assert status.next_opens == at(2026, 3, 3, 14, 30)
    # at closing time exactly, the day is over
    assert opening_status(hours, at(2026, 3, 3, 17, 30)).closed_for_the_day


def test_a_statutory_holiday_on_a_weekday_is_closed_until_the_next_working_day(hours):
    status = opening_status(hours, at(2026, 10, 1, 10, 0))  # 国庆节, a Thursday
    assert status.closed_for_the_day
    assert status.next_opens == at(2026, 10, 8, 8, 30)
    assert "10月8日（周四）8:30" in closed_message(status)


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_weekend_duty_opens_a_saturday(hours, make_user):
    manager = make_user(Role.CENTER_MANAGER, center=hours)
    services.add_extra_duty(
        manager,
        hours,
        kind=ExtraDuty.Kind.WEEKEND,
        date=dt.date(2026, 3, 7),
        opens=dt.time(9, 0),
        closes=dt.time(12, 0),
    )
    assert opening_status(hours, at(2026, 3, 7, 10, 0)).is_open
    assert opening_status(hours, at(2026, 3, 6, 19, 0)).next_opens == at(2026, 3, 7, 9, 0)
    assert opening_status(hours, at(2026, 3, 7, 12, 0)).next_opens == at(2026, 3, 9, 8, 30)


def test_a_center_without_hours_is_never_called_closed(muchang):
    status = opening_status(muchang, at(2026, 3, 7, 23, 0))
    assert not status.has_hours and not status.closed and not status.closed_for_the_day
