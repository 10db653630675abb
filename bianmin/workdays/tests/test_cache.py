"""The calendar of a year is read once per process, and a day entered counts at once."""

import datetime as dt

import pytest

from bianmin.workdays import services
from bianmin.workdays.models import DayOverride

D = dt.date.fromisoformat


@pytest.mark.django_db(transaction=True)
def test_the_calendar_of_a_year_is_read_once(django_assert_num_queries):
    services.forget()
    services.add_working_days(D("2026-03-03"), 10)
    with django_assert_num_queries(0):
        services.add_working_days(D("2026-03-03"), 10)
        services.working_days_between(D("2026-01-05"), D("2026-12-01"))


@pytest.mark.django_db(transaction=True)
def test_a_day_entered_or_removed_counts_at_once():
    services.forget()
    assert services.add_working_days(D("2026-11-27"), 1).date == D("2026-11-30")  # Fri → Mon
    DayOverride.objects.create(date=D("2026-11-30"), is_workday=False, name="地方停工")
    assert services.add_working_days(D("2026-11-27"), 1).date == D("2026-12-01")
    DayOverride.objects.all().delete()
    assert services.add_working_days(D("2026-11-27"), 1).date == D("2026-11-30")


@pytest.mark.django_db
def test_a_day_entered_counts_at_once_inside_its_own_transaction():
    services.forget()
    DayOverride.objects.create(date=D("2026-11-30"), is_workday=False, name="地方停工")
    # Inside the transaction that entered it, the day is read from the database, not a cache.
    assert services.add_working_days(D("2026-11-27"), 1).date == D("2026-12-01")
