"""What the system already knows about a checklist item, shown beside it as a hint.

A checklist item names its hint (``ChecklistItem.hint``); ``hints_for(center, keys, now)``
answers each with a short Chinese text and, where the records are clear, a suggestion
(``pass`` or ``fail``). The inspector still decides: the records may be out of date (that is
often what an inspection finds), so a hint never answers an item by itself.

Hints are computed once, when the inspection starts, and kept with its answers.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from bianmin.cases.machine import CLOCK_STATES
from bianmin.cases.models import Case
from bianmin.hall.models import ExtraDuty, Facility, TrainingRecord, Window, Zone
from bianmin.hall.selectors import State, window_states
from bianmin.org.models import Center
from bianmin.queueing.models import AppointmentSlot, Visit

PASS, FAIL = "pass", "fail"
SPECIAL_KINDS = (Window.Kind.ASSISTED, Window.Kind.UNRESOLVED)


class _Context:
    """The hall's records of one center, each read at most once."""

    def __init__(self, center: Center, now: dt.datetime):
        self.center, self.now = center, now
        self._cache: dict[str, object] = {}

    def get(self, key, load):
        if key not in self._cache:
            self._cache[key] = load()
        return self._cache[key]

    @property
    def facilities(self) -> dict[str, Facility]:
        return self.get("facilities", lambda: {f.kind: f for f in self.center.facilities.all()})

    @property
    def zones(self) -> dict[str, Zone]:
        return self.get("zones", lambda: {z.kind: z for z in self.center.zones.all()})

    @property
    def windows(self) -> list[Window]:
        return self.get("windows", lambda: list(self.center.windows.filter(active=True)))

    @property
    def states(self):
        return self.get(
            "states",
            lambda: [s for s in window_states(self.center, now=self.now) if s.window.active],
        )


def _facility(ctx: _Context, kind: str):
    f = ctx.facilities.get(kind)
    label = Facility.Kind(kind).label
    if f is None:
        return _("Not in the facility inventory: %(f)s.") % {"f": label}, FAIL
    checked = f.last_checked_on.isoformat() if f.last_checked_on else _("never")
    text = _("Inventory: %(f)s × %(n)s, %(status)s (last checked %(checked)s).") % {
        "f": label,
        "n": f.quantity,
        "status": f.get_status_display(),
        "checked": checked,
    }
    if f.notes:
        text += " " + f.notes
    return text, (PASS if f.status == Facility.Status.OK and f.quantity > 0 else FAIL)


def _zone(ctx: _Context, kind: str):
    zone = ctx.zones.get(kind)
    if zone is None:
        return _("The hall's record has no %(zone)s.") % {"zone": Zone.Kind(kind).label}, FAIL
    return _("Recorded: %(name)s.") % {"name": zone.name}, ""


def _windows(ctx: _Context, kind: str):
    windows = ctx.windows
    if kind == "special":
        found = [w for w in windows if w.kind in SPECIAL_KINDS]
        enquiry = [w for w in windows if w.kind == Window.Kind.ENQUIRY]
        if found:
            return _("Windows in use: %(w)s.") % {"w": "、".join(str(w) for w in found)}, PASS
        if enquiry:
            return _("No separate window; the enquiry window may take the role."), ""
        return _("No assisted-service or can't-get-it-done window, and no enquiry window."), FAIL
    found = [w for w in windows if w.kind == kind]
    if kind == Window.Kind.DOMAIN:
        text = _("%(n)s domain windows in use.") % {"n": len(found)}
        return text, (PASS if 2 <= len(found) <= 3 else FAIL)
    if not found:
        return _("No enquiry window in use."), FAIL
    return _("Windows in use: %(w)s.") % {"w": "、".join(str(w) for w in found)}, PASS


def _posts(ctx: _Context):
    states = ctx.states
    without = [s.window for s in states if s.post is None]
    if not states:
        return _("No window in use."), ""
    if without:
        return _("Windows without an A/B post: %(w)s.") % {
            "w": "、".join(str(w) for w in without)
        }, FAIL
    return _("All %(n)s windows in use have a primary (A) and a backup (B).") % {
        "n": len(states)
    }, PASS


def _staffed(ctx: _Context):
    states = ctx.states
    counts = {k: 0 for k in (State.OPEN, State.AWAY, State.CLOSED, State.UNSTAFFED)}
    for s in states:
        counts[s.state] += 1
    text = _("Now: %(open)s serving, %(away)s away, %(closed)s closed, %(none)s unstaffed.") % {
        "open": counts[State.OPEN],
        "away": counts[State.AWAY],
        "closed": counts[State.CLOSED],
        "none": counts[State.UNSTAFFED],
    }
    serving = [
        f"{s.window.number}号 {s.server.full_name}"
        for s in states
        if s.state == State.OPEN and s.server
    ]
    if serving:
        text += " " + "、".join(serving)
    return text, ""


