"""Every change in supervision: the checklist, inspections, rectification tasks.

Each function checks permission (``identity.permissions.authorize``) and the rules, changes
the rows in one transaction and appends a ``SupervisionEvent`` with what was before and after.

- a supervisor (county: the centers of their county; city: all) starts an inspection, answers
  each item (pass / fail / not applicable, a note, a photo) and finishes it; a failed item
  needs a note saying what was found and gets a deadline in working days (default 10);
- finishing turns every failed item into a ``RectificationTask`` due at the end of that many
  working days (``workdays.services.due_at``); a finished inspection is never changed again;
- the center's manager records what was done and submits; the supervisor accepts or sends the
  task back with a reason.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.identity.models import User
from bianmin.identity.permissions import Action, authorize, can
from bianmin.org.models import Center
from bianmin.workdays.services import due_at as working_due_at

from . import files, hints
from .models import (
    Area,
    AssessmentWeights,
    Checklist,
    ChecklistItem,
    Inspection,
    InspectionAnswer,
    RectificationTask,
    Result,
    SupervisionEvent,
)

DEFAULT_DEADLINE_DAYS = 10
MAX_DEADLINE_DAYS = 60
CHECKLIST_FILE = Path(__file__).parent / "data" / "checklist.json"


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _text(value, field: str, label: str, max_length: int, *, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise _error(field, _("%(label)s: this field is required.") % {"label": label})
    if len(value) > max_length:
        raise _error(
            field, _("%(label)s: at most %(n)d characters.") % {"label": label, "n": max_length}
        )
    return value


def _event(
    kind,
    *,
    at,
    actor=None,
    center=None,
    inspection=None,
    task=None,
    before=None,
    after=None,
    note="",
):
    return SupervisionEvent.objects.create(
        center=center,
        kind=kind,
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        inspection=inspection,
        task=task,
        before=before or {},
        after=after or {},
        note=(note or "")[:500],
    )


def deadline_days(value, *, field: str = "deadline_days") -> int:
    """A deadline in working days: a whole number from 1 to 60."""
    if value is None or value == "":
        return DEFAULT_DEADLINE_DAYS
    try:
        days = int(str(value).strip())
    except (TypeError, ValueError):
        raise _error(
            field, _("Deadline: “%(value)s” is not a number of working days.") % {"value": value}
        ) from None
    if days < 1:
        raise _error(
            field,
            _(
                "Deadline: at least 1 working day after today (a deadline of %(n)s days is today or in the past)."
            )
            % {"n": days},
        )
    if days > MAX_DEADLINE_DAYS:
        raise _error(
            field, _("Deadline: at most %(max)d working days.") % {"max": MAX_DEADLINE_DAYS}
        )
    return days


def center_by_code(code) -> Center:
    """The center of a township code, or a message naming the field."""
    code = (str(code or "")).strip()
    if not code:
        raise _error("center", _("Center: this field is required."))
    center = Center.objects.select_related("region__parent").filter(region__code=code).first()
    if center is None:
        raise _error(
            "center", _("Center: there is no center with the code %(code)s.") % {"code": code}
        )
    return center


# --- The checklist ------------------------------------------------------------------------------


def load_default_checklist(checklist_model=Checklist, item_model=ChecklistItem):
    """The default checklist from ``data/checklist.json`` (the policy's words). Idempotent:
    items already there (by code) are left as the supervisors edited them."""
    data = json.loads(CHECKLIST_FILE.read_text(encoding="utf-8"))
    checklist = checklist_model.objects.order_by("pk").first()
    if checklist is None:
        checklist = checklist_model.objects.create(name=data["name"], version=1)
    have = set(item_model.objects.filter(checklist=checklist).values_list("code", flat=True))
    item_model.objects.bulk_create(
        item_model(
            checklist=checklist,
            code=row["code"],
            area=row["area"],
            clause=row["clause"],
            text=row["text"],
            hint=row["hint"],
            order=(n + 1) * 10,
        )
        for n, row in enumerate(data["items"])
        if row["code"] not in have
    )
    return checklist


def current_checklist() -> Checklist:
    return Checklist.objects.order_by("pk").first() or load_default_checklist()


def _item_state(item: ChecklistItem) -> dict:
    return {
        "code": item.code,
        "area": item.area,
        "clause": item.clause,
        "text": item.text,
        "hint": item.hint,
        "order": item.order,
        "active": item.active,
    }


@transaction.atomic
def save_checklist_item(
    actor: User,
    item: ChecklistItem | None,
    *,
    code: str,
    area: str,
    clause: str = "",
    text: str,
    hint: str = "",
    order=0,
    active: bool = True,
    now=None,
) -> ChecklistItem:
    """Add or change a checklist item (city and county supervisors). Inspections already made
    keep the text they were made with; the checklist's version grows by one."""
    now = _now(now)
    authorize(actor, Action.SUPERVISE)
    checklist = Checklist.objects.select_for_update(of=("self",)).get(pk=current_checklist().pk)
    code = _text(code, "code", _("Code"), 40)
    if not all(c.isalnum() or c in "_-" for c in code) or not code.isascii():
        raise _error("code", _("Code: only letters, digits, “-” and “_”."))
    if area not in Area.values:
        raise _error("area", _("Area: choose one of the policy's areas."))
    text = _text(text, "text", _("What to check"), 200)
    clause = _text(clause, "clause", _("Clause"), 20, required=False)
    hint = (hint or "").strip()
    if not hints.known_hint(hint):
        raise _error(
            "hint", _("Hint: the system knows no hint called “%(hint)s”.") % {"hint": hint}
        )
    try:
        order = int(order or 0)
    except (TypeError, ValueError):
        raise _error("order", _("Order: a whole number.")) from None
    if not 0 <= order <= 32000:
        raise _error("order", _("Order: from 0 to 32000."))
    clash = ChecklistItem.objects.filter(checklist=checklist, code=code)
    if item is not None:
        clash = clash.exclude(pk=item.pk)
    if clash.exists():
        raise _error(
            "code", _("Code: another item already has the code %(code)s.") % {"code": code}
        )
    before = _item_state(item) if item is not None else {}
    item = item or ChecklistItem(checklist=checklist)
    item.code, item.area, item.clause, item.text = code, area, clause, text
    item.hint, item.order, item.active = hint, order, bool(active)
    item.save()
    checklist.version += 1
    checklist.updated_by = actor
    checklist.save()
    _event(
        SupervisionEvent.Kind.CHECKLIST,
        at=now,
        actor=actor,
        before=before,
        after={**_item_state(item), "version": checklist.version},
    )
    return item


# --- Inspections --------------------------------------------------------------------------------


@transaction.atomic
def start_inspection(
    actor: User, center: Center, *, unannounced: bool = True, now=None
) -> Inspection:
    """Start an inspection of ``center`` with the checklist in use, hints filled from the
    hall's records as they are at this moment."""
    now = _now(now)
    authorize(actor, Action.SUPERVISE, center=center)
    checklist = current_checklist()
    items = list(checklist.items.filter(active=True).order_by("order", "id"))
    if not items:
        raise _error("checklist", _("Checklist: no item is in use; add items first."))
    inspection = Inspection.objects.create(
        center=center,
        inspector=actor,
        unannounced=bool(unannounced),
        checklist_version=checklist.version,
        started_at=now,
    )
    known = hints.hints_for(center, [i.hint for i in items], now)
    InspectionAnswer.objects.bulk_create(
        InspectionAnswer(
            inspection=inspection,
            item=i,
            code=i.code,
            area=i.area,
            clause=i.clause,
            text=i.text,
            order=i.order,
            hint=known.get(i.hint, ("", ""))[0],
            hint_suggests=known.get(i.hint, ("", ""))[1],
        )
        for i in items
    )
    _event(
        SupervisionEvent.Kind.STARTED,
        at=now,
        actor=actor,
        center=center,
        inspection=inspection,
        after={"unannounced": inspection.unannounced, "checklist_version": checklist.version},
    )
    return inspection


def _lock_inspection(inspection: Inspection | int) -> Inspection:
    pk = inspection.pk if isinstance(inspection, Inspection) else inspection
    return (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("center__region__parent")
        .get(pk=pk)
    )


def _refuse_finished(inspection: Inspection):
    if not inspection.is_open:
        raise _error(
            "inspection",
            _("Inspection #%(pk)s was finished on %(at)s; a finished inspection cannot be changed.")
            % {
                "pk": inspection.pk,
                "at": timezone.localtime(inspection.finished_at).strftime("%Y-%m-%d %H:%M"),
            },
        )


def _answer_state(a: InspectionAnswer) -> dict:
    return {
        "result": a.result,
        "note": a.note,
        "deadline_days": a.deadline_days,
        "photo": a.photo_sha256[:12],
    }


@transaction.atomic
def answer_item(
    actor: User,
    answer: InspectionAnswer | int,
    *,
    result: str,
    note: str = "",
    deadline: int | str | None = None,
    photo: bytes | None = None,
    now=None,
) -> InspectionAnswer:
    """Pass, fail or not applicable, with a note; a failure needs a note saying what was found,
    and gets its rectification deadline in working days (default 10)."""
    now = _now(now)
    pk = answer.pk if isinstance(answer, InspectionAnswer) else answer
    answer = InspectionAnswer.objects.get(pk=pk)
    inspection = _lock_inspection(answer.inspection_id)
    authorize(actor, Action.SUPERVISE, center=inspection.center)
    _refuse_finished(inspection)
    answer = InspectionAnswer.objects.get(pk=pk)
    result = (result or "").strip()
    if result not in (Result.PASS, Result.FAIL, Result.NOT_APPLICABLE):
        raise _error("result", _("Result: choose pass, fail or not applicable."))
    note = _text(note, "note", _("Inspector's note"), 500, required=False)
    if result == Result.FAIL and not note:
        raise _error(
            "note",
            _("Note: say what was found for a failed item (it becomes the rectification task)."),
        )
    before = _answer_state(answer)
    answer.result, answer.note = result, note
    answer.deadline_days = deadline_days(deadline) if result == Result.FAIL else None
    files.attach(answer, photo)
    answer.answered_at, answer.answered_by = now, actor
    answer.save()
    _event(
        SupervisionEvent.Kind.ANSWERED,
        at=now,
        actor=actor,
        center=inspection.center,
        inspection=inspection,
        before=before,
        after={"code": answer.code, **_answer_state(answer)},
    )
    return answer


@transaction.atomic
def finish_inspection(actor: User, inspection: Inspection | int, *, summary: str = "", now=None):
    """Finish: every item must be answered; each failed item becomes a rectification task
    for the center, due at the end of its working-day deadline. Nothing changes afterwards."""
    now = _now(now)
    inspection = _lock_inspection(inspection)
    authorize(actor, Action.SUPERVISE, center=inspection.center)
    _refuse_finished(inspection)
    summary = _text(summary, "summary", _("Summary"), 1000, required=False)
    answers = list(inspection.answers.order_by("order", "id"))
    missing = [a for a in answers if not a.result]
    if missing:
        raise _error(
            "answers",
            _("Checklist: %(n)d items are not answered yet, e.g. “%(first)s”.")
            % {"n": len(missing), "first": missing[0].text},
        )
    inspection.state = Inspection.State.FINISHED
    inspection.finished_at = now
    inspection.summary = summary
    inspection.save()
    failed = [a for a in answers if a.result == Result.FAIL]
    _event(
        SupervisionEvent.Kind.FINISHED,
        at=now,
        actor=actor,
        center=inspection.center,
        inspection=inspection,
        before={"state": "open"},
        after={
            "state": "finished",
            "passed": sum(a.result == Result.PASS for a in answers),
            "failed": len(failed),
            "not_applicable": sum(a.result == Result.NOT_APPLICABLE for a in answers),
        },
        note=summary,
    )
    for a in failed:
        days = a.deadline_days or DEFAULT_DEADLINE_DAYS
        due, result = working_due_at(now, days)
        task = RectificationTask.objects.create(
            center=inspection.center,
            inspection=inspection,
            answer=a,
            title=a.text,
            finding=a.note,
            created_at=now,
            deadline_days=days,
            due_at=due,
            due_provisional=result.provisional,
        )
        _event(
            SupervisionEvent.Kind.TASK_OPENED,
            at=now,
            actor=actor,
            center=inspection.center,
            inspection=inspection,
            task=task,
            after={"state": task.state, "due_at": due.isoformat(), "deadline_days": days},
            note=a.note,
        )
    return inspection


# --- Rectification tasks ------------------------------------------------------------------------


def _lock_task(task: RectificationTask | int) -> RectificationTask:
    pk = task.pk if isinstance(task, RectificationTask) else task
    return (
        RectificationTask.objects.select_for_update(of=("self",))
        .select_related("center__region__parent")
        .get(pk=pk)
    )


def _task_state(t: RectificationTask) -> dict:
    return {"state": t.state, "response": t.response, "sent_back_reason": t.sent_back_reason}


def _refuse_task_state(task: RectificationTask, action: str):
    raise _error(
        "state",
        _("State: task #%(pk)s is “%(state)s”; it cannot be %(action)s now.")
        % {"pk": task.pk, "state": task.get_state_display(), "action": action},
    )


@transaction.atomic
def submit_task(
    actor: User,
    task: RectificationTask | int,
    *,
    response: str,
    photo: bytes | None = None,
    now=None,
) -> RectificationTask:
    """The center's manager records what was done and submits it for verification."""
    now = _now(now)
    task = _lock_task(task)
    authorize(actor, Action.MANAGE_CENTER, center=task.center)
    if task.state != RectificationTask.State.OPEN:
        _refuse_task_state(task, _("submitted"))
    before = _task_state(task)
    task.response = _text(response, "response", _("Rectification done"), 500)
    files.attach(task, photo)
    task.state = RectificationTask.State.SUBMITTED
    task.submitted_at, task.submitted_by = now, actor
    task.save()
    _event(
        SupervisionEvent.Kind.SUBMITTED,
        at=now,
        actor=actor,
        center=task.center,
        task=task,
        before=before,
        after={**_task_state(task), "late": task.submitted_at > task.due_at},
        note=task.response,
    )
    return task


@transaction.atomic
def verify_task(
    actor: User, task: RectificationTask | int, *, accept: bool, reason: str = "", now=None
) -> RectificationTask:
    """The supervisor accepts the rectification, or sends it back with a reason."""
    now = _now(now)
    task = _lock_task(task)
    authorize(actor, Action.SUPERVISE, center=task.center)
    if task.state != RectificationTask.State.SUBMITTED:
        _refuse_task_state(task, _("accepted or sent back"))
    before = _task_state(task)
    reason = _text(reason, "reason", _("Reason to send back"), 500, required=not accept)
    task.verified_at, task.verified_by = now, actor
    if accept:
        task.state = RectificationTask.State.ACCEPTED
        kind = SupervisionEvent.Kind.ACCEPTED
    else:
        task.state = RectificationTask.State.OPEN
        task.sent_back_reason = reason
        task.times_sent_back += 1
        kind = SupervisionEvent.Kind.SENT_BACK
    task.save()
    _event(
        kind,
        at=now,
        actor=actor,
        center=task.center,
        task=task,
        before=before,
        after=_task_state(task),
        note=reason,
    )
    return task


# --- Reading permissions used by pages and the API --------------------------------------------


def may_view_center(user, center: Center) -> bool:
    """Supervisors of the center's county or city, and the center's own manager."""
    return can(user, Action.SUPERVISE, center=center) or can(
        user, Action.MANAGE_CENTER, center=center
    )


def require_view(user, center: Center) -> None:
    """Refuse (with the permission check's Chinese message) unless ``may_view_center``."""
    if may_view_center(user, center):
        return
    if can(user, Action.MANAGE_CENTER) and not can(user, Action.SUPERVISE):
        authorize(user, Action.MANAGE_CENTER, center=center)
    authorize(user, Action.SUPERVISE, center=center)


def weights_for(year: int) -> AssessmentWeights:
    """The year's weights; the defaults (unsaved) when no row was entered."""
    return AssessmentWeights.objects.filter(year=year).first() or AssessmentWeights(year=year)
