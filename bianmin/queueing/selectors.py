"""Reads of the queue shared by the pages, the API, the display boards and the figures.

The key ones:

- ``presence(center)``: who can call what right now, from the hall's attendance and away
  notices (the away rule lives here: a post's tickets follow its substitute);
- ``waiting_order()`` / ``ahead_count()``: the order in which tickets are called;
- ``estimate()``: the wait estimate from today's measured service times and open windows;
- ``board_snapshot(center)``: what a display board shows when it (re)connects.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from bianmin.common import rows
from bianmin.hall import selectors as hall_selectors
from bianmin.hall import services as hall_services
from bianmin.hall.models import Attendance, AwayNotice, ExtraDuty, OpeningHours, Post, Window
from bianmin.org.models import Center
from bianmin.workdays.services import is_workday

from . import cache
from .models import (
    Appointment,
    AppointmentSlot,
    PriorityGroup,
    Queue,
    QueueEvent,
    QueueSettings,
    Ticket,
)

W = Ticket.Status
# Below this many measured services, the estimate leans on the center's assumed service time.
PRIOR_WEIGHT = 3


def settings_for(center: Center) -> QueueSettings:
    """The center's queue rules (an unsaved row with the defaults if none was saved)."""
    return center_config(center).settings


def center_config(center: Center) -> cache.CenterConfig:
    """The center's queues, windows, routing and settings (cached per process, see cache.py)."""
    return cache.get_config(center.pk, lambda: _build_config(center))


def _build_config(center: Center) -> cache.CenterConfig:
    cfg = cache.CenterConfig(center_id=center.pk)
    for q in Queue.objects.filter(center=center, active=True).order_by("letter"):
        cfg.queues[q.pk] = q
        cfg.by_letter[q.letter] = q
        cfg.queue_windows[q.pk] = set()
    for wid, number, name, kind in (
        Window.objects.filter(center=center, active=True)
        .values_list("id", "number", "name", "kind")
        .order_by("number")
    ):
        cfg.windows[wid] = cache.WindowInfo(wid, number, name, kind)
        cfg.window_queues[wid] = set()
        if kind == Window.Kind.ENQUIRY and cfg.enquiry_window is None:
            cfg.enquiry_window = wid
    for qid, wid in Queue.windows.through.objects.filter(
        queue__center=center, queue__active=True, window__active=True
    ).values_list("queue_id", "window_id"):
        cfg.window_queues[wid].add(qid)
        cfg.queue_windows[qid].add(wid)
    for route in hall_selectors.routing_table(center):
        qids = cfg.window_queues.get(route.window.pk) if route.window else None
        cfg.item_queue[route.item.pk] = (
            min(qids, key=lambda q: cfg.queues[q].letter) if qids else None
        )
    cfg.settings = QueueSettings.objects.filter(center=center).first() or QueueSettings(
        center=center
    )
    _listen_for_invalidation()
    return cfg


def _listen_for_invalidation() -> None:
    """With several processes, this one must hear when another changes a set-up."""
    from . import push

    carrier = push.broadcaster()
    if isinstance(carrier, push.PostgresBroadcaster):
        carrier.start()


def center_by_code(code: str) -> Center | None:
    """A center by its region code, cached a minute (the API looks it up on every call; a
    center's record changes a few times a year)."""
    return cache.get_stat(
        ("center", code),
        lambda: Center.objects.select_related("region").filter(region__code=code).first(),
        ttl=60.0,
    )


def window_of(center: Center, number: int) -> Window | None:
    """An active window by number, from the cached set-up (no query)."""
    info = next((w for w in center_config(center).windows.values() if w.number == number), None)
    if info is None:
        return None
    return Window(pk=info.id, center=center, number=info.number, name=info.name, kind=info.kind)


def window_by_id(center: Center, window_id: int) -> Window | None:
    """An active window by id, from the cached set-up (no query)."""
    info = center_config(center).windows.get(window_id)
    if info is None:
        return None
    return Window(pk=info.id, center=center, number=info.number, name=info.name, kind=info.kind)


def queues(center: Center, *, active_only: bool = True) -> QuerySet[Queue]:
    qs = Queue.objects.filter(center=center).order_by("letter")
    return qs.filter(active=True) if active_only else qs


def priority_groups(center: Center) -> QuerySet[PriorityGroup]:
    return PriorityGroup.objects.filter(center=center, active=True).order_by("name")


def today(now: dt.datetime | None = None) -> dt.date:
    return timezone.localdate(now or timezone.now())


# --- Who calls what: the hall's presence ------------------------------------------------------


