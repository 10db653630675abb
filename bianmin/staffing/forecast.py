"""The staffing plan of one center and day (policy 三(二): 人等事 vs 事等人).

For each active queue and each hour the hall is open that day:

1. **usual arrivals**: the walk-in tickets issued in that queue and hour (as the queue figures
   count them: by the queue a ticket was issued in and the hour of ``issued_at``; tickets of an
   appointment check-in left out, since bookings are counted apart) on the same weekday of the
   last weeks — working days only, and only days on which the center issued tickets at all —,
   averaged;
2. **bookings**: the appointments already booked for the day, by the hour their slot starts;
3. **expected peaks** the manager entered: the usual arrivals multiplied by the peak's factor,
   plus its extra people spread over its hours by the minutes the hall is open;
4. **service time**: the mean window time per person (call → finish, as the wait estimate
   measures it) of the queue over the last weeks, pulled towards the center's assumed service
   time while few services are measured (``queueing.selectors.PRIOR_WEIGHT``);
5. **windows needed**: the fewest windows with which the center's waiting target holds (e.g.
   80 % called within 15 minutes), by Erlang C (``erlang.py``) at the hour's arrival rate;
6. **windows planned**: the hall's active windows that serve the queue;
7. the **shortfall** and the recommendations, hour blocks with the same figures read as one
   sentence.

docs/staffing.md explains the figures and their assumptions.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.db.models.functions import ExtractHour
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.hall.models import Window
from bianmin.org.models import Center
from bianmin.queueing import selectors as queue_selectors
from bianmin.queueing.models import Appointment, Channel, Ticket
from bianmin.workdays.services import is_workday

from . import erlang
from .models import ExpectedPeak, StaffingSettings
from .selectors import peaks_of, settings_for


@dataclass
class HistoryDay:
    day: dt.date
    used: bool  # a working day on which the center issued tickets
    reason: str = ""  # why not used


@dataclass
class Cell:
    """One queue in one hour."""

    hour: int
    opens: dt.time
    closes: dt.time
    open_minutes: int
    history: list[tuple[dt.date, int]] = field(default_factory=list)
    usual: float = 0.0  # mean walk-ins over the history days
    booked: int = 0
    peak_extra: float = 0.0  # what the peaks add (factor and extra people)
    forecast: float = 0.0  # people expected in this hour
    rate: float = 0.0  # people per hour while open
    needed: int = 0
    planned: int = 0
    share_planned: float | None = None  # % called within the target with the planned windows
    wait_planned: float | None = None  # mean wait (minutes) with the planned windows

    @property
    def shortfall(self) -> int:
        return max(0, self.needed - self.planned)

    @property
    def label(self) -> str:
        return f"{self.opens:%H:%M}"

    @property
    def span(self) -> str:
        return f"{self.opens:%H:%M}–{self.closes:%H:%M}"

    @property
    def history_text(self) -> str:
        return "，".join(f"{d:%m-%d}: {n}" for d, n in self.history)


@dataclass
class QueuePlan:
    id: int
    letter: str
    name: str
    window_kind: str
    window_numbers: list[int]
    service_minutes: float
    services_measured: int
    cells: list[Cell] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.letter} {self.name}"

    @property
    def planned(self) -> int:
        return len(self.window_numbers)

    @property
    def total_forecast(self) -> float:
        return sum(c.forecast for c in self.cells)

    @property
    def short(self) -> bool:
        return any(c.shortfall for c in self.cells)


@dataclass
class Recommendation:
    queue: str
    letter: str
    kind: str  # "open": a window short; "spare": a window more than needed
    starts: dt.time
    ends: dt.time
    needed: int
    planned: int
    text: str


@dataclass
class Plan:
    center: Center
    day: dt.date
    settings: StaffingSettings
    history: list[HistoryDay]
    queues: list[QueuePlan]
    recommendations: list[Recommendation]
    peaks: list[ExpectedPeak]
    open: bool  # the hall opens that day

    @property
    def history_used(self) -> list[dt.date]:
        return sorted(h.day for h in self.history if h.used)

    @property
    def target_text(self) -> str:
        return _("%(share)s%% of people called within %(minutes)s minutes") % {
            "share": self.settings.target_share,
            "minutes": self.settings.target_minutes,
        }


def history_days(day: dt.date, today: dt.date, weeks: int) -> list[dt.date]:
    """The same weekday in each of the last ``weeks`` weeks before ``day`` that lie before
    ``today`` (a day not yet over is not history), latest first."""
    first = day - dt.timedelta(days=7)
    while first >= today:
        first -= dt.timedelta(days=7)
    return [first - dt.timedelta(days=7 * k) for k in range(weeks)]


def _open_hours(center: Center, day: dt.date) -> list[tuple[int, dt.time, dt.time, int]]:
    """(hour, opens, closes, open minutes) for each hour the hall is open that day."""
    sessions = queue_selectors.sessions_on(center, day)
    out = []
    for h in range(24):
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(h)))
        end = start + dt.timedelta(hours=1)
        pieces = [(max(a, start), min(b, end)) for a, b in sessions if a < end and b > start]
        if not pieces:
            continue
        minutes = sum(int((b - a).total_seconds() // 60) for a, b in pieces)
        if minutes <= 0:
            continue
        opens = timezone.localtime(min(a for a, _b in pieces)).time()
        last = max(b for _a, b in pieces)
        closes = dt.time(23, 59) if last >= end and h == 23 else timezone.localtime(last).time()
        out.append((h, opens, closes, minutes))
    return out


def _nth(n: int) -> str:
    words = {
        2: _("second"),
        3: _("third"),
        4: _("fourth"),
        5: _("fifth"),
        6: _("sixth"),
        7: _("seventh"),
        8: _("eighth"),
        9: _("ninth"),
        10: _("tenth"),
    }
    return words.get(n) or _("no. %(n)s") % {"n": n}


def _kind_word(kind: str) -> str:
    if kind == Window.Kind.DOMAIN:
        return _("domain window")
    if kind == Window.Kind.ENQUIRY:
        return _("enquiry window")
    return _("window of this kind")


def _sentence(q: QueuePlan, block: list[Cell]) -> Recommendation | None:
    first, last = block[0], block[-1]
    needed, planned = first.needed, first.planned
    args = {
        "queue": q.label,
        "start": f"{first.opens:%H:%M}",
        "end": f"{last.closes:%H:%M}",
        "needed": needed,
        "planned": planned,
        "kind": _kind_word(q.window_kind),
    }
    if needed > planned:
        if planned == 0:
            text = (
                _(
                    "%(queue)s: %(start)s–%(end)s needs %(needed)s windows, but no window of the "
                    "hall serves this queue → assign windows to it in the hall's set-up."
                )
                % args
            )
        elif needed - planned == 1:
            args["nth"] = _nth(needed)
            text = (
                _(
                    "%(queue)s: %(start)s–%(end)s needs %(needed)s windows, %(planned)s planned "
                    "→ open a %(nth)s %(kind)s for this queue from %(start)s to %(end)s."
                )
                % args
            )
        else:
            args["more"] = needed - planned
            text = (
                _(
                    "%(queue)s: %(start)s–%(end)s needs %(needed)s windows, %(planned)s planned "
                    "→ open %(more)s more (%(kind)s) for this queue from %(start)s to %(end)s."
                )
                % args
            )
        kind = "open"
    else:
        spare = planned - max(needed, 1)
        if spare < 1:
            return None
        args["spare"] = spare
        args["needed"] = max(needed, 1)  # a queue in use keeps one window open
        text = (
            _(
                "%(queue)s: %(start)s–%(end)s %(needed)s windows suffice, %(planned)s planned → "
                "%(spare)s clerks may do assisted service or back-office work meanwhile."
            )
            % args
        )
        kind = "spare"
    return Recommendation(q.label, q.letter, kind, first.opens, last.closes, needed, planned, text)


def _recommend(queues: list[QueuePlan]) -> list[Recommendation]:
    out: list[Recommendation] = []
    for q in queues:
        block: list[Cell] = []
        for cell in q.cells:
            same = (
                block
                and cell.hour == block[-1].hour + 1
                and (cell.needed, cell.planned) == (block[-1].needed, block[-1].planned)
            )
            if block and not same:
                out.append(_sentence(q, block))
                block = []
            block.append(cell)
        if block:
            out.append(_sentence(q, block))
    found = [r for r in out if r is not None]
    # What is short first (人等事), then the spare capacity (事等人).
    return sorted(found, key=lambda r: (r.kind != "open", r.letter, r.starts))


def plan(center: Center, day: dt.date, *, now: dt.datetime | None = None) -> Plan:
    now = now or timezone.now()
    today = timezone.localdate(now)
    cfg = queue_selectors.center_config(center)
    settings = settings_for(center)
    qsettings = cfg.settings
    default_minutes = qsettings.default_service_minutes

    # 1. History: the same weekday of the last weeks (working days on which tickets were issued).
    candidates = history_days(day, today, settings.history_weeks)
    workdays = [d for d in candidates if is_workday(d)]
    counts: dict[tuple[int, dt.date, int], int] = defaultdict(int)
    active_days: set[dt.date] = set()
    if workdays:
        for qid, d, hour, channel, n in (
            Ticket.objects.filter(center=center, day__in=workdays)
            .annotate(hour=ExtractHour("issued_at"))
            .values_list("issued_queue_id", "day", "hour", "channel")
            .annotate(n=Count("id"))
            .order_by()
        ):
            active_days.add(d)
            if channel != Channel.APPOINTMENT:
                counts[(qid, d, hour)] += n
    history = []
    for d in candidates:
        if d not in workdays:
            history.append(HistoryDay(d, False, _("rest day")))
        elif d not in active_days:
            history.append(HistoryDay(d, False, _("no tickets recorded")))
        else:
            history.append(HistoryDay(d, True))
    used = sorted(d for d in active_days)

    # 4. Service time per queue (the queue a ticket was served in), the last weeks.
    since = today - dt.timedelta(days=7 * settings.history_weeks)
    measured = {
        qid: (n, total or 0)
        for qid, n, total in Ticket.objects.filter(
            center=center,
            day__gte=since,
            day__lt=today,
            status=Ticket.Status.DONE,
            window_seconds__isnull=False,
        )
        .values_list("queue_id")
        .annotate(n=Count("id"), total=Sum("window_seconds"))
        .order_by()
    }

    # 2. Bookings of the day.
    booked: dict[tuple[int, int], int] = defaultdict(int)
    for qid, starts, n in (
        Appointment.objects.filter(
            center=center,
            slot__day=day,
            status__in=[Appointment.Status.BOOKED, Appointment.Status.CHECKED_IN],
        )
        .values_list("slot__queue_id", "slot__starts")
        .annotate(n=Count("id"))
        .order_by()
    ):
        booked[(qid, starts.hour)] += n

    peaks = list(peaks_of(center, day, removed=True))
    hours = _open_hours(center, day)
    prior = default_minutes * 60
    kinds = {w.id: w.kind for w in cfg.windows.values()}
    queues: list[QueuePlan] = []
    for q in sorted(cfg.queues.values(), key=lambda q: q.letter):
        window_ids = sorted(cfg.queue_windows.get(q.pk, ()), key=lambda w: cfg.windows[w].number)
        n, total = measured.get(q.pk, (0, 0))
        weight = queue_selectors.PRIOR_WEIGHT
        service = (total + weight * prior) / (n + weight) / 60
        window_kinds = {kinds[w] for w in window_ids}
        qp = QueuePlan(
            id=q.pk,
            letter=q.letter,
            name=q.name,
            window_kind=window_kinds.pop() if len(window_kinds) == 1 else "",
            window_numbers=[cfg.windows[w].number for w in window_ids],
            service_minutes=round(service, 1),
            services_measured=n,
        )
        for h, opens, closes, minutes in hours:
            cell = Cell(hour=h, opens=opens, closes=closes, open_minutes=minutes)
            cell.history = [(d, counts.get((q.pk, d, h), 0)) for d in used]
            cell.usual = sum(x for _d, x in cell.history) / len(used) if used else 0.0
            cell.booked = booked.get((q.pk, h), 0)
            cell.planned = qp.planned
            qp.cells.append(cell)
        _apply_peaks(qp, [p for p in peaks if p.active and p.queue_id == q.pk])
        for cell in qp.cells:
            cell.forecast = round(cell.usual + cell.peak_extra + cell.booked, 1)
            cell.rate = cell.forecast * 60 / cell.open_minutes
            target = settings.target_minutes
            share = settings.target_share / 100
            cell.needed = erlang.windows_needed(cell.rate, service, minutes=target, share=share)
            if cell.planned:
                within = erlang.share_within(cell.planned, cell.rate, service, target)
                wait = erlang.mean_wait(cell.planned, cell.rate, service)
                cell.share_planned = round(100 * within)
                cell.wait_planned = None if math.isinf(wait) else round(wait, 1)
        queues.append(qp)
    return Plan(
        center=center,
        day=day,
        settings=settings,
        history=history,
        queues=queues,
        recommendations=_recommend(queues),
        peaks=peaks,
        open=bool(hours),
    )


def _apply_peaks(qp: QueuePlan, peaks: list[ExpectedPeak]) -> None:
    """A peak multiplies the usual arrivals of its hours by its factor and spreads its extra
    people over its hours in proportion to the minutes the hall is open."""
    for peak in peaks:
        cells = [c for c in qp.cells if peak.starts_hour <= c.hour < peak.ends_hour]
        minutes = sum(c.open_minutes for c in cells)
        for c in cells:
            if peak.factor is not None:
                c.peak_extra += c.usual * (float(peak.factor) - 1)
            if peak.extra_people and minutes:
                c.peak_extra += peak.extra_people * c.open_minutes / minutes
