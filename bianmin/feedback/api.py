"""Ratings API under /api/v1/feedback/: rate from any channel, the rating pad's current service,
rectification steps, appeals and their review, 办不成事 reports, figures and settings.

Raters authenticate by what they hold: the invitation's token (the SMS link), a device token
(rating pad, kiosk: ``Authorization: Bearer``), or a citizen's session. Staff use their session
(with the X-CSRFToken header on writes). Refusals answer 422 with a Chinese message naming the
field; a forbidden action 403.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status

from bianmin.cases.models import Case
from bianmin.catalog.models import ServiceItem
from bianmin.hall.models import Window
from bianmin.identity.auth import device_auth, session_auth
from bianmin.identity.models import User
from bianmin.identity.permissions import Action, authorize, can, centers_in_scope
from bianmin.org.models import Center
from bianmin.queueing.models import Visit

from . import figures, selectors, services
from .models import Appeal, Rating, RatingInvitation, RatingPad, Rectification, UnresolvedReport

router = Router(tags=["feedback"])


class _Anyone:
    """Optional authentication: a device token or a session if given, else anonymous."""

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            return None  # a device token that device_auth refused
        request.device = None
        return True


anyone = _Anyone()


# --- Schemas ------------------------------------------------------------------------------------


class InvitationOut(Schema):
    token: str
    kind: str
    online: bool
    center: str
    service: str
    clerk_name: str
    clerk_staff_number: str
    window: str
    finished_at: dt.datetime
    expires_at: dt.datetime
    reasons: list[dict]
    rated: bool
    level: int | None = None
    answer: str = ""
    rectification_state: str = ""


def _invitation_out(inv: RatingInvitation) -> dict:
    rating = getattr(inv, "rating", None)
    rect = getattr(rating, "rectification", None) if rating else None
    return {
        "token": inv.token,
        "kind": inv.kind,
        "online": inv.online,
        "center": inv.center.name,
        "service": inv.label,
        "clerk_name": inv.clerk.full_name if inv.clerk else "",
        "clerk_staff_number": inv.clerk.staff_number if inv.clerk else "",
        "window": str(inv.window or inv.presented_window or ""),
        "finished_at": inv.finished_at,
        "expires_at": inv.expires_at,
        "reasons": [{"code": r.code, "name": r.name} for r in services.allowed_reasons(inv)],
        "rated": rating is not None,
        "level": rating.level if rating else None,
        "answer": rect.answer if rect else "",
        "rectification_state": rect.state if rect else "",
    }


class RatingIn(Schema):
    token: str = ""
    visit: int | None = None
    case: str | None = None
    level: int
    reasons: list[str] = []
    comment: str = ""
    channel: str = "api"


class RatingOut(Schema):
    id: int
    token: str
    kind: str
    level: int
    level_label: str
    reasons: list[str]
    channel: str
    rated_at: dt.datetime
    rectification: int | None = None


def _rating_out(r: Rating) -> dict:
    rect = Rectification.objects.filter(rating=r).values_list("pk", flat=True).first()
    return {
        "id": r.pk,
        "token": r.invitation.token,
        "kind": r.kind,
        "level": r.level,
        "level_label": str(r.get_level_display()),
        "reasons": r.reasons,
        "channel": r.channel,
        "rated_at": r.rated_at,
        "rectification": rect,
    }


class RectificationOut(Schema):
    id: int
    center: str
    service: str
    level: int
    comment: str
    clerk: str
    state: str
    state_label: str
    opened_at: dt.datetime
    due_at: dt.datetime
    escalated: bool
    finding: str
    finding_note: str
    measures: str
    answer: str
    callback_result: str
    closed_at: dt.datetime | None
    conduct_tags: list[str]


def _rect_out(r: Rectification) -> dict:
    rating = r.rating
    return {
        "id": r.pk,
        "center": r.center.name,
        "service": rating.invitation.label,
        "level": rating.level,
        "comment": rating.comment,
        "clerk": str(rating.clerk or ""),
        "state": r.state,
        "state_label": str(r.get_state_display()),
        "opened_at": r.opened_at,
        "due_at": r.due_at,
        "escalated": r.escalated_at is not None,
        "finding": r.finding,
        "finding_note": r.finding_note,
        "measures": r.measures,
        "answer": r.answer,
        "callback_result": r.callback_result,
        "closed_at": r.closed_at,
        "conduct_tags": list(rating.conduct_tags.values_list("code", flat=True)),
    }


class VerifyIn(Schema):
    finding: str
    note: str


class MeasuresIn(Schema):
    measures: str


class AnswerIn(Schema):
    answer: str


class CloseIn(Schema):
    callback_result: str
    callback_note: str = ""


class TagsIn(Schema):
    tags: list[str]


class AppealIn(Schema):
    ground: str
    reason: str


class ReviewIn(Schema):
    uphold: bool
    note: str


class AppealOut(Schema):
    id: int
    rating: int
    ground: str
    reason: str
    state: str
    review_note: str


def _appeal_out(a: Appeal) -> dict:
    return {
        "id": a.pk,
        "rating": a.rating_id,
        "ground": a.ground,
        "reason": a.reason,
        "state": a.state,
        "review_note": a.review_note,
    }


class PresentIn(Schema):
    visit: int | None = None
    case: str | None = None
    window: int


class ReportIn(Schema):
    center: int
    source: str = "portal"
    wanted: str
    cause: str
    why: str
    item: int | None = None
    name: str = ""
    mobile: str = ""
    window: int | None = None


class ReportOut(Schema):
    id: int
    token: str
    center: str
    source: str
    item: str
    wanted: str
    cause: str
    why: str
    state: str
    state_label: str
    due_at: dt.datetime
    assignee: str
    resolution: str
    resolved: bool
    follow_up: str


def _report_out(r: UnresolvedReport) -> dict:
    return {
        "id": r.pk,
        "token": r.token,
        "center": r.center.name,
        "source": r.source,
        "item": r.item.name if r.item else "",
        "wanted": r.wanted,
        "cause": r.cause,
        "why": r.why,
        "state": r.state,
        "state_label": str(r.get_state_display()),
        "due_at": r.due_at,
        "assignee": str(r.assignee or ""),
        "resolution": r.resolution,
        "resolved": r.resolved,
        "follow_up": r.follow_up,
    }


class AssignIn(Schema):
    assignee: int


class ResolveIn(Schema):
    resolution: str
    resolved: bool


class FollowUpIn(Schema):
    note: str


class RowOut(Schema):
    label: str
    total: int
    positive: int
    bad: int
    rate: float | None


class FiguresOut(Schema):
    start: dt.date
    end: dt.date
    total: int
    positive: int
    bad: int
    positive_rate: float | None
    excluded: int
    by_default: int
    levels: list[dict]
    by_center: list[RowOut]
    by_clerk: list[RowOut]
    by_window: list[RowOut]
    by_item: list[RowOut]
    rectifications: dict
    appeals: dict


class SettingsIO(Schema):
    sms_invitation: bool = True
    rating_days: int
    unrated_rule: str
    rectification_days: int
    report_days: int
    pad_pickup_minutes: int


class CauseOut(Schema):
    item: str
    cause: str
    cause_label: str
    count: int
    unresolved: int


# --- Rating ------------------------------------------------------------------------------------


@router.get("/invitations/{token}", response=InvitationOut, auth=None)
def invitation(request, token: str):
    """The service behind a rating link, its rating and the center's answer (public by token)."""
    inv = services.find_invitation(token)
    if inv is None:
        raise ValidationError({"token": ["服务：要评价的服务不存在。"]})
    return _invitation_out(inv)


