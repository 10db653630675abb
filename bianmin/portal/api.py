"""API of the portal app, mounted by bianmin.core.api under /api/v1/portal/.

For a citizen's app or a kiosk's own front end: request a login code, look up a case's progress
(the same answer for a wrong number and an unknown case, and the same limits as the pages),
and list one's own online applications (session). Errors: 422 with Chinese messages.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from bianmin.cases import machine
from bianmin.cases import selectors as case_selectors
from bianmin.identity.auth import session_auth
from bianmin.identity.roles import Role

from . import services
from .models import Application

router = Router(tags=["portal"])


class CodeIn(Schema):
    mobile: str


class SentOut(Schema):
    sent: bool
    valid_minutes: int


@router.post(
    "/login/code",
    response={202: SentOut},
    auth=None,
    summary="Send a login code by SMS (limited per mobile and address)",
)
def login_code(request, payload: CodeIn):
    services.request_code(payload.mobile, ip=request.META.get("REMOTE_ADDR", ""))
    return Status(202, {"sent": True, "valid_minutes": services.CODE_MINUTES})


class LookupIn(Schema):
    number: str
    secret: str  # the applicant's mobile or identity number


class StepOut(Schema):
    at: dt.datetime
    text: str
    detail: str


class ProgressOut(Schema):
    number: str
    item: str
    center: str
    applicant: str
    state: str
    state_label: str
    steps: list[StepOut]


@router.post("/progress", response=ProgressOut, auth=None, summary="A case's progress")
def progress(request, payload: LookupIn):
    case = services.lookup_case(
        number=payload.number, secret=payload.secret, ip=request.META.get("REMOTE_ADDR", "")
    )
    return {
        "number": case.number,
        "item": case.item.name,
        "center": case.center.name,
        "applicant": case_selectors.mask_name(case.applicant_name),
        "state": case.state,
        "state_label": str(machine.State(case.state).label),
        "steps": [
            {"at": s.at, "text": s.text, "detail": s.detail}
            for s in case_selectors.progress_steps(case)
        ],
    }


class ApplicationOut(Schema):
    id: int
    item: str
    center: str
    status: str
    files: int
    case_number: str | None
    updated_at: dt.datetime


@router.get(
    "/applications",
    response=list[ApplicationOut],
    auth=session_auth,
    summary="My online applications (drafts and submitted)",
)
def applications(request):
    user = request.auth
    if user.role != Role.CITIZEN:
        raise PermissionDenied(_("Please log in with your mobile number first."))
    rows = Application.objects.filter(user=user).select_related("item", "center", "case")
    return [
        {
            "id": a.pk,
            "item": a.item.name,
            "center": a.center.name,
            "status": a.status,
            "files": a.files.count(),
            "case_number": a.case.number if a.case_id else None,
            "updated_at": a.updated_at,
        }
        for a in rows
    ]
