"""`make demo`: 木厂镇 has weeks of history and next Monday's pension-enrolment peak, so that the
staffing page shows another 社会保障类 window needed from 9 to 11 (journey 4)."""

from __future__ import annotations

import time

from bianmin.queueing.models import QueueEvent, Ticket
from bianmin.staffing import forecast, selectors
from bianmin.staffing.demo import load_staffing_demo
from bianmin.staffing.models import ExpectedPeak

from .conftest import MONDAY


def test_the_demo_shows_the_pension_peak_short_of_a_window(friday, muchang, manager, queues):
    started = time.monotonic()
    result = load_staffing_demo()
    assert time.monotonic() - started < 10
    assert result["days"] >= 25 and result["tickets"] > 1000 and result["peak"]
    assert (
        QueueEvent.objects.filter(center=muchang, ticket__isnull=False).count()
        == 4 * result["tickets"]
    )
    peak = ExpectedPeak.objects.get()
    assert (peak.day, peak.queue.letter, peak.created_by) == (MONDAY, "C", manager)
    assert selectors.next_working_day() == MONDAY

    plan = forecast.plan(muchang, MONDAY)
    short = [r for r in plan.recommendations if r.kind == "open"]
    assert [(r.letter, r.starts.hour, r.ends.hour, r.needed, r.planned) for r in short] == [
        ("C", 9, 11, 2, 1)
    ]
    assert "为本队列加开第二个分领域窗口" in short[0].text


def test_loading_the_demo_twice_adds_nothing(friday, muchang, manager, queues):
    load_staffing_demo()
    tickets = Ticket.objects.count()
    again = load_staffing_demo()
    assert (again["days"], again["tickets"], again["peak"]) == (0, 0, False)
    assert Ticket.objects.count() == tickets and ExpectedPeak.objects.count() == 1
