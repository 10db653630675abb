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


def replay_plan(now: dt.datetime) -> tuple[dt.date, dt.time]:
    """Which morning to replay, and up to when — never past ``now``.

    On a working day from 9:00 on: today, as far as the morning has got (at most 11:30). Before
    that, or on a rest day: the last working day's whole morning, so that nothing the demo
    writes (calls, an away notice) lies in the future of the clock.
    """
    local = timezone.localtime(now)
    moment = local.time().replace(second=0, microsecond=0)
    if is_workday(local.date()) and moment >= dt.time(9, 0):
        return local.date(), min(moment, dt.time(11, 30))
    day = local.date() - dt.timedelta(days=1)
    while not is_workday(day):
        day -= dt.timedelta(days=1)
    return day, dt.time(11, 30)


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
    day, until = replay_plan(timezone.now())
    if muchang is not None and not Ticket.objects.filter(center=muchang, day=day).exists():
        replayed = simulate_day(muchang, day=day, until=until, seed=day.toordinal())
    if progress:
        progress(total, total)
    return {
        "centers": len(centers),
        "slots": slots,
        "replayed": replayed.issued if replayed else 0,
    }