@dataclass
class Presence:
    """The hall right now, as the queue sees it."""

    open_windows: dict[int, int] = field(default_factory=dict)  # window id → clerk at it
    numbers: dict[int, int] = field(default_factory=dict)  # window id → window number
    away: dict[int, AwayNotice] = field(default_factory=dict)  # post's window id → notice
    # post's window id → the window serving the post's tickets while its primary is away
    stand_in: dict[int, int | None] = field(default_factory=dict)
    queue_windows: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    window_queues: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    enquiry_window: int | None = None
    away_clerks: set[int] = field(default_factory=set)  # clerks with an open away notice

    def serving(self, window_id: int) -> bool:
        """Is the window open with its own clerk present (not away)?"""
        return window_id in self.open_windows and window_id not in self.away

    def served_queues(self, window_id: int) -> set[int]:
        """The queues a clerk at ``window_id`` calls from: its own, and those of every post it
        stands in for (AB岗: the backup's window, or the enquiry window, serves them)."""
        ids: set[int] = set()
        if self.serving(window_id):
            ids |= self.window_queues.get(window_id, set())
        for post_window, stand_in in self.stand_in.items():
            if stand_in == window_id:
                ids |= self.window_queues.get(post_window, set())
        return ids

    def reserved_windows(self, window_id: int) -> set[int]:
        """Tickets transferred to these windows may be called at ``window_id``."""
        ids = {window_id}
        for post_window, stand_in in self.stand_in.items():
            if stand_in == window_id:
                ids.add(post_window)
        return ids

    def servers(self, queue_id: int) -> set[int]:
        """The windows that would call ``queue_id``'s tickets now."""
        found = set()
        for window_id in self.numbers:
            if queue_id in self.served_queues(window_id):
                found.add(window_id)
        return found


def presence(center: Center) -> Presence:
    """Open windows, away notices and who stands in for whom (cached briefly, see cache.py)."""
    return cache.get_presence(center.pk, lambda: _build_presence(center))


def _build_presence(center: Center) -> Presence:
    cfg = center_config(center)
    p = Presence()
    p.numbers = {wid: w.number for wid, w in cfg.windows.items()}
    p.enquiry_window = cfg.enquiry_window
    p.window_queues = cfg.window_queues
    p.queue_windows = cfg.queue_windows
    p.open_windows = dict(
        Attendance.objects.filter(window__center=center, closed_at__isnull=True).values_list(
            "window_id", "clerk_id"
        )
    )
    notices = list(
        AwayNotice.objects.filter(post__window__center=center, returned_at__isnull=True)
        .select_related("post", "clerk", "substitute")
        .order_by("left_at")
    )
    for notice in notices:
        p.away[notice.post.window_id] = notice
        p.away_clerks.add(notice.clerk_id)
    for notice in notices:
        server = hall_services.current_server(notice.post)
        p.stand_in[notice.post.window_id] = _stand_in_window(center, p, server.pk)
    return p


def _stand_in_window(center: Center, p: Presence, server_id: int) -> int | None:
    """Where the substitute works: the window they have open; else their own post's window if
    it is open; else the enquiry window (兜底), if open."""
    for wid, clerk_id in p.open_windows.items():
        if clerk_id == server_id and wid not in p.away:
            return wid
    own = (
        Post.objects.filter(primary_id=server_id, window__center=center)
        .values_list("window_id", flat=True)
        .first()
    )
    if own is not None and p.serving(own):
        return own
    if p.enquiry_window is not None and p.serving(p.enquiry_window):
        return p.enquiry_window
    return None


# --- Order of service --------------------------------------------------------------------------


def effective_lane(now: dt.datetime):
    """An appointment ticket is ahead of walk-ins from its slot's start; before it (early
    check-in) it waits in the normal lane."""
    return Case(
        When(lane=Ticket.Lane.APPOINTMENT, ready_at__gt=now, then=Value(Ticket.Lane.NORMAL)),
        default=F("lane"),
        output_field=IntegerField(),
    )


def waiting_order(qs: QuerySet[Ticket], now: dt.datetime) -> QuerySet[Ticket]:
    return qs.annotate(eff_lane=effective_lane(now)).order_by("eff_lane", "place_at", "id")


def _lane_now(ticket: Ticket, now: dt.datetime) -> int:
    if ticket.lane == Ticket.Lane.APPOINTMENT and ticket.ready_at > now:
        return Ticket.Lane.NORMAL
    return ticket.lane


