"""Cases API under /api/v1/cases/: every action of the state machine, lists, events, notices.

Staff authenticate with their session (and the X-CSRFToken header on writes). A refused action
answers 422 with a Chinese message naming the field (or the state), a forbidden one 403. The
progress lookup is public and answers the same for a wrong case number as for a wrong phone.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.responses import NinjaJSONEncoder

from bianmin.common.schemas import In
from bianmin.identity.auth import session_auth
from bianmin.identity.permissions import Action, authorize
from bianmin.org.models import Center

from . import deadlines, machine, notices, selectors, services
from .models import Case, MaterialFile

router = Router(tags=["cases"], auth=session_auth)


# --- Schemas ------------------------------------------------------------------------------------


class ApplicantSchema(In):
    kind: str = "person"
    name: str = ""
    id_number: str = ""
    mobile: str = ""
    credit_code: str = ""
    legal_representative: str = ""
    representative_id_number: str = ""


class ProxySchema(In):
    kind: str = "agent"
    name: str = ""
    id_number: str = ""
    mobile: str = ""
    authorization: str = ""


class LineSchema(In):
    material: int
    status: str
    original_seen: bool = False
    copies: int = 0
    reason: str = ""


class PledgeSchema(In):
    due: dt.date | None = None
    signer: str = ""


class CaseCreate(In):
    item: int
    applicant: ApplicantSchema
    center: str | None = None  # the township's division code; default: the clerk's center
    proxy: ProxySchema | None = None
    checklist: list[LineSchema] = []
    channel: str = "window"
    application_note: str = ""
    accept: bool = False
    pledge: PledgeSchema | None = None


class LineOut(Schema):
    material: int
    name: str
    necessity: str
    deferrable: bool
    status: str
    original_seen: bool
    copies: int
    reason: str


class CaseRow(Schema):
    number: str
    state: str
    item: str
    applicant_name: str
    applicant_masked: str
    received_at: dt.datetime
    due_at: dt.datetime | None
    due_provisional: bool
    level: str


class CaseOut(Schema):
    number: str
    state: str
    state_label: str
    center: str
    item_id: int
    item: str
    guide_version: int
    department: str | None
    channel: str
    applicant_kind: str
    applicant_name: str
    applicant_masked: str
    proxy_kind: str
    received_at: dt.datetime
    intake_deadline: dt.date
    accepted_at: dt.datetime | None
    deemed_accepted: bool
    clock_started_on: dt.date | None
    promised_days: int | None
    extended_days: int
    paused_days: int
    due_at: dt.datetime | None
    due_provisional: bool
    level: str
    pledge_status: str
    pledge_due: dt.date | None
    pledge_materials: list[int]
    extension_status: str
    steps_done: int
    forwarded_to: str
    decision: str
    decision_reason: str
    legal_basis: str
    handout_method: str
    handed_out_at: dt.datetime | None
    closed_at: dt.datetime | None
    checklist: list[LineOut]
    event_count: int
    progress_url: str


class CaseDetailOut(CaseOut):
    allowed_actions: list[str]
    notices: list[str]


class EventOut(Schema):
    seq: int
    action: str
    from_state: str
    to_state: str
    actor: str
    role: str
    channel: str
    at: dt.datetime
    reason: str
    before: dict
    after: dict
    data: dict
    hash: str


class NoticeOut(Schema):
    number: int
    issued_at: dt.datetime
    items: list[dict]


class DeliveryOut(Schema):
    id: int
    recipient: str
    address_masked: str
    postal_code: str
    carrier: str
    tracking_number: str
    status: str
    sent_at: dt.datetime
    fee: float


class FileOut(Schema):
    id: int
    name: str
    material: int | None
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class ChecklistIn(In):
    lines: list[LineSchema]


class AcceptIn(In):
    pledge: PledgeSchema | None = None


class ReasonIn(In):
    reason: str = ""


class RejectIn(In):
    reason: str = ""
    legal_basis: str = ""


class NoteIn(In):
    note: str = ""


class CommentIn(In):
    comment: str = ""


class ForwardIn(In):
    authority: str = ""
    note: str = ""


class ApproveIn(In):
    note: str = ""
    result_note: str = ""


class CountyResultIn(In):
    approved: bool
    reason: str = ""
    legal_basis: str = ""
    result_note: str = ""


class ResultIn(In):
    result_note: str = ""


class HandoutSchema(In):
    receiver: str = "applicant"
    id_number: str = ""
    proxy: ProxySchema | None = None


class DeliverySchema(In):
    recipient: str = ""
    address: str = ""
    postal_code: str = ""
    carrier: str = ""
    tracking_number: str = ""


class ExtensionIn(In):
    days: int = 0
    reason: str = ""


class SupplyIn(In):
    material: int


class ProgressIn(In):
    number: str
    secret: str


class ProgressStepOut(Schema):
    at: dt.datetime
    text: str
    detail: str


class ProgressOut(Schema):
    number: str
    item: str
    center: str
    applicant: str
    state: str
    time_limit: str
    steps: list[ProgressStepOut]


class DishonestRow(In):
    name: str
    number: str
    reason: str = ""
    listed_on: dt.date | None = None
    until: dt.date | None = None


class DishonestImportIn(In):
    rows: list[DishonestRow]
    replace: bool = False


class ImportOut(Schema):
    added: int
    updated: int
    errors: list[str]


class Message(Schema):
    detail: str


class Invalid(Schema):
    """422: the first message, and every message by field (``applicant.id_number`` …)."""

    detail: str
    errors: dict[str, list[str]] = {}


ERRORS = {403: Message, 404: Message, 422: Invalid}


# --- Helpers ------------------------------------------------------------------------------------


def _out(case: Case, request) -> dict:
    now = timezone.now()
    return {
        "number": case.number,
        "state": case.state,
        "state_label": str(machine.State(case.state).label),
        "center": case.center.name,
        "item_id": case.item_id,
        "item": case.item.name,
        "guide_version": case.guide.number,
        "department": case.department.name if case.department_id else None,
        "channel": case.channel,
        "applicant_kind": case.applicant_kind,
        "applicant_name": case.applicant_name,
        "applicant_masked": case.applicant_masked,
        "proxy_kind": case.proxy_kind,
        "received_at": case.received_at,
        "intake_deadline": case.intake_deadline,
        "accepted_at": case.accepted_at,
        "deemed_accepted": case.deemed_accepted,
        "clock_started_on": case.clock_started_on,
        "promised_days": case.promised_days,
        "extended_days": case.extended_days,
        "paused_days": case.paused_days,
        "due_at": case.due_at,
        "due_provisional": case.due_provisional,
        "level": deadlines.level(case, now),
        "pledge_status": case.pledge_status,
        "pledge_due": case.pledge_due,
        "pledge_materials": case.pledge_materials or [],
        "extension_status": case.extension_status,
        "steps_done": case.steps_done,
        "forwarded_to": case.forwarded_to,
        "decision": case.decision,
        "decision_reason": case.decision_reason,
        "legal_basis": case.legal_basis,
        "handout_method": case.handout_method,
        "handed_out_at": case.handed_out_at,
        "closed_at": case.closed_at,
        "checklist": case.checklist,
        "event_count": case.event_count,
        "progress_url": notices.progress_url(case, request.build_absolute_uri("/")),
    }


_LINE_FIELDS = tuple(LineOut.model_fields)


def _created(case: Case, request) -> HttpResponse:
    """201 with the new case as ``CaseOut``, written by ninja's own JSON encoder from the dict
    (the case is built here; validating it again through pydantic was ~4 % of a creation)."""
    out = _out(case, request)
    out["checklist"] = [{k: line.get(k) for k in _LINE_FIELDS} for line in out["checklist"]]
    for k, v in out.items():  # in UTC, as read back from the database (due_at is local here)
        if isinstance(v, dt.datetime):
            out[k] = v.astimezone(dt.UTC)
    return HttpResponse(
        json.dumps(out, cls=NinjaJSONEncoder),
        status=201,
        content_type="application/json; charset=utf-8",
    )


def _case(request, number: str) -> Case:
    case = selectors.case_detail(number)
    if case is None or not selectors.may_view(request.auth, case):
        raise Http404
    return case


def _locked_view(request, number: str) -> Case:
    """The case for a write: visible to the user (the service locks and checks it again)."""
    case = Case.objects.select_related("center", "person").filter(number=number).first()
    if case is None or not selectors.may_view(request.auth, case):
        raise Http404
    return case


def _reload(case: Case) -> Case:
    return Case.objects.select_related("center", "item", "guide", "department").get(pk=case.pk)


def _line(line: LineSchema) -> services.LineIn:
    return services.LineIn(**line.model_dump())


def _proxy(p: ProxySchema | None) -> services.ProxyIn | None:
    return services.ProxyIn(**p.model_dump()) if p is not None else None


# --- Lists and reads ----------------------------------------------------------------------------


LIST_HEADERS = {
    200: {
        "description": "Up to 50 rows. When more follow, the header X-Next-After carries the "
        "cursor to pass as ``after`` for the next page (keyset pagination).",
        "headers": {
            "X-Next-After": {
                "description": "The cursor of the next page (absent on the last page).",
                "schema": {"type": "string"},
            }
        },
    }
}


@router.get(
    "/",
    response={200: list[CaseRow], **ERRORS},
    summary="A center's cases (clerk)",
    openapi_extra={"responses": LIST_HEADERS},
)
def list_cases(
    request, tab: str = "intake", page: int = 1, after: str = "", center: str | None = None
):
    """The clerk's lists: ``intake``, ``running``, ``results``, ``overdue``, ``closed``; 50 a page.
    Page on with ``after`` (the X-Next-After header of the previous page); ``page`` still works."""
    user = request.auth
    if center:
        center_obj = get_object_or_404(Center.objects.select_related("region"), region__code=center)
    elif user.center_id:
        center_obj = Center(pk=user.center_id)  # the user's own: scope needs only its id
    else:
        raise PermissionDenied(_("Name the center (its division code)."))
    authorize(user, Action.VIEW_CENTER, center=center_obj)
    return _rows(selectors.center_cases(center_obj.pk, tab), page, after)


def _rows(qs, page: int, after: str) -> HttpResponse:
    """A list page as JSON, built from dicts (no model instances, no schema validation: the
    rows are exactly ``CaseRow``), with the next page's cursor in ``X-Next-After``."""
    page = max(int(page or 1), 1)
    if after or page == 1:
        rows, nxt = selectors.keyset_page(qs, after)
    else:
        size = selectors.PAGE_SIZE
        rows = list(qs.values(*selectors.ROW_VALUES)[(page - 1) * size : page * size + 1])
        field_name = selectors._sort_key(qs)[0]
        nxt = selectors.cursor_of(rows[size - 1], field_name) if len(rows) > size else ""
        rows = rows[:size]
    now = timezone.now()
    body = [
        {
            "number": r["number"],
            "state": r["state"],
            "item": r["item__name"],
            "applicant_name": r["applicant_name"],
            "applicant_masked": r["applicant_masked"],
            "received_at": _iso(r["received_at"]),
            "due_at": _iso(r["due_at"]),
            "due_provisional": r["due_provisional"],
            "level": deadlines.level_of(r["state"], r["due_at"], r["warn_at"], now),
        }
        for r in rows
    ]
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        content_type="application/json; charset=utf-8",
    )
    if nxt:
        response["X-Next-After"] = nxt
    return response