@router.post("/ratings", response={201: RatingOut}, auth=[device_auth, session_auth, anyone])
def rate(request, data: RatingIn):
    """Rate a finished service. With a device token the channel is the device's (pad, kiosk);
    with a citizen's session the service must be theirs; with a token, the link is the proof."""
    device = getattr(request, "device", None)
    user = request.user if request.user.is_authenticated else None
    channel = data.channel
    if device is not None:
        channel = "pad" if device.kind == "rating_pad" else "kiosk"
    visit = Visit.objects.filter(pk=data.visit).first() if data.visit else None
    case = Case.objects.filter(number=data.case).first() if data.case else None
    if not data.token and data.visit and visit is None or data.case and case is None:
        raise ValidationError({"service": ["服务：要评价的服务不存在。"]})
    rating = services.submit_rating(
        token=data.token,
        visit=visit,
        case=case,
        level=data.level,
        reasons=data.reasons,
        comment=data.comment,
        channel=channel,
        user=user,
        device=device,
    )
    return Status(201, _rating_out(rating))


@router.get("/pad/current", response={200: InvitationOut, 204: None}, auth=device_auth)
def pad_current(request):
    """For a rating pad: the service just finished at its window (or presented to it)."""
    pad = RatingPad.objects.filter(device=request.device).select_related("window").first()
    if pad is None:
        raise PermissionDenied("此设备不是登记的评价器。")
    inv = selectors.pad_current(pad)
    if inv is None:
        return Status(204, None)
    return Status(200, _invitation_out(inv))


