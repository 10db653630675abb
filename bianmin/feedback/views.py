"""Rating pages: the rating pad beside a window, the rating link (SMS / portal), the staff's
workbench (present on the pad, rectifications, appeals, reports), the citizen's 办不成事 form and
its progress page, and the figures. Thin: parse, call a service or selector, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bianmin.cases.models import Case
from bianmin.catalog.models import ServiceItem
from bianmin.hall.models import Attendance, Window
from bianmin.identity.models import User
from bianmin.identity.permissions import Action, authorize, can, centers_in_scope
from bianmin.identity.roles import Role
from bianmin.identity.services import device_for_token
from bianmin.org.models import Center
from bianmin.queueing.models import Visit

from . import figures, selectors, services
from .models import (
    Appeal,
    ConductTag,
    FeedbackEvent,
    FeedbackSettings,
    Level,
    RatingPad,
    Rectification,
    UnresolvedReport,
)

PAD_COOKIE = "bianmin_pad"


def _errors(error: ValidationError) -> dict[str, str]:
    if hasattr(error, "error_dict"):
        return {k: " ".join(v) for k, v in error.message_dict.items()}
    return {"general": " ".join(error.messages)}


def _levels():
    return [(v, str(label)) for v, label in Level.choices]


# --- The rating link: /rate/<token>/ (SMS, portal) ---------------------------------------------


def rate(request, token: str):
    invitation = services.find_invitation(token)
    if invitation is None:
        raise Http404(_("This rating link does not exist."))
    channel = "portal" if request.GET.get("via") == "portal" else "sms"
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            services.submit_rating(
                token=token,
                level=request.POST.get("level"),
                reasons=request.POST.getlist("reasons"),
                comment=request.POST.get("comment", ""),
                channel=request.POST.get("channel") or channel,
                user=request.user if request.user.is_authenticated else None,
            )
            messages.success(request, _("Thank you: your rating is recorded."))
            return redirect("feedback:rate", token=token)
        except ValidationError as error:
            errors = _errors(error)
    rating = selectors.rating_of(invitation)
    rect = getattr(rating, "rectification", None) if rating else None
    return render(
        request,
        "feedback/rate.html",
        {
            "invitation": invitation,
            "rating": rating,
            "rect": rect,
            "levels": _levels(),
            "reasons": services.allowed_reasons(invitation),
            "expired": invitation.expires_at < timezone.now(),
            "channel": channel,
            "errors": errors,
            "posted": request.POST if errors else None,
        },
    )


# --- The rating pad beside a window ------------------------------------------------------------


def _pad(request) -> RatingPad | None:
    token = request.COOKIES.get(PAD_COOKIE, "")
    device = device_for_token(token) if token else None
    if device is None:
        return None
    return (
        RatingPad.objects.select_related("window", "window__center").filter(device=device).first()
    )


def _clerk_at(window: Window) -> User | None:
    attendance = Attendance.objects.filter(window=window, closed_at__isnull=True).first()
    if attendance:
        return attendance.clerk
    post = getattr(window, "post", None)
    return post.primary if post else None


def pad(request):
    if request.method == "POST":  # set-up: the manager types the pad's token once
        token = request.POST.get("token", "").strip()
        device = device_for_token(token) if token else None
        if device is None or not RatingPad.objects.filter(device=device).exists():
            return render(
                request,
                "feedback/pad_setup.html",
                {"error": _("Token: not the token of an active rating pad.")},
                status=422,
            )
        response = redirect("feedback:pad")
        response.set_cookie(
            PAD_COOKIE,
            token,
            max_age=3600 * 24 * 365,
            httponly=True,
            samesite="Strict",
            secure=request.is_secure(),
        )
        return response
    the_pad = _pad(request)
    if the_pad is None:
        return render(request, "feedback/pad_setup.html", {})
    return render(
        request,
        "feedback/pad.html",
        {"pad": the_pad, "clerk": _clerk_at(the_pad.window), **_pad_context(the_pad)},
    )


def _pad_context(the_pad, invitation=None, *, thanks=False, errors=None) -> dict:
    invitation = invitation or selectors.pad_current(the_pad)
    return {
        "pad": the_pad,
        "invitation": invitation,
        "service_clerk": invitation.clerk if invitation else None,
        "levels": _levels(),
        "reasons": services.allowed_reasons(invitation) if invitation else [],
        "thanks": thanks,
        "errors": errors or {},
    }


def pad_current(request):
    """Polled by the pad (HTMX, every few seconds): the service to rate, or the idle screen."""
    the_pad = _pad(request)
    if the_pad is None:
        raise PermissionDenied(_("This device is not a registered rating pad."))
    shown = request.GET.get("shown", "")
    context = _pad_context(the_pad)
    if shown and context["invitation"] and context["invitation"].token == shown:
        # The person may be choosing: leave the form alone.
        response = render(request, "feedback/_pad_current.html", context)
        response["HX-Reswap"] = "none"
        return response
    return render(request, "feedback/_pad_current.html", context)


@require_POST
def pad_rate(request):
    the_pad = _pad(request)
    if the_pad is None:
        raise PermissionDenied(_("This device is not a registered rating pad."))
    invitation = services.find_invitation(request.POST.get("token", ""))
    try:
        services.submit_rating(
            invitation=invitation,
            token="" if invitation else "-",
            level=request.POST.get("level"),
            reasons=request.POST.getlist("reasons"),
            comment=request.POST.get("comment", ""),
            channel="pad",
            device=the_pad.device,
        )
    except ValidationError as error:
        return render(
            request,
            "feedback/_pad_current.html",
            _pad_context(the_pad, invitation, errors=_errors(error)),
        )
    return render(request, "feedback/_pad_current.html", {**_pad_context(the_pad), "thanks": True})


# --- Staff -------------------------------------------------------------------------------------


@login_required
def index(request):
    user = request.user
    if not can(user, Action.VIEW_CENTER):
        raise PermissionDenied(_("Your role may not see ratings."))
    context = {
        "rects": selectors.rectifications_for(user)[:100],
        "appeals": selectors.appeals_for(user, pending_only=True)[:50],
        "reports": selectors.reports_for(user)[:50],
        "is_manager": user.role == Role.CENTER_MANAGER,
        "is_supervisor": can(user, Action.SUPERVISE),
    }
    if can(user, Action.SERVE_AT_WINDOW):
        context["finished"] = selectors.finished_for_clerk(user)
        context["window"] = services.clerk_window(user)
        context["windows"] = Window.objects.filter(center=user.center, active=True)
    context["closed"] = selectors.rectifications_for(user, state="closed")[:30]
    return render(request, "feedback/index.html", context)


@login_required
@require_POST
def present(request):
    user = request.user
    try:
        if request.POST.get("case"):
            case = get_object_or_404(Case, pk=request.POST["case"])
            invitation = services.invitation_for_case(case)
        else:
            visit = get_object_or_404(Visit, pk=request.POST.get("visit"))
            invitation = services.invitation_for_visit(visit)
        window = get_object_or_404(Window, pk=request.POST.get("window"))
        if request.POST.get("link"):
            authorize(user, Action.SERVE_AT_WINDOW, center=invitation.center)
            messages.success(
                request,
                _("Rating link for %(service)s: %(url)s")
                % {
                    "service": invitation.label,
                    "url": request.build_absolute_uri(f"/rate/{invitation.token}/"),
                },
            )
        else:
            services.present_on_pad(user, invitation, window)
            messages.success(
                request,
                _("Shown on the rating pad of window %(n)s: %(service)s")
                % {"n": window.number, "service": invitation.label},
            )
    except ValidationError as error:
        messages.error(request, " ".join(_errors(error).values()))
    return redirect("feedback:index")


def _rect_or_404(user, pk) -> Rectification:
    rect = get_object_or_404(
        Rectification.objects.select_related(
            "rating", "rating__invitation", "rating__clerk", "rating__window", "center"
        ),
        pk=pk,
    )
    authorize(user, Action.VIEW_CENTER, center=rect.center)
    return rect


@login_required
def rectification(request, pk: int):
    user = request.user
    rect = _rect_or_404(user, pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        step = request.POST.get("step")
        p = request.POST
        try:
            if step == "verify":
                services.verify(user, rect, finding=p.get("finding", ""), note=p.get("note", ""))
            elif step == "rectify":
                services.rectify(user, rect, measures=p.get("measures", ""))
            elif step == "answer":
                services.answer_rater(user, rect, answer=p.get("answer", ""))
            elif step == "close":
                services.close_rectification(
                    user,
                    rect,
                    callback_result=p.get("callback_result", ""),
                    callback_note=p.get("callback_note", ""),
                )
            elif step == "tags":
                services.tag_conduct(user, rating=rect.rating, tags=p.getlist("tags"))
            elif step == "appeal":
                services.file_appeal(
                    user, rect.rating, ground=p.get("ground", ""), reason=p.get("reason", "")
                )
            elif step == "review":
                appeal = get_object_or_404(Appeal, pk=p.get("appeal"), rating=rect.rating)
                services.review_appeal(
                    user, appeal, uphold=p.get("uphold") == "1", note=p.get("note", "")
                )
            else:
                raise ValidationError({"general": _("Unknown step.")})
            messages.success(request, _("Saved."))
            return redirect("feedback:rectification", pk=rect.pk)
        except ValidationError as error:
            errors = _errors(error)
        rect = _rect_or_404(user, pk)
    rating = rect.rating
    return render(
        request,
        "feedback/rectification.html",
        {
            "rect": rect,
            "rating": rating,
            "reason_names": services_reason_names(rating.reasons),
            "tags": ConductTag.objects.filter(active=True),
            "chosen_tags": set(rating.conduct_tags.values_list("code", flat=True)),
            "appeals": rating.appeals.select_related("filed_by", "reviewed_by"),
            "events": FeedbackEvent.objects.filter(Q(rectification=rect) | Q(rating=rating))
            .select_related("actor")
            .order_by("at", "id"),
            "may_manage": can(user, Action.MANAGE_CENTER, center=rect.center),
            "may_review": can(user, Action.SUPERVISE, center=rect.center),
            "errors": errors,
            "findings": [c for c in Rectification.Finding.choices if c[0]],
            "callbacks": [c for c in Rectification.CallbackResult.choices if c[0]],
            "grounds": Appeal.Ground.choices,
            "now": timezone.now(),
        },
    )


def services_reason_names(codes) -> list[str]:
    from .models import Reason

    names = dict(Reason.objects.filter(code__in=codes or []).values_list("code", "name"))
    return [names.get(c, c) for c in codes or []]


# --- 办不成事 reports ----------------------------------------------------------------------------


def _items():
    return ServiceItem.objects.filter(status="active").order_by("name")


@login_required
def reports(request):
    user = request.user
    if not can(user, Action.VIEW_CENTER):
        raise PermissionDenied(_("Your role may not see reports."))
    errors: dict[str, str] = {}
    if request.method == "POST":
        p = request.POST
        try:
            item = ServiceItem.objects.filter(pk=p.get("item") or None).first()
            window = Window.objects.filter(pk=p.get("window") or None).first()
            report = services.report_unresolved(
                user,
                center=user.center,
                source=p.get("source", ""),
                wanted=p.get("wanted", ""),
                cause=p.get("cause", ""),
                why=p.get("why", ""),
                item=item,
                name=p.get("name", ""),
                mobile=p.get("mobile", ""),
                window=window,
            )
            messages.success(request, _("Report recorded."))
            return redirect("feedback:report", pk=report.pk)
        except (ValidationError, PermissionDenied) as error:
            errors = (
                _errors(error) if isinstance(error, ValidationError) else {"general": str(error)}
            )
    state = request.GET.get("state", "open")
    centers = centers_in_scope(user)
    return render(
        request,
        "feedback/reports.html",
        {
            "reports": selectors.reports_for(user, state=state)[:200],
            "state": state,
            "groups": selectors.recurring_causes(centers)[:30],
            "may_record": can(user, Action.SERVE_AT_WINDOW),
            "sources": [
                c for c in UnresolvedReport.Source.choices if c[0] != UnresolvedReport.Source.PORTAL
            ],
            "causes": UnresolvedReport.Cause.choices,
            "items": _items() if can(user, Action.SERVE_AT_WINDOW) else [],
            "windows": Window.objects.filter(center=user.center) if user.center_id else [],
            "errors": errors,
            "posted": request.POST if errors else None,
        },
    )


@login_required
def report(request, pk: int):
    user = request.user
    obj = get_object_or_404(UnresolvedReport.objects.select_related("center", "item"), pk=pk)
    authorize(user, Action.VIEW_CENTER, center=obj.center)
    errors: dict[str, str] = {}
    if request.method == "POST":
        p = request.POST
        step = p.get("step")
        try:
            if step == "assign":
                assignee = User.objects.filter(pk=p.get("assignee") or None).first()
                services.assign_report(user, obj, assignee=assignee)
            elif step == "resolve":
                services.resolve_report(
                    user, obj, resolution=p.get("resolution", ""), resolved=p.get("resolved") == "1"
                )
            elif step == "follow_up":
                services.follow_up_report(user, obj, note=p.get("note", ""))
            elif step == "tags":
                services.tag_conduct(user, report=obj, tags=p.getlist("tags"))
            else:
                raise ValidationError({"general": _("Unknown step.")})
            messages.success(request, _("Saved."))
            return redirect("feedback:report", pk=obj.pk)
        except ValidationError as error:
            errors = _errors(error)
        except PermissionDenied as error:
            errors = {"general": str(error)}
        obj.refresh_from_db()
    staff = User.objects.filter(
        center=obj.center, role__in=[Role.WINDOW_CLERK, Role.CENTER_MANAGER], is_active=True
    ).order_by("full_name")
    return render(
        request,
        "feedback/report.html",
        {
            "report": obj,
            "staff": staff,
            "tags": ConductTag.objects.filter(active=True),
            "chosen_tags": set(obj.conduct_tags.values_list("code", flat=True)),
            "events": obj.events.select_related("actor").order_by("at", "id"),
            "may_manage": can(user, Action.MANAGE_CENTER, center=obj.center),
            "may_resolve": obj.assignee_id == user.pk
            or can(user, Action.MANAGE_CENTER, center=obj.center),
            "errors": errors,
        },
    )


def citizen_report(request):
    """办不成事 from a citizen (the portal links here): no login needed, a mobile to reply to."""
    errors: dict[str, str] = {}
    centers = Center.objects.select_related("region", "region__parent").order_by("region__code")
    if request.method == "POST":
        p = request.POST
        try:
            center = Center.objects.filter(pk=p.get("center") or None).first()
            if center is None:
                raise ValidationError({"center": _("Center: choose the center.")})
            actor = request.user if request.user.is_authenticated else None
            if actor is not None and actor.role != Role.CITIZEN:
                actor = None
            report = services.report_unresolved(
                actor,
                center=center,
                source=UnresolvedReport.Source.PORTAL,
                wanted=p.get("wanted", ""),
                cause=p.get("cause", ""),
                why=p.get("why", ""),
                item=ServiceItem.objects.filter(pk=p.get("item") or None).first(),
                name=p.get("name", ""),
                mobile=p.get("mobile", ""),
            )
            return redirect("feedback:report_progress", token=report.token)
        except ValidationError as error:
            errors = _errors(error)
    return render(
        request,
        "feedback/citizen_report.html",
        {
            "centers": centers,
            "causes": UnresolvedReport.Cause.choices,
            "items": _items(),
            "errors": errors,
            "posted": request.POST if errors else None,
            "selected_center": request.GET.get("center", ""),
        },
    )


def report_progress(request, token: str):
    obj = UnresolvedReport.objects.select_related("center", "item").filter(token=token).first()
    if obj is None or len(token) > 32:
        raise Http404(_("This report does not exist."))
    return render(request, "feedback/report_progress.html", {"report": obj})


# --- Figures -----------------------------------------------------------------------------------


def _date(value: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return default


@login_required
def figures_page(request):
    user = request.user
    if not can(user, Action.VIEW_CENTER):
        raise PermissionDenied(_("Your role may not see ratings."))
    centers = centers_in_scope(user)
    center_id = request.GET.get("center")
    if center_id:
        centers = centers.filter(pk=center_id)
    today = timezone.localdate()
    start = _date(request.GET.get("start"), today - dt.timedelta(days=364))
    end = _date(request.GET.get("end"), today)
    if end < start:
        start, end = end, start
    f = figures.compute(centers, start, end)
    chart = {
        "levels": [[label, n] for _v, label, n in f.levels],
        "days": [d for d, _t, _b in f.daily],
        "totals": [t for _d, t, _b in f.daily],
        "bads": [b for _d, _t, b in f.daily],
    }
    return render(
        request,
        "feedback/figures.html",
        {
            "f": f,
            "chart": chart,
            "centers": centers_in_scope(user),
            "center_id": center_id or "",
            "start": start,
            "end": end,
        },
    )


# --- Center settings and rating pads (manager) --------------------------------------------------


@login_required
def center_settings(request):
    user = request.user
    if not user.center_id:
        raise PermissionDenied(_("Only a center's manager sets its rating rules."))
    center = user.center
    authorize(user, Action.MANAGE_CENTER, center=center)
    errors: dict[str, str] = {}
    new_token = ""
    if request.method == "POST":
        p = request.POST
        try:
            if p.get("step") == "pad":
                window = get_object_or_404(Window, pk=p.get("window"), center=center)
                the_pad, new_token = services.register_pad(user, window)
                messages.success(
                    request,
                    _("Rating pad registered for window %(n)s.") % {"n": window.number},
                )
            else:
                services.update_settings(
                    user,
                    center,
                    rating_days=p.get("rating_days"),
                    unrated_rule=p.get("unrated_rule", ""),
                    rectification_days=p.get("rectification_days"),
                    report_days=p.get("report_days"),
                    pad_pickup_minutes=p.get("pad_pickup_minutes"),
                    sms_invitation=p.get("sms_invitation") == "1",
                )
                messages.success(request, _("Saved."))
                return redirect("feedback:settings")
        except ValidationError as error:
            errors = _errors(error)
    return render(
        request,
        "feedback/settings.html",
        {
            "s": services.settings_for(center),
            "rules": FeedbackSettings.UnratedRule.choices,
            "windows": Window.objects.filter(center=center, active=True),
            "pads": RatingPad.objects.filter(window__center=center).select_related(
                "device", "window"
            ),
            "new_token": new_token,
            "errors": errors,
        },
    )