def _iso(moment: dt.datetime | None) -> str | None:
    """As pydantic writes it: ISO 8601 in UTC with a Z."""
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


@router.get(
    "/queue",
    response={200: list[CaseRow], **ERRORS},
    summary="The department's queue",
    openapi_extra={"responses": LIST_HEADERS},
)
def department_queue(request, view: str = "waiting", page: int = 1, after: str = ""):
    """An officer's queue: ``waiting`` (to claim), ``mine``, ``forwarded``, ``decided``,
    ``overdue``; 50 a page (``after``: the X-Next-After header of the previous page)."""
    user = request.auth
    authorize(user, Action.DECIDE_CASE)
    return _rows(selectors.department_queue(user, view), page, after)


@router.get(
    "/overdue",
    response={200: list[CaseRow], **ERRORS},
    summary="Overdue cases in scope",
    openapi_extra={"responses": LIST_HEADERS},
)
def overdue(request, page: int = 1, after: str = ""):
    return _rows(selectors.overdue_in_scope(request.auth), page, after)


# --- The dishonesty list and the public progress ------------------------------------------------


@router.post(
    "/dishonest/{center}", response={200: ImportOut, **ERRORS}, summary="Import a dishonesty list"
)
def import_dishonest(request, center: str, payload: DishonestImportIn):
    center_obj = get_object_or_404(Center, region__code=center)
    result = services.import_dishonesty_list(
        request.auth,
        center_obj,
        [r.model_dump() for r in payload.rows],
        replace=payload.replace,
    )
    return {"added": result.added, "updated": result.updated, "errors": result.errors}


