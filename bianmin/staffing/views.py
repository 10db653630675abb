"""The staffing page: /staffing/<center code>/ — the plan of a day (forecast per queue and hour,
windows needed against planned, the recommendations), the expected peaks and the waiting
target. Thin: parse, call a service or the forecast, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bianmin.identity.permissions import Action, authorize, can
from bianmin.org.models import Center

from . import forecast, selectors, services
from .models import ExpectedPeak


def _center(code: str) -> Center:
    return get_object_or_404(Center.objects.select_related("region__parent"), region__code=code)


def _errors(error: ValidationError) -> dict[str, str]:
    if hasattr(error, "error_dict"):
        return {k: " ".join(v) for k, v in error.message_dict.items()}
    return {"general": " ".join(error.messages)}


def _day(request) -> dt.date:
    value = request.GET.get("day") or request.POST.get("plan_day") or ""
    return parse_date(value) if _is_date(value) else selectors.next_working_day()


def _is_date(value: str) -> bool:
    try:
        return parse_date(value) is not None
    except ValueError:
        return False


@login_required
def index(request):
    """The staffing page of the user's center; supervisors choose a center from the list."""
    user = request.user
    if user.center_id and can(user, Action.VIEW_CENTER, center=user.center):
        return redirect("staffing:plan", code=user.center.region.code)
    if not can(user, Action.VIEW_CENTER):
        raise PermissionDenied(_("Your role may not view the staffing of a center."))
    return redirect("core:centers")


def _chart(plan: forecast.Plan) -> dict:
    return {
        "queues": [
            {
                "label": q.label,
                "hours": [c.label for c in q.cells],
                "forecast": [c.forecast for c in q.cells],
                # What the planned windows can serve in the hour at the measured service time.
                "capacity": [
                    round(c.planned * c.open_minutes / q.service_minutes, 1) for c in q.cells
                ],
                "needed_capacity": [
                    round(c.needed * c.open_minutes / q.service_minutes, 1) for c in q.cells
                ],
                "short": [c.shortfall > 0 for c in q.cells],
            }
            for q in plan.queues
        ],
        "labels": {
            "forecast": _("People expected"),
            "capacity": _("Capacity of the planned windows"),
            "needed": _("Capacity of the windows needed"),
        },
    }


def _render(request, center: Center, day: dt.date, *, errors=None, form=None, status=200):
    plan = forecast.plan(center, day)
    can_manage = can(request.user, Action.MANAGE_CENTER, center=center)
    today = timezone.localdate()
    return render(
        request,
        "staffing/plan.html",
        {
            "center": center,
            "day": day,
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
            "plan": plan,
            "chart": _chart(plan),
            "can_manage": can_manage,
            "errors": errors or {},
            "form": form or {"day": day.isoformat() if day >= today else ""},
            "upcoming": list(selectors.upcoming_peaks(center, today)[:20]) if can_manage else [],
            "today": today,
        },
        status=status,
    )


@login_required
def plan_page(request, code: str):
    center = _center(code)
    authorize(request.user, Action.VIEW_CENTER, center=center)
    return _render(request, center, _day(request))


@login_required
@require_POST
def add_peak(request, code: str):
    center = _center(code)
    authorize(request.user, Action.MANAGE_CENTER, center=center)
    fields = ["queue", "name", "day", "starts_hour", "ends_hour", "extra_people", "factor", "note"]
    form = {k: request.POST.get(k, "") for k in fields}
    try:
        peak = services.add_peak(request.user, center, **form)
    except ValidationError as error:
        return _render(request, center, _day(request), errors=_errors(error), form=form, status=422)
    messages.success(request, _("The peak is entered: the plan of that day counts it."))
    return redirect(f"{reverse('staffing:plan', args=[code])}?day={peak.day:%Y-%m-%d}")


@login_required
@require_POST
def remove_peak(request, code: str, pk: int):
    center = _center(code)
    peak = get_object_or_404(ExpectedPeak.objects.select_related("center"), pk=pk, center=center)
    try:
        services.remove_peak(request.user, peak)
        messages.success(request, _("The peak is removed from the plan (its record stays)."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{reverse('staffing:plan', args=[code])}?day={peak.day:%Y-%m-%d}")


@login_required
@require_POST
def target(request, code: str):
    center = _center(code)
    authorize(request.user, Action.MANAGE_CENTER, center=center)
    values = {k: request.POST.get(k) for k in ("target_minutes", "target_share", "history_weeks")}
    try:
        services.update_settings(request.user, center, **values)
    except ValidationError as error:
        return _render(request, center, _day(request), errors=_errors(error), status=422)
    messages.success(request, _("The waiting target is saved."))
    return redirect(f"{reverse('staffing:plan', args=[code])}?day={_day(request):%Y-%m-%d}")