def ahead_count(ticket: Ticket, now: dt.datetime | None = None) -> int:
    """People in the ticket's queue who will be called before it (by the order rule)."""
    now = now or timezone.now()
    lane = _lane_now(ticket, now)
    qs = (
        Ticket.objects.filter(queue_id=ticket.queue_id, day=ticket.day, status=W.WAITING)
        .exclude(pk=ticket.pk)
        .annotate(eff_lane=effective_lane(now))
    )
    return qs.filter(
        Q(eff_lane__lt=lane)
        | Q(eff_lane=lane, place_at__lt=ticket.place_at)
        | Q(eff_lane=lane, place_at=ticket.place_at, id__lt=ticket.pk)
    ).count()


def waiting_counts(center: Center, day: dt.date | None = None) -> dict[int, int]:
    """Queue id → tickets waiting."""
    day = day or today()
    rows = (
        Ticket.objects.filter(center=center, day=day, status=W.WAITING)
        .values("queue_id")
        .annotate(n=Count("id"))
    )
    return {r["queue_id"]: r["n"] for r in rows}


def waiting_for_window(window: Window) -> int:
    """For the hall page: people waiting in the queues this window serves."""
    queue_ids = list(Queue.objects.filter(windows=window, active=True).values_list("id", flat=True))
    if not queue_ids:
        return 0
    return Ticket.objects.filter(queue_id__in=queue_ids, day=today(), status=W.WAITING).count()


# --- The wait estimate -------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    ahead: int
    seconds: int | None  # None: no window serving this queue is open
    servers: int
    mean_service_seconds: int

    @property
    def minutes(self) -> int | None:
        if self.seconds is None:
            return None
        return max(1, math.ceil(self.seconds / 60)) if self.seconds else 0


_TICKETS = Ticket._meta.db_table
_SERVICE_SQL = (
    f"SELECT COUNT(*), SUM(window_seconds) FROM {_TICKETS} "
    "WHERE queue_id = %s AND day = %s AND status = %s AND window_seconds IS NOT NULL"
)
_PRIORITY_SQL = (
    f"SELECT COUNT(*) FROM {_TICKETS} "
    "WHERE queue_id = %s AND issued_at >= %s AND issued_at <= %s AND lane IN (%s, %s)"
)
_WAITING_SQL = (
    f"SELECT COUNT(*) FROM {_TICKETS} WHERE queue_id = %s AND day = %s AND status = 'waiting'"
)


def _day(day: dt.date):
    return connection.ops.adapt_datefield_value(day)


def waiting_in(queue_id: int, day: dt.date) -> int:
    """People waiting in one queue that day (the board's count after a call): one fixed,
    prepared statement on the partial index of waiting tickets."""
    return rows.scalar(_WAITING_SQL, [queue_id, _day(day)])


def mean_service_seconds(queue_id: int, day: dt.date, default_minutes: int) -> float:
    """Today's mean window time per ticket in this queue (call → finish), pulled towards the
    center's assumed service time while few services are measured. Cached for a few seconds
    (finishing a ticket in this process drops it)."""

    def build():
        with rows.cursor() as cursor:  # fixed, prepared: rebuilt after every finish
            cursor.execute(_SERVICE_SQL, [queue_id, _day(day), W.DONE.value])
            n, total = cursor.fetchone()
        return n or 0, total or 0

    n, total = cache.get_stat(("service", queue_id, day), build)
    prior = default_minutes * 60
    return (total + PRIOR_WEIGHT * prior) / (n + PRIOR_WEIGHT)


