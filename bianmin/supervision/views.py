"""Supervision pages: the overview, the checklist on a tablet (each answer saved as it is
given, by HTMX), tasks, the county ranking and a center's breakdown, the checklist editor.
Thin: parse, call a service or selector, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bianmin.identity.permissions import Action, authorize, can
from bianmin.org.models import Region

from . import assessment, files, selectors, services
from .models import (
    AREA_ORDER,
    Area,
    ChecklistItem,
    Inspection,
    InspectionAnswer,
    RectificationTask,
    Result,
    SupervisionEvent,
)

MAX_PHOTO = files.MAX_BYTES


def _errors(error: ValidationError) -> dict[str, str]:
    if hasattr(error, "error_dict"):
        return {k: " ".join(v) for k, v in error.message_dict.items()}
    return {"general": " ".join(error.messages)}


def _photo(request, name: str = "photo") -> bytes | None:
    upload = request.FILES.get(name)
    if not upload:
        return None
    if upload.size > MAX_PHOTO:
        raise ValidationError({"photo": [_("Photo: larger than 10 MB.")]})
    return upload.read()


def _may_supervise_or_manage(user) -> bool:
    return can(user, Action.SUPERVISE) or can(user, Action.MANAGE_CENTER)


@login_required
def index(request):
    user = request.user
    if not _may_supervise_or_manage(user):
        authorize(user, Action.SUPERVISE)
    supervisor = can(user, Action.SUPERVISE)
    state = request.GET.get("tasks", "open")
    now = timezone.now()
    context = {
        "supervisor": supervisor,
        "tasks": list(selectors.tasks_for(user, state, now=now)[:200]),
        "task_state": state,
        "counts": selectors.task_counts(user, now=now),
        "inspections": list(selectors.inspections_for(user)[:30]) if supervisor else [],
        "centers": list(selectors.supervised_centers(user)) if supervisor else [],
        "year": timezone.localdate().year,
        "own_center": user.center if not supervisor and user.center_id else None,
        "now": now,
    }
    return render(request, "supervision/index.html", context)


@login_required
@require_POST
def start(request):
    try:
        center = services.center_by_code(request.POST.get("center"))
        inspection = services.start_inspection(
            request.user, center, unannounced=request.POST.get("announced") != "1"
        )
    except ValidationError as error:
        for msg in _errors(error).values():
            messages.error(request, msg)
        return redirect("supervision:index")
    return redirect("supervision:inspection", pk=inspection.pk)


def _inspection_or_404(user, pk: int) -> Inspection:
    inspection = get_object_or_404(
        Inspection.objects.select_related("center__region__parent", "inspector"), pk=pk
    )
    services.require_view(user, inspection.center)
    return inspection


def _grouped(answers):
    labels = dict(Area.choices)
    by_area: dict[str, list] = {}
    for a in answers:
        by_area.setdefault(a.area, []).append(a)
    return [(key, labels.get(key, key), by_area[key]) for key in AREA_ORDER if key in by_area]


def _progress(insp: Inspection) -> dict:
    results = list(insp.answers.values_list("result", flat=True))
    return {"done": sum(1 for r in results if r), "total": len(results)}


@login_required
def inspection(request, pk: int):
    user = request.user
    insp = _inspection_or_404(user, pk)
    answers = list(insp.answers.select_related("task").order_by("order", "id"))
    done = sum(1 for a in answers if a.result)
    context = {
        "inspection": insp,
        "groups": _grouped(answers),
        "done": done,
        "total": len(answers),
        "failed": [a for a in answers if a.result == Result.FAIL],
        "may_answer": insp.is_open and can(user, Action.SUPERVISE, center=insp.center),
        "default_days": services.DEFAULT_DEADLINE_DAYS,
        "events": SupervisionEvent.objects.filter(inspection=insp, task__isnull=True)
        .select_related("actor")
        .order_by("at", "id"),
        "errors": {},
        "supervisor": can(user, Action.SUPERVISE),
    }
    return render(request, "supervision/inspection.html", context)


@login_required
@require_POST
def answer(request, pk: int, answer_id: int):
    user = request.user
    insp = _inspection_or_404(user, pk)
    a = get_object_or_404(InspectionAnswer, pk=answer_id, inspection=insp)
    errors: dict[str, str] = {}
    try:
        a = services.answer_item(
            user,
            a,
            result=request.POST.get("result", ""),
            note=request.POST.get("note", ""),
            deadline=request.POST.get("deadline_days"),
            photo=_photo(request),
        )
    except ValidationError as error:
        errors = _errors(error)
        a.result = request.POST.get("result", a.result)
        a.note = request.POST.get("note", a.note)
    if request.headers.get("HX-Request"):
        insp.refresh_from_db()
        return render(
            request,
            "supervision/_answer.html",
            {
                "a": a,
                "inspection": insp,
                "may_answer": insp.is_open,
                "default_days": services.DEFAULT_DEADLINE_DAYS,
                "errors": errors,
                "saved": not errors,
                "oob": True,
                **_progress(insp),
            },
        )
    for msg in errors.values():
        messages.error(request, msg)
    if not errors:
        messages.success(request, _("Saved."))
    return redirect("supervision:inspection", pk=insp.pk)


@login_required
def summary_pdf(request, pk: int):
    """The finished inspection's summary as a PDF (WeasyPrint), for the file and the center."""
    insp = _inspection_or_404(request.user, pk)
    if insp.is_open:
        raise Http404(_("The summary is made when the inspection is finished."))
    answers = list(insp.answers.select_related("task").order_by("order", "id"))
    html = render_to_string(
        "supervision/summary_pdf.html",
        {
            "inspection": insp,
            "groups": _grouped(answers),
            "failed": [a for a in answers if a.result == Result.FAIL],
            "counts": {
                r: sum(1 for a in answers if a.result == r)
                for r in (Result.PASS, Result.FAIL, Result.NOT_APPLICABLE)
            },
        },
        request=request,
    )
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="inspection-{insp.pk}.pdf"'
    return response


