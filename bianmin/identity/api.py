"""Identity API: who am I, validate numbers, find or register a person, device identity."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from . import services
from .auth import device_auth, session_auth
from .permissions import Action, authorize
from .validators import parse_identity_number, validate_credit_code, validate_mobile

router = Router(tags=["identity"])


class MeOut(Schema):
    username: str
    name: str
    role: str
    role_label: str
    scope_kind: str
    scope: str
    center_code: str | None


@router.get("/me", response=MeOut, auth=session_auth, summary="The logged-in user and their scope")
def me(request):
    user = request.auth
    return {
        "username": user.username,
        "name": str(user),
        "role": user.role,
        "role_label": str(user.get_role_display()),
        "scope_kind": str(user.scope_kind),
        "scope": str(user.scope_label),
        "center_code": user.center.region.code if user.center_id else None,
    }


class ValidateIn(Schema):
    kind: str  # "identity_number" | "credit_code" | "mobile"
    value: str


class ValidateOut(Schema):
    valid: bool
    normalized: str | None = None
    errors: list[str] = []
    birth_date: dt.date | None = None
    sex: str | None = None


@router.post(
    "/validate",
    response=ValidateOut,
    auth=None,
    summary="Check an identity number, credit code or mobile number (Chinese messages)",
)
def validate(request, payload: ValidateIn):
    try:
        if payload.kind == "identity_number":
            parsed = parse_identity_number(payload.value)
            return {
                "valid": True,
                "normalized": parsed.number,
                "birth_date": parsed.birth_date,
                "sex": parsed.sex,
            }
        if payload.kind == "credit_code":
            return {"valid": True, "normalized": validate_credit_code(payload.value)}
        if payload.kind == "mobile":
            return {"valid": True, "normalized": validate_mobile(payload.value)}
    except ValidationError as error:
        return {"valid": False, "errors": error.messages}
    raise ValidationError({"kind": _("Kind: must be identity_number, credit_code or mobile.")})


class PersonIn(Schema):
    name: str
    id_number: str
    mobile: str = ""


class LookupIn(Schema):
    id_number: str


class PersonOut(Schema):
    id: int
    name: str
    id_number_masked: str
    mobile_masked: str
    birth_date: dt.date
    sex: str


@router.post(
    "/people/lookup",
    response={200: PersonOut, 404: dict},
    auth=session_auth,
    summary="Find a person by identity number (answers masked data only)",
)
def lookup(request, payload: LookupIn):
    authorize(request.auth, Action.REVEAL_PERSONAL_DATA)
    person = services.find_person(payload.id_number)
    if person is None:
        return Status(404, {"detail": _("No person with this identity number.")})
    return Status(200, person)


@router.post(
    "/people",
    response=PersonOut,
    auth=session_auth,
    summary="Register a person (or update name and mobile)",
)
def register(request, payload: PersonIn):
    authorize(request.auth, Action.REVEAL_PERSONAL_DATA)
    return services.register_person(
        name=payload.name, id_number=payload.id_number, mobile=payload.mobile
    )


class DeviceOut(Schema):
    name: str
    kind: str
    center: str
    center_code: str


@router.get(
    "/devices/me", response=DeviceOut, auth=device_auth, summary="The calling device and its center"
)
def device_me(request):
    device = request.auth
    return {
        "name": device.name,
        "kind": device.kind,
        "center": device.center.name,
        "center_code": device.center.region.code,
    }