@router.post("/present", response=InvitationOut, auth=session_auth)
def present(request, data: PresentIn):
    """A clerk shows a finished visit or case on the rating pad of a window."""
    if data.case:
        inv = services.invitation_for_case(get_object_or_404(Case, number=data.case))
    else:
        inv = services.invitation_for_visit(Visit.objects.filter(pk=data.visit).first())
    services.present_on_pad(request.user, inv, get_object_or_404(Window, pk=data.window))
    return _invitation_out(inv)


class KioskIn(Schema):
    reference: str
    label: str
    item: int | None = None


@router.post("/kiosk/invitations", response={201: InvitationOut}, auth=device_auth)
def kiosk_invitation(request, data: KioskIn):
    """A kiosk offers the rating of a service it just finished (printing, payment …); the same
    reference gives the same invitation. Then ``POST /ratings`` with its token."""
    item = ServiceItem.objects.filter(pk=data.item).first() if data.item else None
    inv = services.invitation_for_kiosk(
        request.device, reference=data.reference, label=data.label, item=item
    )
    return Status(201, _invitation_out(inv))


# --- Rectification -----------------------------------------------------------------------------


def _rect(request, pk: int) -> Rectification:
    rect = get_object_or_404(Rectification.objects.select_related("rating", "center"), pk=pk)
    authorize(request.user, Action.VIEW_CENTER, center=rect.center)
    return rect


@router.get("/rectifications", response=list[RectificationOut], auth=session_auth)
def rectifications(request, state: str = "open"):
    """open, overdue, escalated or closed, in the user's scope."""
    if not can(request.user, Action.VIEW_CENTER):
        raise PermissionDenied("您的角色不能查看评价。")
    return [_rect_out(r) for r in selectors.rectifications_for(request.user, state=state)[:500]]


@router.get("/rectifications/{pk}", response=RectificationOut, auth=session_auth)
def rectification(request, pk: int):
    return _rect_out(_rect(request, pk))


@router.post("/rectifications/{pk}/verify", response=RectificationOut, auth=session_auth)
def verify(request, pk: int, data: VerifyIn):
    return _rect_out(
        services.verify(request.user, _rect(request, pk), finding=data.finding, note=data.note)
    )


@router.post("/rectifications/{pk}/rectify", response=RectificationOut, auth=session_auth)
def rectify(request, pk: int, data: MeasuresIn):
    return _rect_out(services.rectify(request.user, _rect(request, pk), measures=data.measures))


@router.post("/rectifications/{pk}/answer", response=RectificationOut, auth=session_auth)
def answer(request, pk: int, data: AnswerIn):
    return _rect_out(services.answer_rater(request.user, _rect(request, pk), answer=data.answer))


@router.post("/rectifications/{pk}/close", response=RectificationOut, auth=session_auth)
def close(request, pk: int, data: CloseIn):
    return _rect_out(
        services.close_rectification(
            request.user,
            _rect(request, pk),
            callback_result=data.callback_result,
            callback_note=data.callback_note,
        )
    )


@router.post("/rectifications/{pk}/tags", response=RectificationOut, auth=session_auth)
def rect_tags(request, pk: int, data: TagsIn):
    rect = _rect(request, pk)
    services.tag_conduct(request.user, rating=rect.rating, tags=data.tags)
    return _rect_out(rect)


# --- Appeals -----------------------------------------------------------------------------------


@router.post("/ratings/{pk}/appeals", response={201: AppealOut}, auth=session_auth)
def file_appeal(request, pk: int, data: AppealIn):
    rating = get_object_or_404(Rating, pk=pk)
    appeal = services.file_appeal(request.user, rating, ground=data.ground, reason=data.reason)
    return Status(201, _appeal_out(appeal))


@router.get("/appeals", response=list[AppealOut], auth=session_auth)
def appeals(request, pending: bool = True):
    return [_appeal_out(a) for a in selectors.appeals_for(request.user, pending_only=pending)]


@router.post("/appeals/{pk}/review", response=AppealOut, auth=session_auth)
def review(request, pk: int, data: ReviewIn):
    appeal = get_object_or_404(Appeal, pk=pk)
    return _appeal_out(
        services.review_appeal(request.user, appeal, uphold=data.uphold, note=data.note)
    )


# --- 办不成事 reports ----------------------------------------------------------------------------


@router.post("/reports", response={201: ReportOut}, auth=[session_auth, anyone])
def report(request, data: ReportIn):
    """Staff record a report at a window; a citizen (logged in or not) reports from the portal."""
    user = request.user if request.user.is_authenticated else None
    center = get_object_or_404(Center, pk=data.center)
    item = ServiceItem.objects.filter(pk=data.item).first() if data.item else None
    window = Window.objects.filter(pk=data.window).first() if data.window else None
    obj = services.report_unresolved(
        user,
        center=center,
        source=data.source,
        wanted=data.wanted,
        cause=data.cause,
        why=data.why,
        item=item,
        name=data.name,
        mobile=data.mobile,
        window=window,
    )
    return Status(201, _report_out(obj))


