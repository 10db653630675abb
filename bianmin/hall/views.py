"""Hall pages: the manager's live hall, a clerk's window panel, set-up, routing, facilities,
training, the printable post boards and each window's public board."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bianmin.catalog.models import ServiceItem
from bianmin.identity.models import User
from bianmin.identity.permissions import Action, authorize, can
from bianmin.identity.roles import Role
from bianmin.org.models import Center

from . import selectors, services
from .forms import (
    AwayForm,
    DutyForm,
    FacilityForm,
    PostForm,
    TemplateForm,
    TrainingForm,
    WindowForm,
)
from .models import AwayNotice, Facility, Post, TrainingRecord, Window


def _center(request, code: str, action: str = Action.VIEW_CENTER) -> Center:
    center = get_object_or_404(Center.objects.select_related("region__parent"), region__code=code)
    authorize(request.user, action, center=center)
    return center


def _staff(center: Center):
    return User.objects.filter(
        center=center, role__in=services.STAFF_ROLES, is_active=True
    ).order_by("staff_number", "username")


def _apply_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, errs in error.error_dict.items():
        for e in errs:
            form.add_error(field if field in form.fields else None, e.messages[0])


@login_required
def index(request):
    user = request.user
    if user.center_id:
        return redirect("hall:hall", code=user.center.region.code)
    if not can(user, Action.VIEW_CENTER):
        raise PermissionDenied(_("Your role may not view the hall of a center."))
    return redirect("core:centers")


def _hall_context(request, center: Center, away_form: AwayForm | None = None) -> dict:
    user = request.user
    context = {
        "center": center,
        "states": selectors.window_states(center),
        "can_manage": can(user, Action.MANAGE_CENTER, center=center),
        "pending": selectors.pending_approvals(center),
        "overdue": selectors.overdue_aways(center),
        "hours_text": selectors.opening_hours_text(center),
        "unserved": len(selectors.unserved_items(center)),
    }
    if user.center_id == center.pk:
        in_30_minutes = timezone.localtime() + timezone.timedelta(minutes=30)
        context.update(
            my_posts=Post.objects.filter(window__center=center, primary=user).select_related(
                "window", "backup"
            ),
            backup_posts=Post.objects.filter(window__center=center, backup=user).select_related(
                "window", "primary"
            ),
            my_away=services.open_away(user),
            standing_in=AwayNotice.objects.filter(
                substitute=user, returned_at__isnull=True, post__window__center=center
            ).select_related("clerk", "post__window"),
            my_closed_windows=[
                s.window
                for s in context["states"]
                if s.post and s.post.primary_id == user.pk and s.attendance is None
            ],
            away_form=away_form
            or AwayForm(initial={"expected_return_at": in_30_minutes.strftime("%Y-%m-%dT%H:%M")}),
        )
    return context


@login_required
def hall(request, code: str):
    center = _center(request, code)
    context = _hall_context(request, center)
    if request.headers.get("HX-Request") and request.GET.get("part") == "windows":
        return render(request, "hall/_windows.html", context)
    return render(request, "hall/hall.html", context)


def _back(request, code):
    return redirect(request.POST.get("next") or reverse("hall:hall", args=[code]))


@login_required
@require_POST
def window_action(request, code: str, number: int, action: str):
    center = _center(request, code)
    window = get_object_or_404(Window, center=center, number=number)
    try:
        if action == "open":
            services.open_window(request.user, window)
            messages.success(request, _("%(window)s is open.") % {"window": window})
        elif action == "close":
            services.close_window(request.user, window)
            messages.success(request, _("%(window)s is closed.") % {"window": window})
        else:
            raise PermissionDenied(_("Unknown action."))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return _back(request, code)


@login_required
@require_POST
def away(request, code: str):
    center = _center(request, code, Action.SERVE_AT_WINDOW)
    form = AwayForm(request.POST)
    if form.is_valid():
        try:
            notice = services.go_away(request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if notice.approval == AwayNotice.Approval.PENDING:
                messages.warning(
                    request,
                    _(
                        "Away notice filed; it is longer than the center allows without approval, so the manager has been asked."
                    ),
                )
            else:
                messages.success(
                    request,
                    _("Away notice filed. %(name)s serves your post until you return.")
                    % {"name": notice.substitute},
                )
            return _back(request, code)
    return render(request, "hall/hall.html", _hall_context(request, center, form), status=400)


@login_required
@require_POST
def back(request, code: str):
    _center(request, code, Action.SERVE_AT_WINDOW)
    try:
        services.come_back(request.user)
        messages.success(request, _("Welcome back: your post's tickets come to you again."))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return _back(request, code)


@login_required
@require_POST
def decide(request, code: str, pk: int):
    center = _center(request, code, Action.MANAGE_CENTER)
    notice = get_object_or_404(AwayNotice, pk=pk, post__window__center=center)
    try:
        services.decide_away(
            request.user, notice, approve=request.POST.get("decision") == "approve"
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return _back(request, code)


@login_required
def setup(request, code: str):
    center = _center(request, code, Action.MANAGE_CENTER)
    staff = _staff(center)
    template_form = TemplateForm(request.POST if request.POST.get("form") == "template" else None)
    window_form = WindowForm(
        request.POST if request.POST.get("form") == "window" else None, initial={"active": True}
    )
    post_forms = {}
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "template" and template_form.is_valid():
                services.apply_template(
                    request.user,
                    center,
                    domain_windows=template_form.cleaned_data["domain_windows"],
                    special=tuple(template_form.cleaned_data["special"]),
                )
                messages.success(
                    request,
                    _("The policy's window set has been created. Now assign the A and B clerks."),
                )
                return redirect("hall:setup", code=code)
            if which == "window" and window_form.is_valid():
                data = window_form.cleaned_data
                pk = request.POST.get("window")
                if pk:
                    window = get_object_or_404(Window, pk=pk, center=center)
                    services.update_window(
                        request.user,
                        window,
                        number=data["number"],
                        name=data["name"],
                        kind=data["kind"],
                        domains=data["domains"],
                        active=data["active"],
                    )
                else:
                    services.create_window(
                        request.user,
                        center,
                        number=data["number"],
                        name=data["name"],
                        kind=data["kind"],
                        domains=data["domains"],
                    )
                messages.success(request, _("Window saved."))
                return redirect("hall:setup", code=code)
            if which == "post":
                window = get_object_or_404(Window, pk=request.POST.get("window"), center=center)
                form = PostForm(request.POST, staff=staff, prefix=f"w{window.pk}")
                post_forms[window.pk] = form
                if form.is_valid():
                    services.assign_post(
                        request.user,
                        window,
                        primary=form.cleaned_data["primary"],
                        backup=form.cleaned_data["backup"],
                    )
                    messages.success(request, _("Post of %(window)s saved.") % {"window": window})
                    return redirect("hall:setup", code=code)
        except ValidationError as error:
            target = {"template": template_form, "window": window_form}.get(
                which
            ) or post_forms.get(int(request.POST.get("window") or 0))
            if target is not None:
                _apply_errors(target, error)
    windows = list(
        center.windows.prefetch_related("domains").select_related("post").order_by("number")
    )
    rows = []
    for w in windows:
        post = getattr(w, "post", None)
        form = post_forms.get(w.pk) or PostForm(
            staff=staff,
            prefix=f"w{w.pk}",
            initial={
                "primary": post.primary_id if post else None,
                "backup": post.backup_id if post else None,
            },
        )
        rows.append((w, form))
    return render(
        request,
        "hall/setup.html",
        {
            "center": center,
            "template_form": template_form,
            "window_form": window_form,
            "rows": rows,
            "has_windows": bool(windows),
            "duty_form": DutyForm(),
            "hours": selectors.opening_hours(center),
            "duties": center.extra_duties.filter(date__gte=timezone.localdate()),
            "settings": services.hall_settings(center),
        },
    )


@login_required
@require_POST
def add_duty(request, code: str):
    center = _center(request, code, Action.MANAGE_CENTER)
    form = DutyForm(request.POST)
    if form.is_valid():
        try:
            services.add_extra_duty(request.user, center, **form.cleaned_data)
            messages.success(request, _("Extra duty saved."))
        except ValidationError as error:
            messages.error(request, error.messages[0])
    else:
        messages.error(request, next(iter(form.errors.values()))[0])
    return redirect("hall:setup", code=code)


@login_required
def routing(request, code: str):
    center = _center(request, code)
    if request.method == "POST":
        item = get_object_or_404(ServiceItem, pk=request.POST.get("item"))
        window = Window.objects.filter(pk=request.POST.get("window") or 0, center=center).first()
        services.set_routing_override(request.user, center, item, window)
        messages.success(request, _("Routing of %(item)s saved.") % {"item": item.name})
        return redirect("hall:routing", code=code)
    routes = selectors.routing_table(center)
    return render(
        request,
        "hall/routing.html",
        {
            "center": center,
            "routes": routes,
            "unserved": [r for r in routes if r.window is None],
            "windows": center.windows.filter(active=True).order_by("number"),
            "can_manage": can(request.user, Action.MANAGE_CENTER, center=center),
        },
    )


@dataclass
class FacilityRow:
    kind: str
    label: str
    facility: Facility | None
    values: dict  # what the inputs show: the record, or what was just typed and refused
    errors: dict  # field -> messages, for the row that was just refused


def _facility_values(f: Facility | None) -> dict:
    if f is None:
        return {
            "quantity": "",
            "status": Facility.Status.MISSING,
            "last_checked_on": "",
            "notes": "",
        }
    return {
        "quantity": f.quantity,
        "status": f.status,
        "last_checked_on": f"{f.last_checked_on:%Y-%m-%d}" if f.last_checked_on else "",
        "notes": f.notes,
    }


@login_required
def facilities(request, code: str):
    center = _center(request, code)
    can_manage = can(request.user, Action.MANAGE_CENTER, center=center)
    refused_kind, refused = None, None
    if request.method == "POST":
        form = FacilityForm(request.POST)
        if form.is_valid():
            try:
                services.record_facility(request.user, center, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(
                    reverse("hall:facilities", args=[code]) + f"#f-{form.cleaned_data['kind']}"
                )
        refused_kind, refused = request.POST.get("kind"), form
    existing = {f.kind: f for f in center.facilities.all()}
    rows = []
    for kind, label in Facility.Kind.choices:
        values, errors = _facility_values(existing.get(kind)), {}
        if kind == refused_kind:
            # Nothing typed is lost: the refused row shows what was sent, with each message
            # next to its field.
            values = {name: refused.data.get(name, "") for name in values}
            errors = {
                ("row" if name == "__all__" else name): [str(m) for m in messages_]
                for name, messages_ in refused.errors.items()
            }
        rows.append(FacilityRow(kind, label, existing.get(kind), values, errors))
    return render(
        request,
        "hall/facilities.html",
        {
            "center": center,
            "rows": rows,
            "can_manage": can_manage,
            "statuses": Facility.Status.choices,
            "missing": sum(
                1 for r in rows if r.facility is None or r.facility.status != Facility.Status.OK
            ),
        },
        status=422 if refused is not None else 200,
    )


@login_required
def training(request, code: str):
    center = _center(request, code)
    staff = _staff(center)
    form = TrainingForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["clerk"] is None:
                raise ValidationError({"clerk": [_("Clerk: choose a clerk.")]})
            services.add_training(
                request.user,
                data["clerk"],
                topic=data["topic"],
                held_on=data["held_on"],
                hours=data["hours"],
                organiser=data["organiser"],
            )
            messages.success(request, _("Training recorded."))
            return redirect("hall:training", code=code)
        except ValidationError as error:
            _apply_errors(form, error)
    totals = staff.annotate(total=Sum("training_records__hours"))
    records = TrainingRecord.objects.filter(clerk__center=center).select_related("clerk")[:200]
    return render(
        request,
        "hall/training.html",
        {
            "center": center,
            "form": form,
            "records": records,
            "totals": totals,
            "can_manage": can(request.user, Action.MANAGE_CENTER, center=center),
        },
    )


def _served_by_window(center: Center) -> dict[int, list[str]]:
    served: dict[int, list[str]] = {}
    for route in selectors.routing_table(center):
        if route.window is not None:
            served.setdefault(route.window.pk, []).append(route.item.name)
    return served


def postboards(request, code: str):
    """Printable 岗位公示牌, one per window (public: it hangs in the hall)."""
    center = get_object_or_404(Center.objects.select_related("region__parent"), region__code=code)
    served = _served_by_window(center)
    windows = (
        center.windows.filter(active=True)
        .select_related("post__primary", "post__backup")
        .order_by("number")
    )
    boards = [(w, getattr(w, "post", None), served.get(w.pk, [])) for w in windows]
    return render(
        request,
        "hall/postboards.html",
        {
            "center": center,
            "boards": boards,
            "settings": services.hall_settings(center),
        },
    )


def board(request, code: str, number: int):
    """The public board above a window: who serves, or where the clerk went and who stands in."""
    center = get_object_or_404(Center, region__code=code)
    window = get_object_or_404(Window, center=center, number=number)
    state = next(s for s in selectors.window_states(center) if s.window.pk == window.pk)
    template = "hall/_board.html" if request.headers.get("HX-Request") else "hall/board.html"
    return render(request, template, {"center": center, "s": state})


@login_required
def clerk_profile(request, code: str, username: str):
    center = _center(request, code)
    clerk = get_object_or_404(User, username=username, center=center)
    records = clerk.training_records.all()
    return render(
        request,
        "hall/clerk.html",
        {
            "center": center,
            "clerk": clerk,
            "records": records,
            "hours": records.aggregate(total=Sum("hours"))["total"] or 0,
            "posts_a": Post.objects.filter(primary=clerk).select_related("window"),
            "posts_b": Post.objects.filter(backup=clerk).select_related("window"),
            "is_manager": request.user.role == Role.CENTER_MANAGER,
        },
    )
