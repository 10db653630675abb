"""The day's figures (人等事, 事等人, service time, no-shows, transfers per queue, window, clerk and
hour), the replayed day that feeds them, the wait estimate's measured error, and the demo."""

import datetime as dt

import pytest
from django.core.management import call_command

from bianmin.hall import services as hall
from bianmin.hall.models import AwayNotice
from bianmin.queueing import demo, figures, services
from bianmin.queueing.models import Channel, QueueEvent, Ticket
from bianmin.queueing.simulation import simulate_day

from .conftest import TUESDAY

pytestmark = pytest.mark.django_db


def test_figures_count_waiting_service_and_idle_time(
    muchang, queues, entered, manager, staff, windows, clock
):
    zhang = staff["张敏"]
    hall.open_window(zhang, windows[3], now=TUESDAY)  # 09:00
    services.issue_ticket(muchang, channel=Channel.KIOSK, actor=manager, item=entered["pension"])
    clock.shift(dt.timedelta(minutes=10))  # 09:10: called after 10 minutes of waiting
    ticket = services.call_next(zhang, windows[3])
    clock.shift(dt.timedelta(minutes=1))
    services.start_service(zhang, ticket)
    clock.shift(dt.timedelta(minutes=5))  # 09:16: 5 minutes of service
    services.finish_service(zhang, ticket)
    clock.shift(dt.timedelta(minutes=14))  # 09:30
    hall.close_window(zhang, windows[3])
    f = figures.day_figures(muchang, TUESDAY.date())
    s = f["summary"]
    assert (s.issued, s.calls, s.served, s.mean_wait, s.mean_service) == (1, 1, 1, 10.0, 5.0)
    window = next(r for r in f["windows"] if r.key == 3)
    assert (window.open_minutes, window.busy_minutes, window.idle_minutes) == (30.0, 6.0, 24.0)
    assert window.idle_share == 80
    clerk = next(r for r in f["clerks"] if r.label == "张敏")
    assert clerk.served == 1 and clerk.idle_minutes == 24.0
    assert [h.label for h in f["hours"]] == ["09:00"]
    assert f["queues"][0].label == "C 社会保障类" and f["queues"][0].p90_wait == 10.0
    # Nobody was ahead at issue (estimate 0 min); the clerk called after 10 minutes.
    assert (f["estimate"]["n"], f["estimate"]["mean_abs_minutes"]) == (1, 10.0)


def test_away_time_is_not_idle_time(muchang, queues, staff, windows, clock):
    zhang = staff["张敏"]
    hall.open_window(zhang, windows[3], now=TUESDAY)
    hall.go_away(
        zhang,
        reason="培训",
        destination="会议室",
        expected_return_at=TUESDAY + dt.timedelta(minutes=40),
        now=TUESDAY,
    )
    hall.come_back(zhang, returned_at=TUESDAY + dt.timedelta(minutes=40))
    hall.close_window(zhang, windows[3], now=TUESDAY + dt.timedelta(minutes=60))
    f = figures.day_figures(muchang, TUESDAY.date(), now=TUESDAY + dt.timedelta(hours=2))
    window = next(r for r in f["windows"] if r.key == 3)
    assert window.open_minutes == 20.0 and window.idle_minutes == 20.0


def test_a_replayed_morning_runs_through_the_services(muchang, windows, queues, entered):
    result = simulate_day(muchang, day=TUESDAY.date(), until=dt.time(11), seed=7, per_window=30)
    assert result.issued > 30
    assert result.served > 20
    tickets = Ticket.objects.filter(center=muchang, day=TUESDAY.date())
    assert tickets.count() == result.issued
    # Every ticket's story is in the event log, as the services wrote it.
    assert QueueEvent.objects.filter(kind="issued").count() == result.issued
    assert QueueEvent.objects.filter(kind="finished").count() == result.served
    # 张敏 (window 3) left for her training at 10:00 and her backup's window served her post.
    notice = AwayNotice.objects.get()
    assert notice.clerk.full_name == "张敏"
    li_served_c = QueueEvent.objects.filter(
        kind="called", window=windows[4], ticket__queue__letter="C", at__gte=notice.left_at
    )
    if (
        tickets.filter(queue__letter="C", status="waiting", issued_at__lt=notice.left_at).exists()
        or li_served_c.exists()
    ):
        assert li_served_c.exists()
    error = result.estimate_error
    assert error["n"] > 10 and error["mean_abs_minutes"] is not None
    f = figures.day_figures(muchang, TUESDAY.date(), now=TUESDAY.replace(hour=11))
    assert f["summary"].issued == result.issued and f["estimate"]["n"] == error["n"]


def test_the_simulate_day_command_reports_the_estimate_error(
    muchang, windows, queues, entered, capsys
):
    call_command(
        "simulate_day", "341502100000", "--day", "2026-03-03", "--until", "10:00", "--seed", "3"
    )
    out = capsys.readouterr().out
    assert "2026-03-03:" in out and "tickets" in out and "wait estimate" in out


def test_the_demo_gives_queues_slots_and_a_replayed_morning_once(muchang, windows, entered):
    first = demo.load_queue_demo()
    assert first["centers"] == 1 and first["slots"] > 0 and first["replayed"] > 10
    again = demo.load_queue_demo()
    assert again == {"centers": 1, "slots": 0, "replayed": 0}


def test_a_day_replayed_after_another_first_closes_what_that_one_left_open(
    muchang, windows, queues, entered, manager, staff
):
    """A ticket still at window 3 when the day before closed would hold the window all day; the
    replay starts as a real morning does, with yesterday's leftovers closed."""
    monday = TUESDAY - dt.timedelta(days=1)
    zhang = staff["张敏"]
    hall.open_window(zhang, windows[3], now=monday)
    services.issue_ticket(
        muchang, channel=Channel.KIOSK, actor=manager, item=entered["pension"], now=monday
    )
    left = services.call_next(zhang, windows[3], now=monday + dt.timedelta(minutes=1))
    hall.close_window(zhang, windows[3], now=monday.replace(hour=17, minute=30))
    result = simulate_day(muchang, day=TUESDAY.date(), until=dt.time(9, 30), seed=3)
    left.refresh_from_db()
    assert left.status == "expired" and left.visit.outcome == "left"
    assert not [m for m in result.refused if "仍为" in m]
    assert Ticket.objects.filter(window=windows[3], day=TUESDAY.date()).exists()