@router.get("/reports", response=list[ReportOut], auth=session_auth)
def reports(request, state: str = "open"):
    if not can(request.user, Action.VIEW_CENTER):
        raise PermissionDenied("您的角色不能查看办不成事反映。")
    return [_report_out(r) for r in selectors.reports_for(request.user, state=state)[:500]]


@router.get("/reports/causes", response=list[CauseOut], auth=session_auth)
def causes(request):
    """Recurring causes grouped per item, most frequent first."""
    return [g.__dict__ for g in selectors.recurring_causes(centers_in_scope(request.user))]


def _report(request, pk) -> UnresolvedReport:
    obj = get_object_or_404(UnresolvedReport.objects.select_related("center"), pk=pk)
    authorize(request.user, Action.VIEW_CENTER, center=obj.center)
    return obj


@router.post("/reports/{pk}/assign", response=ReportOut, auth=session_auth)
def assign(request, pk: int, data: AssignIn):
    assignee = User.objects.filter(pk=data.assignee).first()
    return _report_out(
        services.assign_report(request.user, _report(request, pk), assignee=assignee)
    )


@router.post("/reports/{pk}/resolve", response=ReportOut, auth=session_auth)
def resolve(request, pk: int, data: ResolveIn):
    return _report_out(
        services.resolve_report(
            request.user, _report(request, pk), resolution=data.resolution, resolved=data.resolved
        )
    )


@router.post("/reports/{pk}/follow-up", response=ReportOut, auth=session_auth)
def follow_up(request, pk: int, data: FollowUpIn):
    return _report_out(
        services.follow_up_report(request.user, _report(request, pk), note=data.note)
    )


@router.post("/reports/{pk}/tags", response=ReportOut, auth=session_auth)
def report_tags(request, pk: int, data: TagsIn):
    obj = _report(request, pk)
    services.tag_conduct(request.user, report=obj, tags=data.tags)
    return _report_out(obj)


# --- Figures and settings ----------------------------------------------------------------------


def _row(r) -> dict:
    return {
        "label": r.label,
        "total": r.total,
        "positive": r.positive,
        "bad": r.bad,
        "rate": r.rate,
    }


@router.get("/figures", response=FiguresOut, auth=session_auth)
def figures_api(
    request, center: int | None = None, start: dt.date | None = None, end: dt.date | None = None
):
    """The positive rate and counts per level, center, clerk, window and item; rectification
    timeliness and appeals, over the user's scope (or one center in it)."""
    if not can(request.user, Action.VIEW_CENTER):
        raise PermissionDenied("您的角色不能查看评价。")
    centers = centers_in_scope(request.user)
    if center:
        centers = centers.filter(pk=center)
    end = end or timezone.localdate()
    start = start or end - dt.timedelta(days=364)
    f = figures.compute(centers, start, end)
    return {
        "start": f.start,
        "end": f.end,
        "total": f.total,
        "positive": f.positive,
        "bad": f.bad,
        "positive_rate": f.rate,
        "excluded": f.excluded,
        "by_default": f.by_default,
        "levels": [{"level": v, "label": lbl, "count": n} for v, lbl, n in f.levels],
        "by_center": [_row(r) for r in f.by_center],
        "by_clerk": [_row(r) for r in f.by_clerk],
        "by_window": [_row(r) for r in f.by_window],
        "by_item": [_row(r) for r in f.by_item],
        "rectifications": {
            "total": f.rect_total,
            "open": f.rect_open,
            "closed": f.rect_closed,
            "closed_on_time": f.rect_on_time,
            "overdue_open": f.rect_overdue_open,
            "escalated": f.rect_escalated,
            "timeliness": f.timeliness,
        },
        "appeals": {
            "filed": f.appeals_filed,
            "upheld": f.appeals_upheld,
            "dismissed": f.appeals_dismissed,
            "pending": f.appeals_pending,
        },
    }


def _settings_out(s) -> dict:
    return {k: getattr(s, k) for k in services.SETTING_FIELDS}


@router.get("/settings/{center_id}", response=SettingsIO, auth=session_auth)
def get_settings(request, center_id: int):
    center = get_object_or_404(Center, pk=center_id)
    authorize(request.user, Action.VIEW_CENTER, center=center)
    return _settings_out(services.settings_for(center))


@router.put("/settings/{center_id}", response=SettingsIO, auth=session_auth)
def put_settings(request, center_id: int, data: SettingsIO):
    center = get_object_or_404(Center, pk=center_id)
    return _settings_out(services.update_settings(request.user, center, **data.dict()))
