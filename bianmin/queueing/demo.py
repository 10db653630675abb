"""Demo queue: every center with windows gets its queues and appointment slots for the coming
working days; 木厂镇 gets a replayed morning (through the real services), so that the hall's
queue lengths, the display board, the desk and the figures are alive in ``make demo``.

Idempotent: queues and slots are only added where missing; the morning is replayed only if
木厂镇 has no ticket today yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from bianmin.org.models import Center
from bianmin.workdays.services import is_workday

from . import services
from .models import Ticket
from .simulation import simulate_day

MUCHANG = "341502100000"
SLOT_DAYS = 5


def coming_working_days(start: dt.date, count: int) -> list[dt.date]:
    days, cursor = [], start
    while len(days) < count:
        if is_workday(cursor):
            days.append(cursor)
        cursor += dt.timedelta(days=1)
    return days


def _replay_until(now: dt.datetime) -> dt.time:
    """As far as the morning has got (at least 10:30, at most 11:30)."""
    local = timezone.localtime(now).time().replace(second=0, microsecond=0)
    return min(max(local, dt.time(10, 30)), dt.time(11, 30))


def load_queue_demo(progress: Callable[[int, int], None] | None = None) -> dict:
    today = timezone.localdate()
    days = coming_working_days(today, SLOT_DAYS)
    centers = list(
        Center.objects.filter(windows__isnull=False)
        .distinct()
        .select_related("region")
        .order_by("region__code")
    )
    total = len(centers) + 1
    slots = 0
    with transaction.atomic():
        for index, center in enumerate(centers, start=1):
            services.ensure_queues(center)
            slots += services.generate_slots(None, center, days=days, minutes=30, capacity=2)
            if progress:
                progress(index, total)
    replayed = None
    muchang = next((c for c in centers if c.region.code == MUCHANG), None)
    if muchang is not None and not Ticket.objects.filter(center=muchang, day=today).exists():
        replayed = simulate_day(
            muchang, day=today, until=_replay_until(timezone.now()), seed=today.toordinal()
        )
    if progress:
        progress(total, total)
    return {
        "centers": len(centers),
        "slots": slots,
        "replayed": replayed.issued if replayed else 0,
    }