@router.post(
    "/progress",
    auth=None,
    response={200: ProgressOut, 404: Message, 429: Message},
    summary="Progress by case number and phone or identity number (public)",
    description="Ten wrong tries per address in 15 minutes; then 429 until the window ends.",
)
def progress(request, payload: ProgressIn):
    found = selectors.look_up_progress(
        request.META.get("REMOTE_ADDR", ""),
        payload.number,
        payload.secret,
        Case.objects.select_related("item", "center", "organisation").prefetch_related(
            "events", "notices"
        ),
    )
    case = found.case
    if found.limited:
        return Status(429, {"detail": _("Too many attempts. Please try again in 15 minutes.")})
    if case is None:
        return Status(
            404,
            {
                "detail": _(
                    "No case matches this case number and phone or identity number. Check both "
                    "and try again."
                )
            },
        )
    return {
        "number": case.number,
        "item": case.item.name,
        "center": case.center.name,
        "applicant": selectors.mask_name(case.applicant_name),
        "state": str(machine.State(case.state).label),
        "time_limit": selectors.clock_text(case),
        "steps": [
            {"at": s.at, "text": s.text, "detail": s.detail} for s in selectors.progress_steps(case)
        ],
    }


@router.get("/{number}", response={200: CaseDetailOut, **ERRORS}, summary="One case")
def get_case(request, number: str):
    case = _case(request, number)
    out = _out(case, request)
    out["allowed_actions"] = services.allowed_actions(case, request.auth)
    out["notices"] = [k if n is None else f"{k}:{n}" for k, n in notices.available(case)]
    return out