@login_required
@require_POST
def finish(request, pk: int):
    insp = _inspection_or_404(request.user, pk)
    try:
        services.finish_inspection(request.user, insp, summary=request.POST.get("summary", ""))
        messages.success(
            request, _("Inspection finished; each failed item is now a rectification task.")
        )
    except ValidationError as error:
        for msg in _errors(error).values():
            messages.error(request, msg)
    return redirect("supervision:inspection", pk=insp.pk)


def _photo_response(content: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def answer_photo(request, answer_id: int):
    a = get_object_or_404(
        InspectionAnswer.objects.select_related("inspection__center"), pk=answer_id
    )
    services.require_view(request.user, a.inspection.center)
    if not a.photo_path:
        raise PermissionDenied(_("This item has no photo."))
    return _photo_response(files.read(a.photo_path, a.photo_sha256), a.photo_type)


@login_required
def task_photo(request, pk: int):
    t = get_object_or_404(RectificationTask.objects.select_related("center"), pk=pk)
    services.require_view(request.user, t.center)
    if not t.photo_path:
        raise PermissionDenied(_("This task has no photo."))
    return _photo_response(files.read(t.photo_path, t.photo_sha256), t.photo_type)


@login_required
def task(request, pk: int):
    user = request.user
    t = get_object_or_404(
        RectificationTask.objects.select_related(
            "center__region__parent",
            "inspection__inspector",
            "answer",
            "submitted_by",
            "verified_by",
        ),
        pk=pk,
    )
    services.require_view(user, t.center)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        step = request.POST.get("step")
        try:
            if step == "submit":
                services.submit_task(
                    user, t, response=request.POST.get("response", ""), photo=_photo(request)
                )
            elif step in ("accept", "send_back"):
                services.verify_task(
                    user, t, accept=step == "accept", reason=request.POST.get("reason", "")
                )
            else:
                raise ValidationError({"step": [_("Unknown step.")]})
            messages.success(request, _("Saved."))
            return redirect("supervision:task", pk=t.pk)
        except ValidationError as error:
            errors, status = _errors(error), 422
        t.refresh_from_db()
    now = timezone.now()
    return render(
        request,
        "supervision/task.html",
        {
            "task": t,
            "overdue": t.is_overdue(now),
            "may_submit": t.state == "open" and can(user, Action.MANAGE_CENTER, center=t.center),
            "may_verify": t.state == "submitted" and can(user, Action.SUPERVISE, center=t.center),
            "events": t.events.select_related("actor").order_by("at", "id"),
            "errors": errors,
            "form": request.POST if errors else {},
            "supervisor": can(user, Action.SUPERVISE),
        },
        status=status,
    )


# --- The yearly assessment ----------------------------------------------------------------------


def _year(year: int) -> int:
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise Http404(_("Year: from 2000 to next year."))
    return year


@login_required
def ranking(request, year: int):
    user = request.user
    counties = selectors.counties_for(user)
    if not counties:
        if can(user, Action.MANAGE_CENTER) and user.center_id:
            return redirect("supervision:breakdown", year=year, code=user.center.region.code)
        authorize(user, Action.SUPERVISE)
        raise PermissionDenied(_("Your scope has no county to rank."))
    _year(year)
    code = request.GET.get("county") or counties[0].code
    county = next((c for c in counties if c.code == code), None)
    if county is None:
        county = Region.objects.filter(code=code, level=Region.Level.COUNTY).first()
        if county is None:
            return render(
                request,
                "supervision/ranking.html",
                {
                    "errors": {
                        "county": _("County: there is no county with the code %(code)s.")
                        % {"code": code}
                    },
                    "counties": counties,
                    "year": year,
                    "scores": [],
                    "chart": {},
                },
                status=422,
            )
        authorize(user, Action.SUPERVISE, center=selectors.county_centers(county).first())
    centers = selectors.county_centers(county)
    scores = assessment.assess(centers, year)
    chart = {
        "names": [
            s.center.region.name if s.complete or s.score is None else f"{s.center.region.name}*"
            for s in scores
        ],
        "series": [
            {
                "name": label,
                "data": [round(s.component(key).points or 0, 2) for s in scores],
            }
            for key, label in ((k, str(lbl)) for k, lbl in assessment.COMPONENTS)
        ],
    }
    return render(
        request,
        "supervision/ranking.html",
        {
            "year": year,
            "county": county,
            "counties": counties,
            "scores": scores,
            "components": [str(lbl) for _k, lbl in assessment.COMPONENTS],
            "weights": services.weights_for(year),
            "chart": chart,
            "chart_height": 100 + 28 * len(scores),
            "years": [year - 1, year + 1] if year < timezone.localdate().year else [year - 1],
            "errors": {},
        },
    )


@login_required
def breakdown(request, year: int, code: str):
    user = request.user
    _year(year)
    try:
        center = services.center_by_code(code)
    except ValidationError as error:
        from django.http import Http404

        raise Http404(_errors(error).get("center")) from None
    services.require_view(user, center)
    score = assessment.assess([center], year)[0]
    return render(
        request,
        "supervision/breakdown.html",
        {
            "year": year,
            "center": center,
            "score": score,
            "weights": services.weights_for(year),
            "rows": assessment.drilldown(center, year),
            "now": timezone.now(),
            "supervisor": can(user, Action.SUPERVISE, center=center),
        },
    )


# --- The checklist ------------------------------------------------------------------------------


@login_required
def checklist(request):
    user = request.user
    authorize(user, Action.SUPERVISE)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        p = request.POST
        item = None
        if p.get("item"):
            item = get_object_or_404(ChecklistItem, pk=p.get("item"))
        try:
            services.save_checklist_item(
                user,
                item,
                code=p.get("code", ""),
                area=p.get("area", ""),
                clause=p.get("clause", ""),
                text=p.get("text", ""),
                hint=p.get("hint", ""),
                order=p.get("order") or 0,
                active=p.get("active") == "1",
            )
            messages.success(request, _("Saved."))
            return redirect("supervision:checklist")
        except ValidationError as error:
            errors, status = _errors(error), 422
    cl = services.current_checklist()
    return render(
        request,
        "supervision/checklist.html",
        {
            "checklist": cl,
            "groups": _grouped(cl.items.order_by("order", "id")),
            "areas": Area.choices,
            "errors": errors,
            "form": request.POST if errors else {},
        },
        status=status,
    )


@login_required
def this_year(request):
    return redirect("supervision:ranking", year=timezone.localdate().year)
