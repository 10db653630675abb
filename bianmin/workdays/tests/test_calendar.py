"""限时办结 depends on counting working days right: the 2026 schedule, and years not yet published."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bianmin.workdays import services
from bianmin.workdays.law import statutory_holidays
from bianmin.workdays.models import DayOverride, YearSchedule

D = dt.date.fromisoformat
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", ["2026-02-15", "2026-02-17", "2026-02-20", "2026-02-23"])
def test_spring_festival_2026_days_are_holidays(day):
    info = services.day_info(D(day))
    assert not info.is_workday
    assert info.name == "春节"
    assert not info.provisional


@pytest.mark.parametrize("day", ["2026-02-14", "2026-02-28"])
def test_spring_festival_2026_make_up_saturdays_are_working_days(day):
    info = services.day_info(D(day))
    assert info.is_workday
    assert info.name == "春节调休上班"


@pytest.mark.parametrize("day", ["2026-10-01", "2026-10-04", "2026-10-07"])
def test_national_day_2026_days_are_holidays(day):
    assert not services.is_workday(D(day))


@pytest.mark.parametrize("day", ["2026-09-20", "2026-10-10"])
def test_national_day_2026_make_up_days_are_working_days(day):
    assert services.is_workday(D(day))


def test_counting_starts_the_day_after_the_start():
    assert services.add_working_days(D("2026-11-26"), 1).date == D("2026-11-27")
    assert services.add_working_days(D("2026-11-27"), 1).date == D("2026-11-30")  # Friday → Monday
    assert services.add_working_days(D("2026-11-27"), 0).date == D("2026-11-27")


def test_three_working_days_across_national_day_include_the_make_up_saturday():
    # 9-30 Wed; 10-01..07 off; 10-08 Thu, 10-09 Fri, 10-10 Sat (make-up day)
    result = services.add_working_days(D("2026-09-30"), 3)
    assert result.date == D("2026-10-10")
    assert not result.provisional


def test_five_working_days_across_spring_festival():
    # 2-13 Fri → 2-14 Sat make-up (1), 2-15..23 off, 2-24 (2), 2-25 (3), 2-26 (4), 2-27 (5)
    assert services.add_working_days(D("2026-02-13"), 5).date == D("2026-02-27")


def test_working_days_before_a_date_for_warnings():
    assert services.add_working_days(D("2026-10-08"), -1).date == D("2026-09-30")


def test_working_days_between_two_dates_across_national_day():
    assert services.working_days_between(D("2026-09-30"), D("2026-10-12")).count == 4
    assert services.working_days_between(D("2026-10-12"), D("2026-09-30")).count == -4
    assert services.working_days_between(D("2026-10-01"), D("2026-10-01")).count == 0


def test_deadline_moment_is_the_end_of_the_last_working_day_in_shanghai_time():
    start = dt.datetime(2026, 9, 30, 16, 0, tzinfo=dt.UTC)  # 2026-10-01 00:00 in Shanghai
    moment, result = services.due_at(start, 1)
    assert result.date == D("2026-10-08")
    assert moment.isoformat() == "2026-10-08T23:59:59+08:00"


def test_law_alone_gives_the_2027_statutory_holidays():
    days = statutory_holidays(2027)
    assert days[D("2027-01-01")] == "元旦"
    # 2027 春节: 正月初一 is 2027-02-06, so 除夕 is 02-05 and 初三 is 02-08
    assert [d for d, n in sorted(days.items()) if n == "春节"] == [
        D("2027-02-05"),
        D("2027-02-06"),
        D("2027-02-07"),
        D("2027-02-08"),
    ]
    assert days[D("2027-04-05")] == "清明节"
    assert days[D("2027-06-09")] == "端午节"
    assert days[D("2027-09-15")] == "中秋节"
    assert {D("2027-10-01"), D("2027-10-02"), D("2027-10-03")} <= set(days)
    assert len(days) == 13


def test_a_year_past_the_published_calendar_is_provisional_not_a_crash():
    info = services.day_info(D("2027-02-08"))  # 初三, a Monday
    assert not info.is_workday and info.name == "春节" and info.provisional
    result = services.add_working_days(D("2026-12-30"), 3)
    # 12-31 Thu (1), 2027-01-01 元旦, 01-04 Mon (2), 01-05 Tue (3)
    assert result.date == D("2027-01-05")
    assert result.provisional and result.provisional_years == (2027,)
    assert services.year_status(2027) == "provisional"


def test_days_an_administrator_enters_override_and_the_year_is_then_confirmed():
    DayOverride.objects.create(date=D("2027-02-09"), is_workday=False, name="春节")
    DayOverride.objects.create(date=D("2027-02-20"), is_workday=True, name="春节调休上班")
    assert services.day_info(D("2027-02-09")).is_workday is False
    assert services.day_info(D("2027-02-20")).is_workday is True
    assert services.day_info(D("2027-03-01")).provisional
    YearSchedule.objects.create(year=2027, source="国办发明电〔2026〕X号")
    assert not services.day_info(D("2027-03-01")).provisional
    assert services.year_status(2027) == "entered"
    assert not services.add_working_days(D("2027-02-18"), 3).provisional


def test_an_override_beats_the_published_calendar():
    DayOverride.objects.create(date=D("2026-11-30"), is_workday=False, name="地方停工")
    assert services.add_working_days(D("2026-11-27"), 1).date == D("2026-12-01")


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=D("2025-01-01"), max_value=D("2027-06-30")),
    n=st.integers(min_value=0, max_value=40),
)
def test_counting_back_between_start_and_deadline_gives_n(start, n):
    result = services.add_working_days(start, n)
    assert services.working_days_between(start, result.date).count == n
    assert result.date == start or services.is_workday(result.date)
