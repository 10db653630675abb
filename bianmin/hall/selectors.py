"""Reads of the hall: window states for the board and the manager's page, routing, hours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from bianmin.catalog.models import ServiceItem
from bianmin.catalog.selectors import entered_items
from bianmin.org.models import Center
from bianmin.workdays.services import is_workday

from .models import Attendance, AwayNotice, ExtraDuty, OpeningHours, Post, RoutingOverride, Window

# The queue app plugs in here: fn(window) -> number of people waiting for that window.
QUEUE_LENGTH_PROVIDERS: list[Callable[[Window], int]] = []


class State:
    CLOSED = "closed"
    OPEN = "open"
    AWAY = "away"
    UNSTAFFED = "unstaffed"


STATE_LABELS = {
    State.CLOSED: "暂停服务",
    State.OPEN: "正在服务",
    State.AWAY: "离岗",
    State.UNSTAFFED: "未配岗",
}


@dataclass
class WindowState:
    window: Window
    post: Post | None
    state: str
    attendance: Attendance | None = None
    away: AwayNotice | None = None
    server: object | None = None  # the user serving the post now
    substitute_window: Window | None = None  # where the substitute sits
    overdue: bool = False
    queue_length: int | None = None
    domains: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


def window_states(center: Center, *, now: dt.datetime | None = None) -> list[WindowState]:
    now = now or timezone.now()
    windows = list(
        Window.objects.filter(center=center)
        .select_related("post__primary", "post__backup")
        .prefetch_related(
            "domains",
            Prefetch(
                "attendances",
                queryset=Attendance.objects.filter(closed_at__isnull=True),
                to_attr="open_attendance",
            ),
        )
        .order_by("number")
    )
    open_aways = {
        n.post_id: n
        for n in AwayNotice.objects.filter(
            post__window__center=center, returned_at__isnull=True
        ).select_related("substitute", "clerk")
    }
    primary_window = {w.post.primary_id: w for w in windows if hasattr(w, "post")}
    states = []
    for window in windows:
        post = getattr(window, "post", None)
        attendance = window.open_attendance[0] if window.open_attendance else None
        away = open_aways.get(post.pk) if post else None
        if post is None:
            state = State.UNSTAFFED
        elif away is not None:
            state = State.AWAY
        elif attendance is not None:
            state = State.OPEN
        else:
            state = State.CLOSED
        ws = WindowState(
            window=window,
            post=post,
            state=state,
            attendance=attendance,
            away=away,
            server=(away.substitute if away else (post.primary if post else None)),
            substitute_window=primary_window.get(away.substitute_id) if away else None,
            overdue=bool(away and away.expected_return_at < now),
            domains=list(window.domains.all()),
        )
        if QUEUE_LENGTH_PROVIDERS:
            ws.queue_length = sum(p(window) for p in QUEUE_LENGTH_PROVIDERS)
        states.append(ws)
    return states


def role_window(center: Center, kind: str) -> Window | None:
    """The window that plays ``kind``'s role: its own, or the enquiry window (policy 二6)."""
    own = center.windows.filter(kind=kind, active=True).order_by("number").first()
    if own is not None:
        return own
    return center.windows.filter(kind=Window.Kind.ENQUIRY, active=True).order_by("number").first()


@dataclass(frozen=True)
class Route:
    item: ServiceItem
    window: Window | None
    reason: str


def routing_table(center: Center, items=None) -> list[Route]:
    """Where each entered item is served, and why (rules of policy 二5 and 二6).

    1. a manager's override;
    2. a cross-region item goes to the cross-region window, if there is one;
    3. a high-frequency, seasonal or forwarded item goes to the domain window serving its domain;
    4. everything else — low-frequency items, items of a domain no window serves — goes to the
       enquiry window, the fallback (兜底).
    """
    windows = list(
        Window.objects.filter(center=center, active=True)
        .prefetch_related("domains")
        .order_by("number")
    )
    by_domain: dict[int, Window] = {}
    for w in windows:
        if w.kind == Window.Kind.DOMAIN:
            for d in w.domains.all():
                by_domain.setdefault(d.pk, w)
    enquiry = next((w for w in windows if w.kind == Window.Kind.ENQUIRY), None)
    cross = next((w for w in windows if w.kind == Window.Kind.CROSS_REGION), None)
    overrides = {
        o.item_id: o.window
        for o in RoutingOverride.objects.filter(center=center, window__active=True).select_related(
            "window"
        )
    }
    items = list(entered_items(center) if items is None else items)
    routes = []
    for item in items:
        if item.pk in overrides:
            routes.append(Route(item, overrides[item.pk], _("set by the manager")))
        elif item.cross_region and cross is not None:
            routes.append(Route(item, cross, _("cross-region item")))
        elif item.frequency != ServiceItem.Frequency.LOW and item.domain_id in by_domain:
            routes.append(
                Route(
                    item,
                    by_domain[item.domain_id],
                    _("domain window of %(domain)s") % {"domain": item.domain},
                )
            )
        elif enquiry is not None:
            reason = (
                _("low-frequency item: enquiry window")
                if item.frequency == ServiceItem.Frequency.LOW
                else _("no domain window for %(domain)s: enquiry window") % {"domain": item.domain}
            )
            routes.append(Route(item, enquiry, reason))
        else:
            routes.append(Route(item, None, _("no window serves this item")))
    return routes


def route_item(center: Center, item: ServiceItem) -> Window | None:
    return routing_table(center, [item])[0].window


def unserved_items(center: Center) -> list[ServiceItem]:
    """Entered items that no window in use serves: the catalogue audit reports them."""
    return [r.item for r in routing_table(center) if r.window is None]