@router.get("/{number}/events", response={200: list[EventOut], **ERRORS}, summary="Event log")
def case_events(request, number: str):
    case = _case(request, number)
    return [
        {
            "seq": e.seq,
            "action": e.action,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "actor": e.actor_name,
            "role": e.actor_role,
            "channel": e.channel,
            "at": e.at,
            "reason": e.reason,
            "before": e.before,
            "after": e.after,
            "data": e.data,
            "hash": e.hash,
        }
        for e in case.events.all()
    ]


@router.get(
    "/{number}/notices", response={200: list[NoticeOut], **ERRORS}, summary="One-time notices"
)
def one_time_notices(request, number: str):
    case = _case(request, number)
    return [
        {"number": n.number, "issued_at": n.issued_at, "items": n.items} for n in case.notices.all()
    ]


@router.get(
    "/{number}/notices/{kind}.pdf",
    response={200: None, **ERRORS},
    summary="A printed notice (PDF)",
    openapi_extra={"responses": {"200": {"content": {"application/pdf": {}}}}},
)
def notice_pdf(request, number: str, kind: str, n: int | None = None):
    """``acceptance``, ``rejection``, ``one_time`` (with ``n``), ``deferral``, ``pledge``,
    ``extension``, ``approval``, ``denial``, ``completion``."""
    case = _case(request, number)
    if kind not in notices.KINDS or (kind, n) not in notices.available(case):
        raise Http404
    pdf = notices.notice_pdf(case, kind, n, request.build_absolute_uri("/"))
    return HttpResponse(pdf, content_type="application/pdf")


