"""Working-day arithmetic over the API (kiosks show deadlines; other systems ask for dates)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from . import services

router = Router(tags=["working days"])


class DayOut(Schema):
    date: dt.date
    is_workday: bool
    name: str
    source: str
    provisional: bool


class DateResultOut(Schema):
    date: dt.date
    provisional: bool
    provisional_years: list[int]


class CountOut(Schema):
    count: int
    provisional: bool
    provisional_years: list[int]


class AddIn(Schema):
    start: dt.date
    days: int


class BetweenIn(Schema):
    start: dt.date
    end: dt.date


def _check_days(days: int) -> None:
    if not -3650 <= days <= 3650:
        raise ValidationError({"days": _("Working days: must be between -3650 and 3650.")})


@router.get("/day/{day}", response=DayOut, auth=None, summary="Is this date a working day, and why")
def day(request, day: dt.date):
    return services.day_info(day)


@router.get(
    "/add", response=DateResultOut, auth=None, summary="The date N working days after a start date"
)
def add(request, params: Query[AddIn]):
    _check_days(params.days)
    r = services.add_working_days(params.start, params.days)
    return {
        "date": r.date,
        "provisional": r.provisional,
        "provisional_years": list(r.provisional_years),
    }


@router.get(
    "/between",
    response=CountOut,
    auth=None,
    summary="Working days after start up to and including end",
)
def between(request, params: Query[BetweenIn]):
    if abs((params.end - params.start).days) > 3650:
        raise ValidationError({"end": _("To: the two dates may be at most ten years apart.")})
    r = services.working_days_between(params.start, params.end)
    return {
        "count": r.count,
        "provisional": r.provisional,
        "provisional_years": list(r.provisional_years),
    }
