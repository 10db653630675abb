"""The day's figures for supervision and staffing (policy 三(二): 人等事 and 事等人).

Everything is computed from the tickets and the event log of one center and day, so that a
figure can always be traced to the rows behind it:

- **waiting time** (人等事): issue → first call, per ticket;
- **service time**: start (or call, if the clerk did not press start) → finish, per service;
- **window time**: each call → the end of that service at that window (finish, no-show, hold,
  transfer): the window is busy;
- **idle time** (事等人): a window open (attendance, less its clerk's away notices) and busy
  with nobody;
- **no-shows**, **transfers**, **calls** and **served**;

per queue (the queue a ticket was issued in), window, clerk and hour of the day, and the error
of the wait estimate shown at issue against the wait that followed.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from bianmin.hall.models import Attendance, AwayNotice, Window
from bianmin.org.models import Center

from .models import QueueEvent, Ticket

CALLS = {QueueEvent.Kind.CALLED, QueueEvent.Kind.CALLED_BACK}
ENDS = {
    QueueEvent.Kind.FINISHED: "served",
    QueueEvent.Kind.NO_SHOW: "no_show",
    QueueEvent.Kind.HELD: "held",
    QueueEvent.Kind.TRANSFERRED: "transferred",
    QueueEvent.Kind.EXPIRED: "expired",
}


@dataclass
class Row:
    key: object
    label: str
    issued: int = 0
    calls: int = 0
    served: int = 0
    no_shows: int = 0
    transfers: int = 0
    waits: list = field(default_factory=list)
    services: list = field(default_factory=list)
    busy: float = 0.0
    open: float = 0.0

    @property
    def mean_wait(self) -> float | None:
        return _minutes(statistics.fmean(self.waits)) if self.waits else None

    @property
    def p90_wait(self) -> float | None:
        return _minutes(_quantile(self.waits, 0.9)) if self.waits else None

    @property
    def mean_service(self) -> float | None:
        return _minutes(statistics.fmean(self.services)) if self.services else None

    @property
    def idle(self) -> float:
        return max(0.0, self.open - self.busy)

    @property
    def idle_minutes(self) -> float:
        return _minutes(self.idle)

    @property
    def busy_minutes(self) -> float:
        return _minutes(self.busy)

    @property
    def open_minutes(self) -> float:
        return _minutes(self.open)

    @property
    def idle_share(self) -> float | None:
        return round(100 * self.idle / self.open) if self.open else None


def _minutes(seconds: float) -> float:
    return round(seconds / 60, 1)


def _quantile(values: list, q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(q * (len(ordered) - 1)))))
    return ordered[index]


def _overlap(a: tuple, b: tuple) -> float:
    start, end = max(a[0], b[0]), min(a[1], b[1])
    return max(0.0, (end - start).total_seconds())


def _subtract(intervals: list[tuple], cuts: list[tuple]) -> list[tuple]:
    out = []
    for start, end in intervals:
        pieces = [(start, end)]
        for c0, c1 in cuts:
            next_pieces = []
            for p0, p1 in pieces:
                if c1 <= p0 or c0 >= p1:
                    next_pieces.append((p0, p1))
                    continue
                if c0 > p0:
                    next_pieces.append((p0, c0))
                if c1 < p1:
                    next_pieces.append((c1, p1))
            pieces = next_pieces
        out.extend(pieces)
    return out


@dataclass
class Segment:
    """One stretch of a ticket at a window: from a call to the end of that service."""

    ticket_id: int
    window_id: int
    clerk_id: int | None
    called: dt.datetime
    started: dt.datetime | None = None
    ended: dt.datetime | None = None
    end_kind: str = ""


def segments(
    center: Center, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> list[Segment]:
    events = (
        QueueEvent.objects.filter(center=center, at__gte=start, at__lt=end, ticket__isnull=False)
        .order_by("at", "id")
        .values_list("ticket_id", "kind", "at", "window_id", "actor_id")
    )
    open_: dict[int, Segment] = {}
    done: list[Segment] = []
    for ticket_id, kind, at, window_id, actor_id in events:
        if kind in CALLS:
            previous = open_.pop(ticket_id, None)
            if previous is not None:
                previous.ended, previous.end_kind = at, "recalled"
                done.append(previous)
            open_[ticket_id] = Segment(ticket_id, window_id, actor_id, at)
        elif kind == QueueEvent.Kind.STARTED and ticket_id in open_:
            open_[ticket_id].started = at
        elif kind in ENDS and ticket_id in open_:
            seg = open_.pop(ticket_id)
            seg.ended, seg.end_kind = at, ENDS[kind]
            done.append(seg)
    for seg in open_.values():  # still at the window
        seg.ended = min(now, end)
        done.append(seg)
    return done


def day_figures(center: Center, day: dt.date, *, now: dt.datetime | None = None) -> dict:
    from bianmin.identity.models import User

    now = now or timezone.now()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = start + dt.timedelta(days=1)
    # What is still open counts until now, or until the day's last event if that is later (a
    # replayed day ahead of the clock).
    last = (
        QueueEvent.objects.filter(center=center, at__gte=start, at__lt=end)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if last is not None and last > now:
        now = last
    windows = {w.pk: w for w in Window.objects.filter(center=center)}
    tickets = {
        t.pk: t
        for t in Ticket.objects.filter(center=center, day=day).select_related("issued_queue")
    }
    queues: dict[int, Row] = {}
    hours: dict[int, Row] = {}
    summary = Row("all", "")
    accuracy: list[int] = []

    def hour_row(moment: dt.datetime) -> Row:
        h = timezone.localtime(moment).hour
        return hours.setdefault(h, Row(h, f"{h:02d}:00"))

    for t in tickets.values():
        q = t.issued_queue
        queue_row = queues.setdefault(q.pk, Row(q.letter, f"{q.letter} {q.name}"))
        for r in (queue_row, summary, hour_row(t.issued_at)):
            r.issued += 1
            r.transfers += t.transfer_count
            r.no_shows += t.status == Ticket.Status.NO_SHOW
        if t.wait_seconds is not None:
            for r in (queue_row, summary, hour_row(t.first_called_at)):
                r.waits.append(t.wait_seconds)
            if t.estimate_seconds is not None:
                accuracy.append(t.wait_seconds - t.estimate_seconds)

    by_window = {
        wid: Row(w.number, f"{w.number}号 {w.name}")
        for wid, w in sorted(windows.items(), key=lambda item: item[1].number)
    }
    by_clerk: dict[int, Row] = {}
    busy_by_window: dict[int, list] = defaultdict(list)
    busy_by_clerk: dict[int, list] = defaultdict(list)
    for seg in segments(center, start, end, now):
        clerk_row = by_clerk.setdefault(seg.clerk_id, Row(seg.clerk_id, ""))
        window_row = by_window.get(seg.window_id)
        ticket = tickets.get(seg.ticket_id)
        queue_row = queues.get(ticket.issued_queue_id) if ticket else None
        interval = (seg.called, seg.ended)
        busy_by_window[seg.window_id].append(interval)
        busy_by_clerk[seg.clerk_id].append(interval)
        everyone = [r for r in (window_row, clerk_row, hour_row(seg.called), summary) if r]
        for r in everyone:
            r.calls += 1
        if seg.end_kind == "served":
            service = (seg.ended - (seg.started or seg.called)).total_seconds()
            for r in everyone + ([queue_row] if queue_row else []):
                r.served += 1
                r.services.append(service)
        for r in (window_row, clerk_row):
            if r is not None:
                r.no_shows += seg.end_kind == "no_show"
                r.transfers += seg.end_kind == "transferred"
    for user in User.objects.filter(pk__in=[k for k in by_clerk if k]):
        by_clerk[user.pk].label = str(user)

    # Open time: attendance within the day, less the away notices of the window's post.
    aways = defaultdict(list)
    for notice in (
        AwayNotice.objects.filter(post__window__center=center, left_at__lt=end)
        .exclude(returned_at__lt=start)
        .select_related("post")
    ):
        aways[notice.post.window_id].append(
            (max(notice.left_at, start), min(notice.returned_at or now, end))
        )
    open_by_window: dict[int, list] = defaultdict(list)
    open_by_clerk: dict[int, list] = defaultdict(list)
    for a in Attendance.objects.filter(window__center=center, opened_at__lt=end).exclude(
        closed_at__lt=start
    ):
        interval = (max(a.opened_at, start), min(a.closed_at or now, end))
        if interval[1] <= interval[0]:
            continue
        present = _subtract([interval], aways.get(a.window_id, []))
        open_by_window[a.window_id].extend(present)
        open_by_clerk[a.clerk_id].extend(present)

    def fill(row: Row, opens: list, busies: list, span: tuple | None = None) -> None:
        for present in opens:
            if span is not None:
                present = (max(present[0], span[0]), min(present[1], span[1]))
                if present[1] <= present[0]:
                    continue
            row.open += (present[1] - present[0]).total_seconds()
            row.busy += sum(_overlap(busy, present) for busy in busies)

    for wid, row in by_window.items():
        fill(row, open_by_window.get(wid, []), busy_by_window.get(wid, []))
    for cid, row in by_clerk.items():
        fill(row, open_by_clerk.get(cid, []), busy_by_clerk.get(cid, []))
    for h in range(24):
        span = (start + dt.timedelta(hours=h), start + dt.timedelta(hours=h + 1))
        row = Row(h, f"{h:02d}:00")
        for wid, opens in open_by_window.items():
            fill(row, opens, busy_by_window.get(wid, []), span)
        if row.open:
            target = hours.setdefault(h, Row(h, f"{h:02d}:00"))
            target.open, target.busy = row.open, row.busy
    summary.open = sum(r.open for r in by_window.values())
    summary.busy = sum(r.busy for r in by_window.values())
    errors = [abs(e) for e in accuracy]
    return {
        "day": day,
        "summary": summary,
        "queues": sorted(queues.values(), key=lambda r: r.key),
        "windows": [r for r in by_window.values() if r.calls or r.open],
        "clerks": sorted(by_clerk.values(), key=lambda r: r.label),
        "hours": [hours[h] for h in sorted(hours)],
        "estimate": {
            "n": len(accuracy),
            "mean_abs_minutes": _minutes(statistics.fmean(errors)) if errors else None,
            "median_abs_minutes": _minutes(statistics.median(errors)) if errors else None,
            "p90_abs_minutes": _minutes(_quantile(errors, 0.9)) if errors else None,
            "bias_minutes": _minutes(statistics.fmean(accuracy)) if accuracy else None,
            "within_5_minutes": (
                round(100 * sum(1 for e in errors if e <= 300) / len(errors)) if errors else None
            ),
        },
    }