@router.get(
    "/{number}/archive.pdf",
    response={200: None, **ERRORS},
    summary="The whole case file (PDF)",
    openapi_extra={"responses": {"200": {"content": {"application/pdf": {}}}}},
)
def archive_pdf(request, number: str):
    case = _case(request, number)
    pdf = notices.archive_pdf(case, request.build_absolute_uri("/"))
    services.log_document_view(
        request.auth,
        case,
        _("Case file %(number)s (PDF)") % {"number": case.number},
        request.META.get("REMOTE_ADDR"),
    )
    return HttpResponse(pdf, content_type="application/pdf")


@router.get("/{number}/files", response={200: list[FileOut], **ERRORS}, summary="Materials on file")
def list_files(request, number: str):
    case = _case(request, number)
    return [_file(f) for f in case.files.all()]


def _file(f: MaterialFile) -> dict:
    return {
        "id": f.pk,
        "name": f.name,
        "material": f.material_id,
        "content_type": f.content_type,
        "size": f.size,
        "sha256": f.sha256,
        "uploaded_at": f.uploaded_at,
    }


# --- Intake -------------------------------------------------------------------------------------


@router.post("/", response={201: CaseOut, **ERRORS}, summary="Receive an application (收件)")
def create_case(request, payload: CaseCreate):
    """Open a case against the item's published guide; with ``accept: true`` it is accepted in
    the same transaction (materials in order, or deferred under ``pledge``)."""
    user = request.auth
    if payload.center:
        center = get_object_or_404(
            Center.objects.select_related("region"), region__code=payload.center
        )
    elif user.center_id:
        center = user.center  # read with the session (bianmin.identity.sessions)
    else:
        raise PermissionDenied(_("Name the center (its division code)."))
    pledge = payload.pledge
    case = services.open_case(
        user,
        center=center,
        item=payload.item,  # an id: the item is read with its guide and materials
        applicant=services.ApplicantIn(**payload.applicant.model_dump()),
        proxy=_proxy(payload.proxy),
        checklist=[_line(line) for line in payload.checklist],
        channel=payload.channel,
        application_note=payload.application_note,
        accept=payload.accept,
        pledge=services.PledgeIn(**pledge.model_dump()) if pledge else None,
    )
    return _created(case, request)


def _write(request, number: str, call):
    case = _locked_view(request, number)
    result = call(request.auth, case)
    if not isinstance(result, Case):
        result = _reload(case)
    return _out(result, request)


def _post(path: str, summary: str):
    return router.post(path, response={200: CaseOut, **ERRORS}, summary=summary)


@_post("/{number}/checklist", "Check the materials")
def update_checklist(request, number: str, payload: ChecklistIn):
    return _write(
        request,
        number,
        lambda u, c: services.update_checklist(u, c, [_line(x) for x in payload.lines]),
    )


@_post("/{number}/amend", "Record a change to the application")
def amend(request, number: str, payload: NoteIn):
    return _write(request, number, lambda u, c: services.amend_application(u, c, note=payload.note))


@_post("/{number}/one-time-notice", "Issue the one-time notice (一次性告知)")
def issue_notice(request, number: str):
    return _write(request, number, lambda u, c: services.issue_notice(u, c))