def overdue_aways(center: Center, *, now: dt.datetime | None = None):
    now = now or timezone.now()
    return AwayNotice.objects.filter(
        post__window__center=center, returned_at__isnull=True, expected_return_at__lt=now
    ).select_related("clerk", "substitute", "post__window")


def pending_approvals(center: Center):
    return AwayNotice.objects.filter(
        post__window__center=center, approval=AwayNotice.Approval.PENDING
    ).select_related("clerk", "substitute", "post__window")


def opening_hours(center: Center) -> list[OpeningHours]:
    return list(center.opening_hours.order_by("weekday"))


def opening_hours_text(center: Center) -> str:
    """One line for guides and the kiosk, e.g. 周一至周五 上午8:30-12:00，下午14:30-17:30."""
    rows = opening_hours(center)
    if not rows:
        return ""
    names = "一二三四五六日"
    groups: list[tuple[list[int], tuple]] = []
    for r in rows:
        key = (r.morning_opens, r.morning_closes, r.afternoon_opens, r.afternoon_closes)
        if groups and groups[-1][1] == key and groups[-1][0][-1] == r.weekday - 1:
            groups[-1][0].append(r.weekday)
        else:
            groups.append(([r.weekday], key))
    parts = []
    for days, (mo, mc, ao, ac) in groups:
        span = (
            f"周{names[days[0]]}" if len(days) == 1 else f"周{names[days[0]]}至周{names[days[-1]]}"
        )
        text = f"{span} 上午{mo:%-H:%M}-{mc:%H:%M}"
        if ao:
            text += f"，下午{ao:%-H:%M}-{ac:%H:%M}"
        parts.append(text)
    return "；".join(parts)


# How far ahead ``opening_status`` looks for the next opening (the longest holiday is 8 days).
OPENING_HORIZON_DAYS = 45


@dataclass(frozen=True)
class OpeningStatus:
    """Whether a center is open at a moment, and when it next opens if not.

    ``has_hours`` is False for a center whose hours nobody has entered: nothing is known, and
    callers (the kiosk) treat it as open rather than refuse people on a guess."""

    has_hours: bool
    is_open: bool
    next_opens: dt.datetime | None = None
    # Closed between two sessions of the same day (the lunch break): a session began earlier
    # today and another begins later today.
    between_sessions: bool = False

    @property
    def closed(self) -> bool:
        return self.has_hours and not self.is_open

    @property
    def closed_for_the_day(self) -> bool:
        """Closed and not merely at lunch: night, early morning, a rest day or a holiday."""
        return self.closed and not self.between_sessions


def _sessions(rows: dict, duties: dict, day: dt.date) -> list[tuple[dt.time, dt.time]]:
    """A day's sessions: the weekday's hours on a working day (not on a weekend or a statutory
    holiday: ``workdays``), and any extra duty (延时、错时、周末服务) that day."""
    found = []
    row = rows.get(day.weekday())
    if row is not None and is_workday(day):
        found.append((row.morning_opens, row.morning_closes))
        if row.afternoon_opens and row.afternoon_closes:
            found.append((row.afternoon_opens, row.afternoon_closes))
    found += duties.get(day, [])
    return sorted(found)


def opening_status(center: Center, moment: dt.datetime) -> OpeningStatus:
    """Open at ``moment`` (local time) or not, and if not the start of the next session within
    ``OPENING_HORIZON_DAYS``. Two queries (hours, extra duties) whatever the horizon."""
    local = timezone.localtime(moment)
    today = local.date()
    rows = {r.weekday: r for r in center.opening_hours.all()}
    duties: dict[dt.date, list[tuple[dt.time, dt.time]]] = {}
    for duty in ExtraDuty.objects.filter(
        center=center,
        date__gte=today,
        date__lte=today + dt.timedelta(days=OPENING_HORIZON_DAYS),
    ):
        duties.setdefault(duty.date, []).append((duty.opens, duty.closes))
    if not rows and not duties:
        return OpeningStatus(has_hours=False, is_open=False)
    t = local.time().replace(tzinfo=None)
    sessions = _sessions(rows, duties, today)
    if any(opens <= t < closes for opens, closes in sessions):
        return OpeningStatus(has_hours=True, is_open=True)
    began_today = any(opens <= t for opens, _closes in sessions)
    for offset in range(OPENING_HORIZON_DAYS + 1):
        day = today + dt.timedelta(days=offset)
        for opens, _closes in _sessions(rows, duties, day) if offset else sessions:
            if offset or opens > t:
                return OpeningStatus(
                    has_hours=True,
                    is_open=False,
                    next_opens=timezone.make_aware(dt.datetime.combine(day, opens)),
                    between_sessions=began_today and not offset,
                )
    return OpeningStatus(has_hours=True, is_open=False)


def is_open_at(center: Center, moment: dt.datetime) -> bool:
    return opening_status(center, moment).is_open


def next_opening_text(moment: dt.datetime | None) -> str:
    """The next opening as people read it: 12月1日（周一）8:30."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    weekday = [
        pgettext("short weekday", "Mon"),
        pgettext("short weekday", "Tue"),
        pgettext("short weekday", "Wed"),
        pgettext("short weekday", "Thu"),
        pgettext("short weekday", "Fri"),
        pgettext("short weekday", "Sat"),
        pgettext("short weekday", "Sun"),
    ][local.weekday()]
    return _("%(month)s/%(day)s (%(weekday)s) %(time)s") % {
        "month": local.month,
        "day": local.day,
        "weekday": weekday,
        "time": f"{local.hour}:{local.minute:02d}",
    }


def closed_message(status: OpeningStatus) -> str:
    """What the kiosk and the portal say when they refuse a walk-in ticket while closed."""
    if status.next_opens is None:
        return _("This center is closed now.")
    return _("This center is closed now. It next opens: %(when)s.") % {
        "when": next_opening_text(status.next_opens)
    }
