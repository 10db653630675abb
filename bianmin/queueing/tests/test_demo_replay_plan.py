"""The demo replays a morning that never lies in the clock's future."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bianmin.queueing.demo import replay_plan

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh, mm):
    return dt.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("now", "day", "until"),
    [
        # A Tuesday morning under way: today, as far as it has got.
        (at(2026, 3, 3, 9, 44), dt.date(2026, 3, 3), dt.time(9, 44)),
        # The afternoon: today's whole morning.
        (at(2026, 3, 3, 15, 0), dt.date(2026, 3, 3), dt.time(11, 30)),
        # Before 9:00: yesterday's morning, not calls at 10:24 while the clock says 8:10.
        (at(2026, 3, 3, 8, 10), dt.date(2026, 3, 2), dt.time(11, 30)),
        # A Saturday: Friday's morning.
        (at(2026, 11, 28, 9, 44), dt.date(2026, 11, 27), dt.time(11, 30)),
        # Monday before opening after the Spring Festival: the make-up Saturday 28 February.
        (at(2026, 3, 2, 8, 0), dt.date(2026, 2, 28), dt.time(11, 30)),
        # During the National Day holiday: the last working day before it.
        (at(2026, 10, 4, 10, 0), dt.date(2026, 9, 30), dt.time(11, 30)),
    ],
)
@pytest.mark.django_db
def test_the_demo_replays_a_morning_that_has_already_happened(now, day, until):
    assert replay_plan(now) == (day, until)