def sessions_on(center: Center, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The hall's opening sessions that day (morning, afternoon, extra duty), in order."""

    def build():
        found = []
        if is_workday(day):
            row = OpeningHours.objects.filter(center=center, weekday=day.weekday()).first()
            if row is not None:
                found.append((row.morning_opens, row.morning_closes))
                if row.afternoon_opens and row.afternoon_closes:
                    found.append((row.afternoon_opens, row.afternoon_closes))
        found += list(
            ExtraDuty.objects.filter(center=center, date=day).values_list("opens", "closes")
        )
        return sorted(
            (
                timezone.make_aware(dt.datetime.combine(day, a)),
                timezone.make_aware(dt.datetime.combine(day, b)),
            )
            for a, b in found
        )

    return cache.get_stat(("sessions", center.pk, day), build)


def walk_in_closed(center: Center, now: dt.datetime | None = None):
    """The center's opening status if it is closed for the day (night, early morning, a rest
    day, a holiday), else None. The lunch break is not closed for the day: a ticket taken then
    waits through it, as the estimate counts. A center without hours entered is never closed
    here (nothing is known; people are not refused on a guess). The desk is never refused.

    Asked at every kiosk ticket: while the hall is in its day (from the first session's opening
    to the last one's closing, from the cached sessions) no query is made."""
    now = now or timezone.now()
    sessions = sessions_on(center, today(now))
    if sessions and sessions[0][0] <= now < max(closes for _opens, closes in sessions):
        return None
    status = hall_selectors.opening_status(center, now)
    return status if status.closed_for_the_day else None


def _finish_time(sessions, start: dt.datetime, work_seconds: float) -> dt.datetime:
    """When ``work_seconds`` of serving time, begun at ``start``, is done, counting only the
    time the hall is open (a ticket taken at 11:50 waits through the lunch break)."""
    if not sessions:
        return start + dt.timedelta(seconds=work_seconds)
    moment, left = start, work_seconds
    for opens, closes in sessions:
        if closes <= moment:
            continue
        moment = max(moment, opens)
        available = (closes - moment).total_seconds()
        if left <= available:
            return moment + dt.timedelta(seconds=left)
        left -= available
        moment = closes
    return moment + dt.timedelta(seconds=left)  # past closing: counted on as if open


def priority_rate(queue_id: int, now: dt.datetime) -> float:
    """Tickets per second that entered this queue ahead of the normal lane in the last hour."""
    bucket = int(now.timestamp() // 60)

    def build():
        ops = connection.ops
        return rows.scalar(
            _PRIORITY_SQL,
            [
                queue_id,
                ops.adapt_datetimefield_value(now - dt.timedelta(hours=1)),
                ops.adapt_datetimefield_value(now),
                int(Ticket.Lane.APPOINTMENT),
                int(Ticket.Lane.PRIORITY),
            ],
        )

    return cache.get_stat(("priority", queue_id, bucket), build) / 3600


def estimate(
    center: Center,
    queue_id: int,
    ahead: int,
    *,
    now: dt.datetime | None = None,
    p: Presence | None = None,
    lane: int = Ticket.Lane.NORMAL,
) -> Estimate:
    """The wait: the people ahead, served at the rate of the windows serving the queue now
    (each at today's mean window time per person), less the rate taken by people who will come
    in the priority lane meanwhile (for a normal ticket), counted through the hall's opening
    hours (a ticket taken before the lunch break waits through it). With no window of the queue
    open, the queue's windows are assumed to open at the next session; after the last session,
    there is no estimate.

    Its error on a replayed day is measured by ``simulate_day`` (docs/queue.md).
    """
    now = now or timezone.now()
    p = p or presence(center)
    mean = mean_service_seconds(queue_id, today(now), settings_for(center).default_service_minutes)
    servers = len(p.servers(queue_id))
    sessions = sessions_on(center, today(now))
    start = now
    if servers == 0:
        later = [opens for opens, closes in sessions if closes > now]
        servers = len(p.queue_windows.get(queue_id, ()))
        if not later or servers == 0:
            return Estimate(ahead, None, 0, int(mean))
        start = max(now, later[0])
    rate = servers / mean
    if lane == Ticket.Lane.NORMAL:
        rate -= min(priority_rate(queue_id, now), 0.75 * rate)
    finish = _finish_time(sessions, start, ahead / rate)
    return Estimate(ahead, max(0, int((finish - now).total_seconds())), servers, int(mean))


def ticket_estimate(ticket: Ticket, now: dt.datetime | None = None) -> Estimate | None:
    if ticket.status != W.WAITING:
        return None
    now = now or timezone.now()
    return estimate(
        ticket.center,
        ticket.queue_id,
        ahead_count(ticket, now),
        now=now,
        lane=_lane_now(ticket, now),
    )


# --- Pages and boards --------------------------------------------------------------------------


def call_text(code: str, window_number: int) -> str:
    """The call as shown: 请B007号到2号窗口办理 (always Chinese: the hall speaks Chinese)."""
    return f"请{code}号到{window_number}号窗口办理"


DIGITS = "零一二三四五六七八九"


def speech_text(code: str, window_number: int) -> str:
    """The call as spoken: the ticket's digits one by one (B零零七), the window as a number."""
    letters = "".join(c for c in code if not c.isdigit())
    digits = "".join(DIGITS[int(c)] for c in code if c.isdigit())
    return f"请，{letters}{digits}号，到{window_number}号窗口办理"


def open_ticket_at(window: Window) -> Ticket | None:
    return (
        Ticket.objects.filter(window=window, status__in=Ticket.OPEN_STATUSES)
        .select_related("queue", "visit__first_responder", "visit__first_window", "item")
        .first()
    )


def held_tickets(center: Center, day: dt.date | None = None) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(center=center, day=day or today(), status=W.HELD)
        .select_related("queue", "window", "clerk")
        .order_by("called_at")
    )


def waiting_list(queue_ids, day: dt.date, now: dt.datetime, limit: int = 30) -> list[Ticket]:
    qs = Ticket.objects.filter(queue_id__in=list(queue_ids), day=day, status=W.WAITING)
    return list(waiting_order(qs, now).select_related("queue", "item")[:limit])


def recent_calls(center: Center, *, limit: int = 8, day: dt.date | None = None) -> list[dict]:
    day = day or today()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    events = (
        QueueEvent.objects.filter(
            center=center,
            at__gte=start,
            kind__in=[
                QueueEvent.Kind.CALLED,
                QueueEvent.Kind.RECALLED,
                QueueEvent.Kind.CALLED_BACK,
            ],
        )
        .select_related("ticket", "window")
        .order_by("-at", "-id")[:limit]
    )
    return [
        {
            "id": e.pk,
            "ticket": e.ticket.code if e.ticket else "",
            "window": e.window.number if e.window else None,
            "at": timezone.localtime(e.at).strftime("%H:%M:%S"),
            "text": call_text(e.ticket.code, e.window.number) if e.ticket and e.window else "",
        }
        for e in events
    ]


def board_snapshot(center: Center, now: dt.datetime | None = None) -> dict:
    """Everything a display board shows, for its first paint and after every reconnect."""
    now = now or timezone.now()
    day = today(now)
    p = presence(center)
    current = {
        t.window_id: t
        for t in Ticket.objects.filter(
            center=center, status__in=Ticket.OPEN_STATUSES, window__isnull=False
        ).select_related("queue")
    }
    windows = []
    for window in Window.objects.filter(center=center, active=True).order_by("number"):
        if window.pk in p.away:
            state = "away"
        elif window.pk in p.open_windows:
            state = "open"
        else:
            state = "closed"
        ticket = current.get(window.pk)
        notice = p.away.get(window.pk)
        stand_in = p.stand_in.get(window.pk)
        windows.append(
            {
                "number": window.number,
                "name": window.name,
                "state": state,
                "ticket": ticket.code if ticket else None,
                "status": ticket.status if ticket else None,
                "away_until": (
                    timezone.localtime(notice.expected_return_at).strftime("%H:%M")
                    if notice
                    else None
                ),
                "stand_in": p.numbers.get(stand_in) if stand_in else None,
            }
        )
    counts = waiting_counts(center, day)
    return {
        "type": "snapshot",
        "center": center.pk,
        "center_name": center.name,
        "windows": windows,
        "recent": recent_calls(center, day=day),
        "queues": [
            {"letter": q.letter, "name": q.name, "waiting": counts.get(q.pk, 0)}
            for q in queues(center)
        ],
        "speech_repeat": settings_for(center).speech_repeat,
        "at": timezone.localtime(now).isoformat(timespec="seconds"),
    }


# --- Appointments ---------------------------------------------------------------------------


def open_slots(
    center: Center, day: dt.date, queue: Queue | None = None
) -> QuerySet[AppointmentSlot]:
    qs = AppointmentSlot.objects.filter(center=center, day=day, queue__active=True).select_related(
        "queue"
    )
    if queue is not None:
        qs = qs.filter(queue=queue)
    return qs.order_by("starts", "queue__letter")


def appointments_of_day(center: Center, day: dt.date) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(center=center, slot__day=day)
        .select_related("slot__queue", "person", "ticket", "item")
        .order_by("slot__starts", "id")
    )


# --- Visits ---------------------------------------------------------------------------------

# The cases app plugs in here (it sits above the queue): fn(visit) -> [(label, url), …], shown
# on the clerk's desk beside the visit, e.g. the cases opened from it.
VISIT_LINK_PROVIDERS: list = []


def visit_links(visit) -> list[tuple[str, str]]:
    links: list[tuple[str, str]] = []
    for provider in VISIT_LINK_PROVIDERS:
        links.extend(provider(visit))
    return links


def visit_case_numbers(visit) -> list[str]:
    """The numbers of the cases opened from this visit, oldest first: what the visit knows of
    them through the reverse relation the cases app declares (``Case.visit``, related name
    ``cases``), so that the queue never imports the app above it. Empty without that app."""
    related = getattr(visit, "cases", None)
    if related is None:
        return []
    return [str(n) for n in related.order_by("id").values_list("number", flat=True)]


def ticket_history(ticket: Ticket) -> list[QueueEvent]:
    """Everything that happened to a ticket, oldest first (who, where, what, notes)."""
    return list(
        QueueEvent.objects.filter(ticket=ticket)
        .select_related("actor", "window", "queue", "device")
        .order_by("at", "id")
    )