@_post("/{number}/correction", "Record the correction (补正)")
def record_correction(request, number: str, payload: ChecklistIn):
    return _write(
        request,
        number,
        lambda u, c: services.record_correction(u, c, [_line(x) for x in payload.lines]),
    )


@_post("/{number}/accept", "Accept (受理), with a pledge for deferred materials")
def accept(request, number: str, payload: AcceptIn):
    pledge = services.PledgeIn(**payload.pledge.model_dump()) if payload.pledge else None
    return _write(request, number, lambda u, c: services.accept(u, c, pledge=pledge))


@_post("/{number}/reject", "Do not accept (不予受理)")
def reject(request, number: str, payload: RejectIn):
    return _write(
        request,
        number,
        lambda u, c: services.reject(u, c, reason=payload.reason, legal_basis=payload.legal_basis),
    )


@_post("/{number}/withdraw", "Withdraw")
def withdraw(request, number: str, payload: ReasonIn):
    return _write(request, number, lambda u, c: services.withdraw(u, c, reason=payload.reason))


# --- Back office --------------------------------------------------------------------------------


@_post("/{number}/claim", "Claim from the department's queue")
def claim(request, number: str):
    return _write(request, number, lambda u, c: services.claim(u, c))


@_post("/{number}/release", "Give back to the department's queue (the officer, or the manager)")
def release(request, number: str, payload: ReasonIn):
    return _write(request, number, lambda u, c: services.release(u, c, reason=payload.reason))


@_post("/{number}/steps", "Complete the next step of the guide")
def complete_step(request, number: str, payload: NoteIn):
    return _write(request, number, lambda u, c: services.complete_step(u, c, note=payload.note))


@_post("/{number}/return", "Return to intake with comments")
def return_to_intake(request, number: str, payload: CommentIn):
    return _write(
        request, number, lambda u, c: services.return_to_intake(u, c, comment=payload.comment)
    )


@_post("/{number}/resubmit", "Send back to the back office")
def resubmit(request, number: str, payload: NoteIn):
    return _write(request, number, lambda u, c: services.resubmit(u, c, note=payload.note))


@_post("/{number}/forward", "Forward to county level (转报)")
def forward(request, number: str, payload: ForwardIn):
    return _write(
        request,
        number,
        lambda u, c: services.forward(u, c, authority=payload.authority, note=payload.note),
    )


@_post("/{number}/county-result", "Record the county's decision on a forwarded case")
def county_result(request, number: str, payload: CountyResultIn):
    return _write(
        request,
        number,
        lambda u, c: services.record_county_result(u, c, **payload.model_dump()),
    )


@_post("/{number}/approve", "Approve (准予)")
def approve(request, number: str, payload: ApproveIn):
    return _write(
        request,
        number,
        lambda u, c: services.approve(u, c, note=payload.note, result_note=payload.result_note),
    )


@_post("/{number}/deny", "Deny (不予), with the legal reason")
def deny(request, number: str, payload: RejectIn):
    return _write(
        request,
        number,
        lambda u, c: services.deny(u, c, reason=payload.reason, legal_basis=payload.legal_basis),
    )


@_post("/{number}/result", "The result is ready at the window")
def prepare_result(request, number: str, payload: ResultIn):
    return _write(
        request, number, lambda u, c: services.prepare_result(u, c, result_note=payload.result_note)
    )


# --- Hand-out -----------------------------------------------------------------------------------


@_post("/{number}/hand-out", "Hand out at the window (identity check or proxy)")
def hand_out(request, number: str, payload: HandoutSchema):
    data = services.HandoutIn(
        receiver=payload.receiver, id_number=payload.id_number, proxy=_proxy(payload.proxy)
    )
    return _write(request, number, lambda u, c: services.hand_out(u, c, data))


@_post("/{number}/post", "Send the result by post, free (免费寄递)")
def send_by_post(request, number: str, payload: DeliverySchema):
    data = services.DeliveryIn(**payload.model_dump())
    return _write(request, number, lambda u, c: services.send_by_post(u, c, data))


