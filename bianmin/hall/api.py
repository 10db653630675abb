"""Hall API: windows and their live state, the template, posts, attendance, away notices,
routing, facilities, training and opening hours. Staff authenticate with their session."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from bianmin.catalog.models import Domain, ServiceItem
from bianmin.identity.auth import session_auth, staff_or_device
from bianmin.identity.models import User
from bianmin.identity.permissions import Action, authorize
from bianmin.org.models import Center

from . import selectors, services
from .models import AwayNotice, Facility, TrainingRecord, Window

router = Router(tags=["hall"])


def _center(request, code: str, action: str = Action.VIEW_CENTER) -> Center:
    center = get_object_or_404(Center, region__code=code)
    device = getattr(request, "device", None)
    if device is not None:  # a display board or kiosk reads its own center only
        if device.center_id != center.pk:
            raise Http404
        return center
    authorize(request.auth, action, center=center)
    return center


class AwayOut(Schema):
    id: int
    clerk: str
    reason: str
    destination: str
    left_at: dt.datetime
    expected_return_at: dt.datetime
    substitute: str
    approval: str
    overdue: bool


class WindowOut(Schema):
    number: int
    name: str
    kind: str
    domains: list[str]
    active: bool
    state: str
    state_label: str
    primary: str | None
    backup: str | None
    serving: str | None
    away: AwayOut | None
    queue_length: int | None


def _away_out(n: AwayNotice, *, overdue: bool | None = None) -> dict:
    if overdue is None:
        overdue = n.returned_at is None and n.expected_return_at < timezone.now()
    return {
        "id": n.pk,
        "clerk": str(n.clerk),
        "reason": n.reason,
        "destination": n.destination,
        "left_at": n.left_at,
        "expected_return_at": n.expected_return_at,
        "substitute": str(n.substitute),
        "approval": n.approval,
        "overdue": overdue,
    }


def _center_window(request, code: str, number: int, action: str) -> tuple[Center, Window]:
    center = _center(request, code, action)
    return center, get_object_or_404(Window, center=center, number=number)


def _window_state_out(center: Center, window: Window) -> dict:
    """The window as the live table shows it, after a change."""
    return _window_out(next(s for s in selectors.window_states(center) if s.window.pk == window.pk))


def _window_out(s: selectors.WindowState) -> dict:
    away = _away_out(s.away, overdue=s.overdue) if s.away else None
    return {
        "number": s.window.number,
        "name": s.window.name,
        "kind": s.window.kind,
        "domains": [d.name for d in s.domains],
        "active": s.window.active,
        "state": s.state,
        "state_label": s.label,
        "primary": str(s.post.primary) if s.post else None,
        "backup": str(s.post.backup) if s.post else None,
        "serving": str(s.server) if s.server else None,
        "away": away,
        "queue_length": s.queue_length,
    }


@router.get(
    "/centers/{code}/windows",
    response=list[WindowOut],
    auth=staff_or_device,
    summary="Windows with their live state",
)
def windows(request, code: str):
    return [_window_out(s) for s in selectors.window_states(_center(request, code))]


class TemplateIn(Schema):
    domain_windows: int = 2
    special: list[str] = []


@router.post(
    "/centers/{code}/template",
    response=list[WindowOut],
    auth=session_auth,
    summary="Apply the policy's window template",
)
def apply_template(request, code: str, payload: TemplateIn):
    center = _center(request, code, Action.MANAGE_CENTER)
    services.apply_template(
        request.auth, center, domain_windows=payload.domain_windows, special=tuple(payload.special)
    )
    return [_window_out(s) for s in selectors.window_states(center)]


class WindowIn(Schema):
    number: int | None = None
    name: str = ""
    kind: str = ""
    domains: list[str] = []  # domain codes
    active: bool = True


def _domains(codes: list[str]) -> list[Domain]:
    found = list(Domain.objects.filter(code__in=codes))
    missing = set(codes) - {d.code for d in found}
    if missing:
        raise ValidationError(
            {
                "domains": [
                    _("Domains: unknown domain code %(codes)s.")
                    % {"codes": "、".join(sorted(missing))}
                ]
            }
        )
    return found


@router.post(
    "/centers/{code}/windows", response={201: WindowOut}, auth=session_auth, summary="Add a window"
)
def create_window(request, code: str, payload: WindowIn):
    center = _center(request, code, Action.MANAGE_CENTER)
    window = services.create_window(
        request.auth,
        center,
        number=payload.number,
        name=payload.name,
        kind=payload.kind,
        domains=_domains(payload.domains),
    )
    return Status(201, _window_state_out(center, window))


@router.put(
    "/centers/{code}/windows/{number}",
    response=WindowOut,
    auth=session_auth,
    summary="Change a window",
)
def update_window(request, code: str, number: int, payload: WindowIn):
    center, window = _center_window(request, code, number, Action.MANAGE_CENTER)
    services.update_window(
        request.auth,
        window,
        number=payload.number,
        name=payload.name,
        kind=payload.kind,
        domains=_domains(payload.domains),
        active=payload.active,
    )
    return _window_state_out(center, window)


class PostIn(Schema):
    primary: str | None = None  # username
    backup: str | None = None


def _user(username: str | None) -> User | None:
    return User.objects.filter(username=username).first() if username else None


@router.put(
    "/centers/{code}/windows/{number}/post",
    response=WindowOut,
    auth=session_auth,
    summary="Set the window's A and B clerks",
)
def assign_post(request, code: str, number: int, payload: PostIn):
    center, window = _center_window(request, code, number, Action.MANAGE_CENTER)
    services.assign_post(
        request.auth, window, primary=_user(payload.primary), backup=_user(payload.backup)
    )
    return _window_state_out(center, window)


@router.post(
    "/centers/{code}/windows/{number}/open",
    response=WindowOut,
    auth=session_auth,
    summary="Open the window",
)
def open_window(request, code: str, number: int):
    center, window = _center_window(request, code, number, Action.SERVE_AT_WINDOW)
    services.open_window(request.auth, window)
    return _window_state_out(center, window)


@router.post(
    "/centers/{code}/windows/{number}/close",
    response=WindowOut,
    auth=session_auth,
    summary="Close the window",
)
def close_window(request, code: str, number: int):
    center, window = _center_window(request, code, number, Action.SERVE_AT_WINDOW)
    services.close_window(request.auth, window)
    return _window_state_out(center, window)


class AwayIn(Schema):
    reason: str = ""
    destination: str = ""
    expected_return_at: dt.datetime | None = None
    phone: str = ""


@router.post(
    "/away",
    response={201: AwayOut},
    auth=session_auth,
    summary="File an away notice (离岗告知) for my post",
)
def go_away(request, payload: AwayIn):
    notice = services.go_away(
        request.auth,
        reason=payload.reason,
        destination=payload.destination,
        expected_return_at=payload.expected_return_at,
        phone=payload.phone,
    )
    return Status(201, _away_out(notice))


@router.post("/back", response=AwayOut, auth=session_auth, summary="Record my return")
def come_back(request):
    return _away_out(services.come_back(request.auth))


class DecisionIn(Schema):
    approve: bool


@router.post(
    "/away/{notice_id}/decision",
    response=AwayOut,
    auth=session_auth,
    summary="Approve or refuse a long absence",
)
def decide(request, notice_id: int, payload: DecisionIn):
    notice = get_object_or_404(
        AwayNotice.objects.select_related("post__window__center"), pk=notice_id
    )
    return _away_out(services.decide_away(request.auth, notice, approve=payload.approve))


class RouteOut(Schema):
    item: str
    basic_code: str
    domain: str
    frequency: str
    window_number: int | None
    window_name: str | None
    reason: str


@router.get(
    "/centers/{code}/routing",
    response=list[RouteOut],
    auth=staff_or_device,
    summary="Which window serves each entered item",
)
def routing(request, code: str, unserved_only: bool = False):
    routes = selectors.routing_table(_center(request, code))
    return [
        {
            "item": r.item.name,
            "basic_code": r.item.basic_code,
            "domain": r.item.domain.name,
            "frequency": r.item.frequency,
            "window_number": r.window.number if r.window else None,
            "window_name": r.window.name if r.window else None,
            "reason": str(r.reason),
        }
        for r in routes
        if not unserved_only or r.window is None
    ]


class RoutingIn(Schema):
    basic_code: str
    window_number: int | None = None


@router.put(
    "/centers/{code}/routing",
    response=list[RouteOut],
    auth=session_auth,
    summary="Route one item to a window (or back to the rule)",
)
def set_routing(request, code: str, payload: RoutingIn):
    center = _center(request, code, Action.MANAGE_CENTER)
    item = get_object_or_404(ServiceItem, basic_code=payload.basic_code)
    window = (
        get_object_or_404(Window, center=center, number=payload.window_number)
        if payload.window_number
        else None
    )
    services.set_routing_override(request.auth, center, item, window)
    return routing(request, code)


class FacilityIO(Schema):
    kind: str
    label: str = ""
    quantity: int = 0
    status: str = Facility.Status.OK
    last_checked_on: dt.date | None = None
    notes: str = ""


def _facility_out(f: Facility) -> dict:
    return {
        "kind": f.kind,
        "label": f.get_kind_display(),
        "quantity": f.quantity,
        "status": f.status,
        "last_checked_on": f.last_checked_on,
        "notes": f.notes,
    }


@router.get(
    "/centers/{code}/facilities",
    response=list[FacilityIO],
    auth=session_auth,
    summary="The facility inventory",
)
def facilities(request, code: str):
    center = _center(request, code)
    return [_facility_out(f) for f in center.facilities.all()]


@router.put(
    "/centers/{code}/facilities",
    response=FacilityIO,
    auth=session_auth,
    summary="Record one facility's state",
)
def record_facility(request, code: str, payload: FacilityIO):
    center = _center(request, code, Action.MANAGE_CENTER)
    f = services.record_facility(
        request.auth,
        center,
        kind=payload.kind,
        quantity=payload.quantity,
        status=payload.status,
        last_checked_on=payload.last_checked_on,
        notes=payload.notes,
    )
    return _facility_out(f)


class TrainingIO(Schema):
    clerk: str  # username
    topic: str = ""
    held_on: dt.date | None = None
    hours: Decimal | None = None
    organiser: str = ""


def _training_out(r: TrainingRecord) -> dict:
    return {
        "clerk": r.clerk.username,
        "topic": r.topic,
        "held_on": r.held_on,
        "hours": r.hours,
        "organiser": r.organiser,
    }


@router.get(
    "/centers/{code}/training",
    response=list[TrainingIO],
    auth=session_auth,
    summary="Training records of the center's staff",
)
def training(request, code: str):
    center = _center(request, code)
    records = TrainingRecord.objects.filter(clerk__center=center).select_related("clerk")
    return [_training_out(r) for r in records]


@router.post(
    "/centers/{code}/training",
    response={201: TrainingIO},
    auth=session_auth,
    summary="Record a training",
)
def add_training(request, code: str, payload: TrainingIO):
    center = _center(request, code, Action.MANAGE_CENTER)
    clerk = User.objects.filter(username=payload.clerk, center=center).first()
    if clerk is None:
        raise ValidationError(
            {
                "clerk": [
                    _("Clerk: %(name)s is not a clerk of this center.") % {"name": payload.clerk}
                ]
            }
        )
    r = services.add_training(
        request.auth,
        clerk,
        topic=payload.topic,
        held_on=payload.held_on,
        hours=payload.hours,
        organiser=payload.organiser,
    )
    return Status(201, _training_out(r))


class HoursOut(Schema):
    text: str
    open_now: bool
    weekdays: list[dict]


@router.get("/centers/{code}/hours", response=HoursOut, auth=None, summary="Opening hours (public)")
def hours(request, code: str):
    center = get_object_or_404(Center, region__code=code)
    return {
        "text": selectors.opening_hours_text(center),
        "open_now": selectors.is_open_at(center, timezone.now()),
        "weekdays": [
            {
                "weekday": h.weekday,
                "morning": f"{h.morning_opens:%H:%M}-{h.morning_closes:%H:%M}",
                "afternoon": f"{h.afternoon_opens:%H:%M}-{h.afternoon_closes:%H:%M}"
                if h.afternoon_opens
                else None,
            }
            for h in selectors.opening_hours(center)
        ],
    }


class DayHoursIO(Schema):
    weekday: int  # 0 Monday … 6 Sunday
    morning_opens: dt.time | None = None
    morning_closes: dt.time | None = None
    afternoon_opens: dt.time | None = None
    afternoon_closes: dt.time | None = None


class CenterRecordIn(Schema):
    address: str = ""
    phone: str = ""
    complaint_phone: str = ""
    # Every day of the week the center opens; a day left out is closed. Left out: unchanged.
    hours: list[DayHoursIO] | None = None


class CenterRecordOut(Schema):
    name: str
    region_code: str
    address: str
    phone: str
    complaint_phone: str
    hours_text: str
    hours: list[DayHoursIO]
    changed: bool


def _record_out(center: Center, *, changed: bool = False) -> dict:
    return {
        "name": center.name,
        "region_code": center.region.code,
        "address": center.address,
        "phone": center.phone,
        "complaint_phone": center.complaint_phone,
        "hours_text": selectors.opening_hours_text(center),
        "hours": [
            {part: getattr(h, part) for part in ("weekday", *services.HOURS_PARTS)}
            for h in selectors.opening_hours(center)
        ],
        "changed": changed,
    }


@router.get(
    "/centers/{code}/record",
    response=CenterRecordOut,
    auth=session_auth,
    summary="The center's address, phones and opening hours",
)
def center_record(request, code: str):
    return _record_out(_center(request, code))


@router.put(
    "/centers/{code}/record",
    response=CenterRecordOut,
    auth=session_auth,
    summary="Change the center's address, phones and opening hours (manager, county or city)",
)
def update_center_record(request, code: str, payload: CenterRecordIn):
    center = get_object_or_404(
        Center.objects.select_related("region", "region__parent"), region__code=code
    )
    hours = None
    if payload.hours is not None:
        bad = sorted({d.weekday for d in payload.hours if not 0 <= d.weekday <= 6})
        seen = [d.weekday for d in payload.hours]
        if bad or len(seen) != len(set(seen)):
            raise ValidationError(
                {
                    "hours": [
                        _("Opening hours: give each weekday (0 Monday … 6 Sunday) at most once.")
                    ]
                }
            )
        hours = dict.fromkeys(range(7))
        for d in payload.hours:
            times = tuple(getattr(d, part) for part in services.HOURS_PARTS)
            hours[d.weekday] = None if all(t is None for t in times) else times
    change = services.update_center_record(
        request.auth,
        center,
        address=payload.address,
        phone=payload.phone,
        complaint_phone=payload.complaint_phone,
        hours=hours,
    )
    center.refresh_from_db()
    return _record_out(center, changed=change is not None)
