"""Demo staffing: 木厂镇 gets six weeks of past working days (tickets, calls and services written
directly, not through the services: history only needs to be counted), and next Monday the
pension-enrolment peak its manager expects (journey 4: "next Monday morning's pension-enrolment
peak needs another domain window from 9 to 11").

The arrivals follow the hall's day (a morning peak from 9 to 10:30, a quieter afternoon), a little
busier on Mondays; each queue's line is served first come first served by its windows, with
log-normal window times, so that the waits, service times and the figures of those days hold
together. Idempotent: a day on which the center has tickets already (the replayed morning) is
left as it is, and the peak is entered once. Fast: one bulk insert per table.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import random
import secrets
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from bianmin.hall.models import Attendance, OpeningHours, Post, Window
from bianmin.identity.models import User
from bianmin.identity.roles import Role
from bianmin.org.models import Center
from bianmin.queueing import selectors as queue_selectors
from bianmin.queueing.models import Channel, Queue, QueueEvent, Ticket
from bianmin.workdays.services import is_workday

from .models import ExpectedPeak

MUCHANG = "341502100000"
WEEKS = 6
PEAK_NAME = "养老保险集中参保缴费"
PEAK_EXTRA_PEOPLE = 20  # over 9–11, on top of a usual Monday morning
# People per hour at the morning peak, by kind of queue, and the mean window time (minutes).
RATES = {Window.Kind.ENQUIRY: (6.0, 3.0), Window.Kind.DOMAIN: (3.5, 5.5)}
# The 社会保障类 queue is the busiest domain queue (pensions, medical insurance).
SOCIAL_SECURITY_RATE = 4.0
# Relative arrival rate by hour of the day.
PROFILE = {8: 0.6, 9: 1.0, 10: 0.85, 11: 0.55, 14: 0.45, 15: 0.6, 16: 0.5, 17: 0.25}
MONDAY = 1.15


def _next_monday(today: dt.date) -> dt.date:
    day = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def _sessions(center: Center, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    row = OpeningHours.objects.filter(center=center, weekday=day.weekday()).first()
    if row is None:
        return []
    pairs = [(row.morning_opens, row.morning_closes)]
    if row.afternoon_opens and row.afternoon_closes:
        pairs.append((row.afternoon_opens, row.afternoon_closes))
    return [
        (
            timezone.make_aware(dt.datetime.combine(day, a)),
            timezone.make_aware(dt.datetime.combine(day, b)),
        )
        for a, b in pairs
    ]


def _arrivals(rng: random.Random, sessions, peak_rate: float) -> list[dt.datetime]:
    """A Poisson process whose rate follows PROFILE, within the sessions."""
    out = []
    for opens, closes in sessions:
        moment = opens
        while True:
            hour = timezone.localtime(moment).hour
            rate = peak_rate * PROFILE.get(hour, 0.3)  # people per hour
            moment += dt.timedelta(seconds=rng.expovariate(rate / 3600))
            if moment >= closes:
                break
            out.append(moment)
    return out


def _day_rows(center, day, rng, queues, sessions, clerks):
    tickets, timings = [], []
    factor = MONDAY if day.weekday() == 0 else 1.0
    for q, windows, peak_rate, mean_minutes in queues:
        free = [(sessions[0][0], w.pk) for w in windows]
        heapq.heapify(free)
        sigma = 0.5
        mu = math.log(mean_minutes * 60) - sigma**2 / 2
        for number, issued in enumerate(_arrivals(rng, sessions, peak_rate * factor), start=1):
            ready, wid = heapq.heappop(free)
            called = max(issued, ready)
            # A line left at the lunch break waits for the afternoon session.
            for (_o, closes), (next_opens, _c) in zip(sessions, sessions[1:], strict=False):
                if closes <= called < next_opens:
                    called = next_opens
            walk = dt.timedelta(seconds=rng.uniform(20, 60))
            started = called + walk
            finished = started + dt.timedelta(seconds=max(60, rng.lognormvariate(mu, sigma)))
            heapq.heappush(free, (finished, wid))
            clerk = clerks.get(wid)
            tickets.append(
                Ticket(
                    center=center,
                    day=day,
                    issued_queue=q,
                    queue=q,
                    number=number,
                    code=f"{q.letter}{number:03d}",
                    public_id=secrets.token_urlsafe(9),
                    status=Ticket.Status.DONE,
                    lane=Ticket.Lane.NORMAL,
                    place_at=issued,
                    ready_at=issued,
                    purpose=Ticket.Purpose.ITEM if rng.random() < 0.8 else Ticket.Purpose.ENQUIRY,
                    channel=Channel.KIOSK,
                    issued_at=issued,
                    window_id=wid,
                    clerk=clerk,
                    first_called_at=called,
                    called_at=called,
                    started_at=started,
                    finished_at=finished,
                    wait_seconds=int((called - issued).total_seconds()),
                    service_seconds=int((finished - started).total_seconds()),
                    window_seconds=int((finished - called).total_seconds()),
                )
            )
            timings.append((issued, called, started, finished, wid, clerk, q))
    return tickets, timings


def load_staffing_demo(progress: Callable[[int, int], None] | None = None) -> dict:
    """Past weeks of tickets for 木厂镇 and next Monday's pension-enrolment peak."""
    center = Center.objects.filter(region__code=MUCHANG).select_related("region").first()
    if center is None:
        return {"days": 0, "tickets": 0, "peak": False}
    cfg = queue_selectors.center_config(center)
    windows = {w.pk: w for w in Window.objects.filter(center=center, active=True)}
    clerks = {
        p.window_id: p.primary
        for p in Post.objects.filter(window__center=center).select_related("primary")
    }
    queues = []
    for q in Queue.objects.filter(center=center, active=True).order_by("letter"):
        ws = [windows[w] for w in sorted(cfg.queue_windows.get(q.pk, ())) if w in windows]
        if not ws:
            continue
        rate, minutes = RATES.get(ws[0].kind, RATES[Window.Kind.DOMAIN])
        if "社会保障" in q.name:
            rate = SOCIAL_SECURITY_RATE
        queues.append((q, ws, rate, minutes))
    today = timezone.localdate()
    days = [
        today - dt.timedelta(days=n)
        for n in range(WEEKS * 7, 0, -1)
        if is_workday(today - dt.timedelta(days=n))
    ]
    taken = set(
        Ticket.objects.filter(center=center, day__in=days).values_list("day", flat=True).distinct()
    )
    days = [d for d in days if d not in taken]
    tickets: list[Ticket] = []
    timings: list = []
    attendance: list[Attendance] = []
    with transaction.atomic():
        for index, day in enumerate(days, start=1):
            sessions = _sessions(center, day)
            if not sessions or not queues:
                continue
            rng = random.Random(day.toordinal())
            t, tm = _day_rows(center, day, rng, queues, sessions, clerks)
            tickets += t
            timings += tm
            for wid, clerk in clerks.items():
                if wid in windows:
                    attendance += [
                        Attendance(window_id=wid, clerk=clerk, opened_at=a, closed_at=b)
                        for a, b in sessions
                    ]
            if progress:
                progress(index, len(days) + 1)
        Ticket.objects.bulk_create(tickets, batch_size=500)
        Attendance.objects.bulk_create(attendance, batch_size=500)
        events = []
        for ticket, (issued, called, started, finished, wid, clerk, q) in zip(
            tickets, timings, strict=True
        ):
            common = {"center": center, "ticket": ticket, "queue": q}
            events.append(
                QueueEvent(kind=QueueEvent.Kind.ISSUED, at=issued, channel=Channel.KIOSK, **common)
            )
            at_window = {"channel": Channel.CLERK, "window_id": wid, "actor": clerk, **common}
            for kind, at in (
                (QueueEvent.Kind.CALLED, called),
                (QueueEvent.Kind.STARTED, started),
                (QueueEvent.Kind.FINISHED, finished),
            ):
                data = {"outcome": "enquiry"} if kind == QueueEvent.Kind.FINISHED else {}
                events.append(QueueEvent(kind=kind, at=at, data=data, **at_window))
        QueueEvent.objects.bulk_create(events, batch_size=1000)
        peak = _enter_peak(center, today)
    if progress:
        progress(len(days) + 1, len(days) + 1)
    return {"days": len(days), "tickets": len(tickets), "peak": peak}


def _enter_peak(center: Center, today: dt.date) -> bool:
    manager = (
        User.objects.filter(role=Role.CENTER_MANAGER, center=center, is_active=True)
        .order_by("pk")
        .first()
    )
    queue = Queue.objects.filter(center=center, active=True, name__contains="社会保障").first()
    if manager is None or queue is None:
        return False
    monday = _next_monday(today)
    if ExpectedPeak.objects.filter(center=center, day=monday, name=PEAK_NAME).exists():
        return False
    ExpectedPeak.objects.create(
        center=center,
        queue=queue,
        name=PEAK_NAME,
        day=monday,
        starts_hour=9,
        ends_hour=11,
        extra_people=PEAK_EXTRA_PEOPLE,
        note="城乡居民养老保险年度集中缴费，村里统一通知周一上午到中心办理",
        created_by=manager,
        created_at=timezone.now(),
    )
    return True
