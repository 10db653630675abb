"""Reads of the staffing app shared by the page and the API."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from bianmin.org.models import Center
from bianmin.workdays.services import add_working_days

from .models import ExpectedPeak, StaffingSettings


def settings_for(center: Center) -> StaffingSettings:
    """The center's waiting target (an unsaved row with the defaults if none was saved)."""
    return StaffingSettings.objects.filter(center=center).first() or StaffingSettings(center=center)


def next_working_day(now: dt.datetime | None = None) -> dt.date:
    """The day the page plans by default: the next working day after today (Friday → Monday)."""
    today = timezone.localdate(now or timezone.now())
    return add_working_days(today, 1).date


def peaks_of(center: Center, day: dt.date, *, removed: bool = False) -> QuerySet[ExpectedPeak]:
    """The peaks entered for that day (with ``removed``: also the removed ones, for the record)."""
    qs = ExpectedPeak.objects.filter(center=center, day=day).select_related(
        "queue", "created_by", "removed_by"
    )
    return qs if removed else qs.filter(removed_at__isnull=True)


def upcoming_peaks(center: Center, today: dt.date) -> QuerySet[ExpectedPeak]:
    return (
        ExpectedPeak.objects.filter(center=center, day__gte=today, removed_at__isnull=True)
        .select_related("queue")
        .order_by("day", "starts_hour", "id")
    )