@_post("/{number}/post/delivered", "The post delivered the result")
def confirm_delivery(request, number: str):
    return _write(request, number, lambda u, c: services.confirm_delivery(u, c))


@_post("/{number}/post/returned", "The post returned the result")
def delivery_returned(request, number: str, payload: ReasonIn):
    return _write(
        request, number, lambda u, c: services.delivery_returned(u, c, reason=payload.reason)
    )


@router.get(
    "/{number}/deliveries", response={200: list[DeliveryOut], **ERRORS}, summary="Deliveries"
)
def deliveries(request, number: str):
    case = _case(request, number)
    return [
        {
            "id": d.pk,
            "recipient": d.recipient,
            "address_masked": d.address_masked,
            "postal_code": d.postal_code,
            "carrier": d.carrier,
            "tracking_number": d.tracking_number,
            "status": d.status,
            "sent_at": d.sent_at,
            "fee": float(d.fee),
        }
        for d in case.deliveries.all()
    ]


class AddressOut(Schema):
    address: str


@router.post(
    "/{number}/deliveries/{delivery_id}/address",
    response={200: AddressOut, **ERRORS},
    summary="A delivery's address in full (logged)",
)
def delivery_address(request, number: str, delivery_id: int):
    """The address is sealed at rest and masked everywhere else; this answers it in full and
    writes a row in the personal-data access log. A POST, because it leaves a trace."""
    case = _case(request, number)
    delivery = get_object_or_404(case.deliveries, pk=delivery_id)
    address = services.reveal_delivery_address(
        request.auth, case, delivery, request.META.get("REMOTE_ADDR")
    )
    return {"address": address}


@_post("/{number}/close", "Close a handed-out case")
def close(request, number: str):
    return _write(request, number, lambda u, c: services.close(u, c))


# --- Suspension, extension, pledges, files ------------------------------------------------------


@_post("/{number}/suspend", "Suspend (the clock pauses)")
def suspend(request, number: str, payload: ReasonIn):
    return _write(request, number, lambda u, c: services.suspend(u, c, reason=payload.reason))


@_post("/{number}/resume", "Resume (the due date moves by the suspended working days)")
def resume(request, number: str, payload: NoteIn):
    return _write(request, number, lambda u, c: services.resume(u, c, note=payload.note))


@_post("/{number}/terminate", "Terminate")
def terminate(request, number: str, payload: ReasonIn):
    return _write(request, number, lambda u, c: services.terminate(u, c, reason=payload.reason))


@_post("/{number}/extension", "Request an extension (延期)")
def request_extension(request, number: str, payload: ExtensionIn):
    return _write(
        request,
        number,
        lambda u, c: services.request_extension(u, c, days=payload.days, reason=payload.reason),
    )


@_post("/{number}/extension/approve", "Approve the extension (center leader)")
def approve_extension(request, number: str):
    return _write(request, number, lambda u, c: services.approve_extension(u, c))


@_post("/{number}/extension/refuse", "Refuse the extension (center leader)")
def refuse_extension(request, number: str, payload: ReasonIn):
    return _write(
        request, number, lambda u, c: services.refuse_extension(u, c, reason=payload.reason)
    )


@_post("/{number}/pledge/supply", "A deferred material arrived")
def supply_deferred(request, number: str, payload: SupplyIn):
    return _write(
        request, number, lambda u, c: services.supply_deferred(u, c, material=payload.material)
    )


@router.post("/{number}/files", response={201: FileOut, **ERRORS}, summary="File a material")
def attach_file(
    request,
    number: str,
    file: File[UploadedFile],
    material: Form[int | None] = None,
    source: Form[str] = "scan",
):
    case = _locked_view(request, number)
    record = services.attach_file(
        request.auth,
        case,
        content=file.read(),
        name=file.name or "",
        material=material,
        source=source,
    )
    return Status(201, _file(record))
