"""Supervision API under /api/v1/supervision/: inspections (start, answer an item, finish),
rectification tasks (list, respond, verify) and the yearly assessment (a center's breakdown,
a county's ranking).

Staff use their session (with the X-CSRFToken header on writes). Refusals answer 422 with a
Chinese message naming the field; a forbidden action 403; an unknown inspection or task 404.
Photos are uploaded on the pages (multipart), not through this API.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from bianmin.identity.auth import session_auth
from bianmin.identity.permissions import Action, authorize, can
from bianmin.org.models import Region

from . import assessment, selectors, services
from .models import Inspection, InspectionAnswer, RectificationTask

router = Router(tags=["supervision"])


# --- Schemas ------------------------------------------------------------------------------------


class AnswerOut(Schema):
    id: int
    code: str
    area: str
    clause: str
    text: str
    hint: str
    hint_suggests: str
    result: str
    note: str
    deadline_days: int | None = None
    answered_at: dt.datetime | None = None
    has_photo: bool


class InspectionOut(Schema):
    id: int
    center: str
    center_code: str
    inspector: str
    unannounced: bool
    state: str
    checklist_version: int
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    summary: str
    answers: list[AnswerOut] = []
    tasks: list[int] = []


class InspectionSummaryOut(Schema):
    id: int
    center: str
    center_code: str
    state: str
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    failed: int


class StartIn(Schema):
    center: str
    unannounced: bool = True


class AnswerIn(Schema):
    result: str
    note: str = ""
    deadline_days: int | None = None


class FinishIn(Schema):
    summary: str = ""


class TaskOut(Schema):
    id: int
    center: str
    center_code: str
    inspection: int
    title: str
    finding: str
    state: str
    state_label: str
    created_at: dt.datetime
    deadline_days: int
    due_at: dt.datetime
    overdue: bool
    response: str
    submitted_at: dt.datetime | None = None
    sent_back_reason: str
    times_sent_back: int
    verified_at: dt.datetime | None = None


class RespondIn(Schema):
    response: str


class VerifyIn(Schema):
    accept: bool
    reason: str = ""


class FigureOut(Schema):
    label: str
    value: str


class ComponentOut(Schema):
    key: str
    label: str
    weight: int
    score: float | None = None
    points: float | None = None
    figures: list[FigureOut]
    link: str


class CenterScoreOut(Schema):
    center: str
    center_code: str
    year: int
    rank: int | None = None
    ranked: bool
    score: float | None = None
    weight_counted: int
    weight_total: int
    components: list[ComponentOut]


# --- Helpers ------------------------------------------------------------------------------------


def _answer_out(a: InspectionAnswer) -> dict:
    return {
        "id": a.pk,
        "code": a.code,
        "area": a.area,
        "clause": a.clause,
        "text": a.text,
        "hint": a.hint,
        "hint_suggests": a.hint_suggests,
        "result": a.result,
        "note": a.note,
        "deadline_days": a.deadline_days,
        "answered_at": a.answered_at,
        "has_photo": bool(a.photo_path),
    }


def _inspection_out(i: Inspection) -> dict:
    return {
        "id": i.pk,
        "center": i.center.name,
        "center_code": i.center.region.code,
        "inspector": i.inspector.full_name,
        "unannounced": i.unannounced,
        "state": i.state,
        "checklist_version": i.checklist_version,
        "started_at": i.started_at,
        "finished_at": i.finished_at,
        "summary": i.summary,
        "answers": [_answer_out(a) for a in i.answers.order_by("order", "id")],
        "tasks": list(i.tasks.order_by("id").values_list("pk", flat=True)),
    }


def _task_out(t: RectificationTask, now=None) -> dict:
    now = now or timezone.now()
    return {
        "id": t.pk,
        "center": t.center.name,
        "center_code": t.center.region.code,
        "inspection": t.inspection_id,
        "title": t.title,
        "finding": t.finding,
        "state": t.state,
        "state_label": str(t.get_state_display()),
        "created_at": t.created_at,
        "deadline_days": t.deadline_days,
        "due_at": t.due_at,
        "overdue": t.is_overdue(now),
        "response": t.response,
        "submitted_at": t.submitted_at,
        "sent_back_reason": t.sent_back_reason,
        "times_sent_back": t.times_sent_back,
        "verified_at": t.verified_at,
    }


def _score_out(s: assessment.CenterScore, year: int) -> dict:
    return {
        "center": s.center.name,
        "center_code": s.center.region.code,
        "year": year,
        "rank": s.rank,
        "ranked": s.complete,
        "score": None if s.score is None else round(s.score, 2),
        "weight_counted": s.weight_counted,
        "weight_total": s.weight_total,
        "components": [
            {
                "key": c.key,
                "label": c.label,
                "weight": c.weight,
                "score": c.score,
                "points": None if c.points is None else round(c.points, 4),
                "figures": [{"label": f.label, "value": str(f.value)} for f in c.figures],
                "link": c.link,
            }
            for c in s.components
        ],
    }


def _inspection(request, pk: int) -> Inspection:
    insp = get_object_or_404(
        Inspection.objects.select_related("center__region__parent", "inspector"), pk=pk
    )
    services.require_view(request.user, insp.center)
    return insp


def _task(request, pk: int) -> RectificationTask:
    t = get_object_or_404(RectificationTask.objects.select_related("center__region__parent"), pk=pk)
    services.require_view(request.user, t.center)
    return t


def _check_year(year: int) -> None:
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise ValidationError({"year": [_("Year: from 2000 to next year.")]})


# --- Inspections --------------------------------------------------------------------------------


@router.get("/inspections", response=list[InspectionSummaryOut], auth=session_auth)
def inspections(request):
    """The inspections of the centers in the user's scope, newest first."""
    authorize(request.user, Action.SUPERVISE)
    return [
        {
            "id": i.pk,
            "center": i.center.name,
            "center_code": i.center.region.code,
            "state": i.state,
            "started_at": i.started_at,
            "finished_at": i.finished_at,
            "failed": i.failed,
        }
        for i in selectors.inspections_for(request.user).select_related("center__region")[:200]
    ]


