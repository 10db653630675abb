"""Working-day arithmetic: every deadline in bianmin comes from here.

Where a day's status comes from, in order:

1. a day an administrator entered (``DayOverride``): a holiday or a make-up working day;
2. the ``chinesecalendar`` package, which carries the State Council's published schedules;
3. the law alone (``law.statutory_holidays``) plus weekends, for a year the package does not know.

An answer that used (3) for a year whose schedule nobody has entered (``YearSchedule``) is flagged
``provisional``: lawful as far as the law goes, but the year's bridge days and make-up days are
not known yet. Never a crash, never silently wrong.

Counting follows the rule for 限时办结: working days are counted from the day *after* the start
(the day the materials are complete does not count).
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from dataclasses import dataclass, field

import chinese_calendar
from django.db import connection, transaction
from django.utils import timezone

from . import law
from .models import DayOverride, YearSchedule

_HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}

# Keeps a very long count from looping for ever on a calendar made of holidays by mistake.
MAX_SPAN_DAYS = 3660


class Source:
    OVERRIDE = "override"
    OFFICIAL = "official"
    LAW = "law"


@dataclass(frozen=True)
class Day:
    date: dt.date
    is_workday: bool
    name: str
    source: str
    provisional: bool


@dataclass(frozen=True)
class WorkdayResult:
    """A date (or count) and whether any day behind it is only provisionally known."""

    date: dt.date | None = None
    count: int | None = None
    provisional_years: tuple[int, ...] = field(default=())

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)


def _official_years() -> range:
    first = min(chinese_calendar.holidays).year
    last = max(chinese_calendar.holidays).year
    return range(first, last + 1)


OFFICIAL_YEARS = _official_years()


# The calendar of a year (its entered days, and whether its schedule was entered) is read once
# and kept in memory for CACHE_SECONDS: a case creation would otherwise read it twice. A change
# made in this process counts at once (the save clears the cache, and until the change is
# committed this process reads the database directly); another process sees it within
# CACHE_SECONDS. Holidays are entered weeks ahead, so a minute does not matter.
CACHE_SECONDS = 60.0
_cache: dict[int, tuple[float, dict[dt.date, DayOverride], bool]] = {}
_unsettled = False  # a change to the calendar whose transaction has not ended yet


def forget(**kwargs) -> None:
    """Drop the cached calendar (after a flush or migration, or in a test)."""
    _cache.clear()


def _settled() -> None:
    global _unsettled
    _unsettled = False
    _cache.clear()


def calendar_changed(**kwargs) -> None:
    """A day or a year's schedule was saved or deleted (connected in ``apps``)."""
    global _unsettled
    _unsettled = True
    _cache.clear()
    transaction.on_commit(_settled)


def _cacheable() -> bool:
    if _unsettled:
        if connection.in_atomic_block:
            return False  # maybe our own uncommitted change: read it from the database
        _settled()  # outside any transaction: the change was committed or rolled back
    return True


class Calendar:
    """One computation's view of the calendar: each year it touches is read once, from the
    process's cache (see ``CACHE_SECONDS``) or the database."""

    def __init__(self) -> None:
        self._overrides: dict[int, dict[dt.date, DayOverride]] = {}
        self._entered: dict[int, bool] = {}

    def _load(self, year: int) -> None:
        cached = _cache.get(year) if _cacheable() else None
        if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
            self._overrides[year], self._entered[year] = cached[1], cached[2]
            return
        overrides = {o.date: o for o in DayOverride.objects.filter(date__year=year)}
        entered = year not in OFFICIAL_YEARS and YearSchedule.objects.filter(year=year).exists()
        self._overrides[year], self._entered[year] = overrides, entered
        if _cacheable():
            _cache[year] = (time.monotonic(), overrides, entered)

    def _year_overrides(self, year: int) -> dict[dt.date, DayOverride]:
        if year not in self._overrides:
            self._load(year)
        return self._overrides[year]

    def schedule_entered(self, year: int) -> bool:
        if year not in self._entered:
            self._load(year)
        return self._entered[year]

    def day(self, date: dt.date) -> Day:
        override = self._year_overrides(date.year).get(date)
        if override is not None:
            return Day(date, override.is_workday, override.name, Source.OVERRIDE, False)
        if date.year in OFFICIAL_YEARS:
            return _official_day(date)
        holidays = law.statutory_holidays(date.year)
        provisional = not self.schedule_entered(date.year)
        if date in holidays:
            return Day(date, False, holidays[date], Source.LAW, provisional)
        weekend = date.weekday() >= 5
        return Day(date, not weekend, "周末" if weekend else "", Source.LAW, provisional)


@functools.lru_cache(maxsize=4096)
def _official_day(date: dt.date) -> Day:
    """A day of a year the package publishes (a pure function of the date: kept in memory)."""
    on_holiday, name = chinese_calendar.get_holiday_detail(date)
    workday = chinese_calendar.is_workday(date)
    label = _HOLIDAY_NAMES_ZH.get(name, name or "")
    if workday and label:
        label = f"{label}调休上班"
    return Day(date, workday, label, Source.OFFICIAL, False)


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def day_info(value: dt.date | dt.datetime) -> Day:
    return Calendar().day(_as_date(value))


def is_workday(value: dt.date | dt.datetime) -> bool:
    return day_info(value).is_workday


def add_working_days(start: dt.date | dt.datetime, n: int) -> WorkdayResult:
    """The date of the ``n``-th working day after ``start`` (before it, for a negative ``n``).

    ``n == 0`` returns the start's own date. The start day itself never counts.
    """
    cal = Calendar()
    current = _as_date(start)
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    provisional: set[int] = set()
    span = 0
    while remaining:
        current += dt.timedelta(days=step)
        span += 1
        if span > MAX_SPAN_DAYS:
            raise ValueError("working-day count spans more than ten years")
        info = cal.day(current)
        if info.provisional:
            provisional.add(current.year)
        if info.is_workday:
            remaining -= 1
    return WorkdayResult(date=current, provisional_years=tuple(sorted(provisional)))


def working_days_between(start: dt.date | dt.datetime, end: dt.date | dt.datetime) -> WorkdayResult:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier)."""
    a, b = _as_date(start), _as_date(end)
    sign = 1
    if b < a:
        a, b, sign = b, a, -1
    if (b - a).days > MAX_SPAN_DAYS:
        raise ValueError("working-day count spans more than ten years")
    cal = Calendar()
    count = 0
    provisional: set[int] = set()
    current = a
    while current < b:
        current += dt.timedelta(days=1)
        info = cal.day(current)
        if info.provisional:
            provisional.add(current.year)
        if info.is_workday:
            count += 1
    return WorkdayResult(count=sign * count, provisional_years=tuple(sorted(provisional)))


def due_at(start: dt.datetime, n: int) -> tuple[dt.datetime, WorkdayResult]:
    """The deadline moment for ``n`` working days from ``start``: the end of the n-th working day."""
    result = add_working_days(start, n)
    end = dt.datetime.combine(result.date, dt.time(23, 59, 59))
    return timezone.make_aware(end), result


def year_status(year: int) -> str:
    """``official`` (published calendar), ``entered`` (an administrator entered it) or ``provisional``."""
    if year in OFFICIAL_YEARS:
        return Source.OFFICIAL
    if YearSchedule.objects.filter(year=year).exists():
        return "entered"
    return "provisional"
