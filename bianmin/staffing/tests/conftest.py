"""木厂镇 as the journeys tell it (the queue's test set-up: windows 1–4, queues A–D, 陈主任 the
manager), on Friday 27 November 2026 at 10:00, when 陈主任 plans next Monday (30 November).

``history(queue, day, {hour: n})`` writes finished walk-in tickets of past days directly: the
forecast only counts them.
"""

from __future__ import annotations

import datetime as dt
import secrets
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bianmin.queueing.models import Channel, Ticket
from bianmin.queueing.tests.conftest import (  # noqa: F401  (fixtures)
    _fresh_broadcaster,
    domains,
    entered,
    items,
    manager,
    queues,
    staff,
    windows,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
FRIDAY = dt.datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)
MONDAY = dt.date(2026, 11, 30)
# 陈主任's entry for next Monday, as the form sends it.
PENSION_PEAK = {
    "queue": "C",
    "name": "养老保险集中参保缴费",
    "day": "2026-11-30",
    "starts_hour": "9",
    "ends_hour": "11",
    "extra_people": "20",
}
PAST_MONDAYS = [MONDAY - dt.timedelta(days=7 * k) for k in range(1, 7)]


@pytest.fixture
def friday():
    with time_machine.travel(FRIDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def history(muchang):
    numbers: dict = {}

    def write(queue, day, per_hour: dict, *, minutes: float = 6.0, channel=Channel.KIOSK):
        rows = []
        for hour, n in per_hour.items():
            for i in range(n):
                issued = dt.datetime.combine(day, dt.time(hour, (i * 7) % 60), tzinfo=SHANGHAI)
                key = (queue.pk, day)
                numbers[key] = numbers.get(key, 0) + 1
                called = issued + dt.timedelta(minutes=2)
                rows.append(
                    Ticket(
                        center=muchang,
                        day=day,
                        issued_queue=queue,
                        queue=queue,
                        number=numbers[key],
                        code=f"{queue.letter}{numbers[key]:03d}",
                        public_id=secrets.token_urlsafe(9),
                        status=Ticket.Status.DONE,
                        place_at=issued,
                        ready_at=issued,
                        purpose=Ticket.Purpose.ITEM,
                        channel=channel,
                        issued_at=issued,
                        first_called_at=called,
                        called_at=called,
                        finished_at=called + dt.timedelta(minutes=minutes),
                        wait_seconds=120,
                        window_seconds=int(minutes * 60),
                    )
                )
        Ticket.objects.bulk_create(rows)

    return write


@pytest.fixture
def usual_mondays(queues, history):  # noqa: F811
    """Six past Mondays: C (社会保障类) has 4 people from 9 to 10 and 4 from 10 to 11, 6 minutes
    each at the window; A has 5 an hour all morning."""
    for day in PAST_MONDAYS:
        history(queues["C"], day, {9: 4, 10: 4, 15: 2})
        history(queues["A"], day, {9: 5, 10: 5, 11: 5}, minutes=3)
    return PAST_MONDAYS