def _aways(ctx: _Context):
    open_ = [s for s in ctx.states if s.away is not None]
    if not open_:
        return _("No clerk is away now."), ""
    overdue = [s for s in open_ if s.overdue]
    text = "；".join(
        _("%(window)s: %(clerk)s away (%(reason)s), back %(back)s, %(sub)s serves")
        % {
            "window": s.window,
            "clerk": s.away.clerk.full_name,
            "reason": s.away.reason,
            "back": f"{s.away.expected_return_at:%H:%M}",
            "sub": s.away.substitute.full_name,
        }
        for s in open_
    )
    if overdue:
        text += " " + _("(%(n)s past the announced return)") % {"n": len(overdue)}
    return text, (FAIL if overdue else "")


def _time_limit(ctx: _Context):
    n = Case.objects.filter(center=ctx.center, state__in=CLOCK_STATES, due_at__lt=ctx.now).count()
    if n:
        return _("%(n)s cases past their deadline now.") % {"n": n}, FAIL
    return _("No case past its deadline now."), PASS


def _first_responder(ctx: _Context):
    since = ctx.now - dt.timedelta(days=30)
    agg = Visit.objects.filter(center=ctx.center, opened_at__gte=since).aggregate(
        total=Count("id"), without=Count("id", filter=Q(first_responder__isnull=True))
    )
    if not agg["total"]:
        return _("No visits recorded in the last 30 days."), ""
    return _("Last 30 days: %(total)s visits, %(without)s without a first responder.") % agg, (
        FAIL if agg["without"] else PASS
    )


def _one_time_notice(ctx: _Context):
    since = ctx.now - dt.timedelta(days=90)
    agg = Case.objects.filter(
        center=ctx.center, notices__isnull=False, received_at__gte=since
    ).aggregate(
        cases=Count("id", distinct=True),
        again=Count("id", distinct=True, filter=Q(notices__number__gte=2)),
    )
    if not agg["cases"]:
        return _("No one-time notice issued in the last 90 days."), ""
    return _(
        "Last 90 days: %(cases)s cases with a notice, %(again)s with a second notice."
    ) % agg, (FAIL if agg["again"] else PASS)


def _training(ctx: _Context):
    year = ctx.now.year
    qs = TrainingRecord.objects.filter(clerk__center=ctx.center, held_on__year=year)
    n = qs.count()
    if not n:
        return _("No training recorded this year."), FAIL
    return _("%(n)s training records this year.") % {"n": n}, PASS


def _extra_duty(ctx: _Context):
    today = ctx.now.date()
    qs = ExtraDuty.objects.filter(
        center=ctx.center,
        date__gte=today - dt.timedelta(days=90),
        date__lte=today + dt.timedelta(days=30),
    )
    n = qs.count()
    if not n:
        return _("No extended, staggered or weekend duty recorded around now."), ""
    return _("%(n)s extra duties recorded (90 days back, 30 ahead).") % {"n": n}, PASS


def _appointments(ctx: _Context):
    today = ctx.now.date()
    n = AppointmentSlot.objects.filter(
        center=ctx.center, day__gte=today, day__lte=today + dt.timedelta(days=14)
    ).count()
    if not n:
        return _("No appointment slots in the next 14 days."), FAIL
    return _("%(n)s appointment slots in the next 14 days.") % {"n": n}, PASS


def _center_name(ctx: _Context):
    expected = f"{ctx.center.region.name}便民服务中心"
    if ctx.center.name == expected:
        return _("Recorded name: %(name)s.") % {"name": ctx.center.name}, ""
    return _("Recorded name %(name)s differs from %(expected)s.") % {
        "name": ctx.center.name,
        "expected": expected,
    }, FAIL


_SIMPLE = {
    "posts_backup": _posts,
    "windows_staffed": _staffed,
    "away_notices": _aways,
    "time_limit": _time_limit,
    "first_responder": _first_responder,
    "one_time_notice": _one_time_notice,
    "training": _training,
    "extra_duty": _extra_duty,
    "appointments": _appointments,
    "center_name": _center_name,
}
_PREFIXED = {"facility": _facility, "zone": _zone, "window": _windows}


def known_hint(key: str) -> bool:
    if not key:
        return True
    prefix, _sep, arg = key.partition(":")
    if prefix == "facility":
        return arg in Facility.Kind.values
    if prefix == "zone":
        return arg in Zone.Kind.values
    if prefix == "window":
        return arg in (*Window.Kind.values, "special")
    return key in _SIMPLE


def hints_for(center: Center, keys, now: dt.datetime) -> dict[str, tuple[str, str]]:
    """{key: (text, suggestion)} for each known key."""
    ctx = _Context(center, now)
    out: dict[str, tuple[str, str]] = {}
    for key in set(keys):
        if not key or not known_hint(key):
            continue
        prefix, _sep, arg = key.partition(":")
        fn = _PREFIXED.get(prefix)
        text, suggests = fn(ctx, arg) if fn and arg else _SIMPLE[key](ctx)
        out[key] = (str(text)[:300], suggests)
    return out