@router.post("/inspections", response={201: InspectionOut}, auth=session_auth)
def start(request, data: StartIn):
    """Start an inspection of a center (by its township code) with the checklist in use."""
    center = services.center_by_code(data.center)
    insp = services.start_inspection(request.user, center, unannounced=data.unannounced)
    return Status(201, _inspection_out(insp))


@router.get("/inspections/{pk}", response=InspectionOut, auth=session_auth)
def inspection(request, pk: int):
    return _inspection_out(_inspection(request, pk))


@router.post("/inspections/{pk}/answers/{code}", response=AnswerOut, auth=session_auth)
def answer(request, pk: int, code: str, data: AnswerIn):
    """Answer one item (by its code): pass, fail or na; a failure needs a note."""
    insp = _inspection(request, pk)
    a = get_object_or_404(InspectionAnswer, inspection=insp, code=code)
    a = services.answer_item(
        request.user, a, result=data.result, note=data.note, deadline=data.deadline_days
    )
    return _answer_out(a)


@router.post("/inspections/{pk}/finish", response=InspectionOut, auth=session_auth)
def finish(request, pk: int, data: FinishIn):
    """Finish: each failed item becomes a rectification task with its working-day deadline."""
    insp = services.finish_inspection(request.user, _inspection(request, pk), summary=data.summary)
    return _inspection_out(
        Inspection.objects.select_related("center__region", "inspector").get(pk=insp.pk)
    )


# --- Tasks --------------------------------------------------------------------------------------


@router.get("/tasks", response=list[TaskOut], auth=session_auth)
def tasks(request, state: str = "open"):
    """open, overdue, submitted, accepted or all, in the user's scope."""
    user = request.user
    if not (can(user, Action.SUPERVISE) or can(user, Action.MANAGE_CENTER)):
        authorize(user, Action.SUPERVISE)
    now = timezone.now()
    qs = selectors.tasks_for(user, state, now=now).select_related("center__region")
    return [_task_out(t, now) for t in qs[:500]]


@router.get("/tasks/{pk}", response=TaskOut, auth=session_auth)
def task(request, pk: int):
    return _task_out(_task(request, pk))


@router.post("/tasks/{pk}/respond", response=TaskOut, auth=session_auth)
def respond(request, pk: int, data: RespondIn):
    """The center records what was done and submits it for verification."""
    return _task_out(services.submit_task(request.user, _task(request, pk), response=data.response))


@router.post("/tasks/{pk}/verify", response=TaskOut, auth=session_auth)
def verify(request, pk: int, data: VerifyIn):
    """The supervisor accepts, or sends back with a reason."""
    return _task_out(
        services.verify_task(
            request.user, _task(request, pk), accept=data.accept, reason=data.reason
        )
    )


# --- The yearly assessment ----------------------------------------------------------------------


@router.get("/assessment/{year}/centers/{code}", response=CenterScoreOut, auth=session_auth)
def center_score(request, year: int, code: str):
    """One center's score and its components, each with the figures behind it."""
    _check_year(year)
    center = services.center_by_code(code)
    services.require_view(request.user, center)
    return _score_out(assessment.assess([center], year)[0], year)


@router.get("/assessment/{year}/counties/{code}", response=list[CenterScoreOut], auth=session_auth)
def county_ranking(request, year: int, code: str):
    """The centers of a county ranked by their score, best first."""
    _check_year(year)
    county = Region.objects.filter(code=code, level=Region.Level.COUNTY).first()
    if county is None:
        raise ValidationError(
            {"county": [_("County: there is no county with the code %(code)s.") % {"code": code}]}
        )
    centers = list(selectors.county_centers(county))
    if not centers:
        raise ValidationError(
            {"county": [_("County: %(name)s has no center.") % {"name": county.name}]}
        )
    # The centers of one county share the supervisor's scope: checking one checks them all.
    authorize(request.user, Action.SUPERVISE, center=centers[0])
    return [_score_out(s, year) for s in assessment.assess(centers, year)]
