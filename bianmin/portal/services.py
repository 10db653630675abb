"""Every change the portal makes: login codes, rate limits, drafts, submissions, tickets, bookings.

Citizens log in with their mobile number and a one-time code (6 digits, valid 10 minutes, 5 tries,
only an HMAC of it stored). Limits, counted in the database so that every server process sees
them, each refusal a Chinese message naming what to do:

| what | limit |
|---|---|
| code requests per mobile | 1 a minute, 5 an hour |
| code requests per address | 60 an hour |
| wrong codes per address | 10 in 15 minutes |
| failed progress lookups / kiosk identifications per address | 10 in 15 minutes |
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.cases import files as case_files
from bianmin.cases import online
from bianmin.cases.models import Case
from bianmin.cases.selectors import matches_applicant
from bianmin.catalog.models import Material, ServiceItem
from bianmin.catalog.selectors import entered_items, published_guide
from bianmin.identity import crypto
from bianmin.identity.models import Person, User
from bianmin.identity.roles import Role
from bianmin.identity.services import (
    find_people_by_mobile,
    find_person,
    register_person,
    reveal_id_number,
)
from bianmin.identity.validators import validate_mobile
from bianmin.org.models import Center
from bianmin.queueing import services as queue_services
from bianmin.queueing.models import AppointmentSlot, Channel, Ticket

from . import sms, uploads
from .models import Application, DraftFile, Hit, LoginCode

CODE_MINUTES = 10
CODE_TRIES = 5
LIMITS = {
    # kind: [(max hits, window seconds), ...]
    "code_mobile": [(1, 60), (5, 3600)],
    "code_ip": [(60, 3600)],  # mobile networks put many people behind one address (CGNAT)
    "verify_ip": [(10, 900)],
    "lookup_ip": [(10, 900)],
    "kiosk_ip": [(10, 900)],
}


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _key(value: str) -> str:
    return crypto.digest("portal:" + (value or "-"))


# --- Rate limits -----------------------------------------------------------------------------


def over_limit(kind: str, value: str, now: dt.datetime | None = None) -> int:
    """Seconds to wait if ``value`` has reached a limit of ``kind``, else 0."""
    now = now or timezone.now()
    key = _key(value)
    wait = 0
    for most, seconds in LIMITS[kind]:
        hits = list(
            Hit.objects.filter(kind=kind, key=key, at__gt=now - dt.timedelta(seconds=seconds))
            .order_by("-at")
            .values_list("at", flat=True)[:most]
        )
        if len(hits) >= most:
            wait = max(
                wait, int((hits[-1] + dt.timedelta(seconds=seconds) - now).total_seconds()) + 1
            )
    return wait


def count_hit(kind: str, value: str, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    Hit.objects.create(kind=kind, key=_key(value), at=now)
    # Old rows go as new ones come: the table stays small without a timer.
    if secrets.randbelow(50) == 0:
        Hit.objects.filter(at__lt=now - dt.timedelta(days=1)).delete()


def _wait_text(seconds: int) -> str:
    if seconds < 120:
        return _("%(n)d seconds") % {"n": seconds}
    return _("%(n)d minutes") % {"n": (seconds + 59) // 60}


# --- Login by mobile and one-time code --------------------------------------------------------


def _code_hash(mobile_digest: str, code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{mobile_digest}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def request_code(mobile: str, *, ip: str = "", now: dt.datetime | None = None) -> None:
    """Send a 6-digit code to ``mobile`` (whether or not it is known: nothing is revealed)."""
    now = now or timezone.now()
    try:
        number = validate_mobile(mobile)
    except ValidationError as e:
        raise ValidationError({"mobile": e.messages}) from None
    for kind, value in (("code_mobile", number), ("code_ip", ip)):
        wait = over_limit(kind, value, now)
        if wait:
            raise _error(
                "mobile",
                _("Mobile number: too many codes requested. Please wait %(wait)s and try again.")
                % {"wait": _wait_text(wait)},
            )
    code = f"{secrets.randbelow(1_000_000):06d}"
    digest = crypto.digest(number)
    with transaction.atomic():
        count_hit("code_mobile", number, now)
        count_hit("code_ip", ip, now)
        LoginCode.objects.filter(mobile_digest=digest, used_at__isnull=True).update(used_at=now)
        LoginCode.objects.create(
            mobile_digest=digest,
            code_hash=_code_hash(digest, code),
            created_at=now,
            expires_at=now + dt.timedelta(minutes=CODE_MINUTES),
        )
    sms.send(
        number,
        _(
            "【便民】Your login code is %(code)s, valid for %(minutes)d minutes. Never tell it to anyone."
        )
        % {"code": code, "minutes": CODE_MINUTES},
    )


@dataclass
class Verified:
    mobile: str
    user: User | None  # None: a new person who must give name and identity number


def verify_code(
    mobile: str, code: str, *, ip: str = "", now: dt.datetime | None = None
) -> Verified:
    now = now or timezone.now()
    try:
        number = validate_mobile(mobile)
    except ValidationError as e:
        raise ValidationError({"mobile": e.messages}) from None
    wait = over_limit("verify_ip", ip, now)
    if wait:
        raise _error(
            "code",
            _("Code: too many wrong codes. Please wait %(wait)s and try again.")
            % {"wait": _wait_text(wait)},
        )
    digest = crypto.digest(number)
    code = (code or "").strip()
    with transaction.atomic():
        row = (
            LoginCode.objects.select_for_update()
            .filter(mobile_digest=digest, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        ok = (
            row is not None
            and row.attempts < CODE_TRIES
            and hmac.compare_digest(row.code_hash, _code_hash(digest, code))
        )
        if not ok:
            if row is not None:
                row.attempts += 1
                if row.attempts >= CODE_TRIES:
                    row.used_at = now
                row.save(update_fields=["attempts", "used_at"])
            count_hit("verify_ip", ip, now)
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
    if not ok:
        raise _error(
            "code",
            _("Code: wrong or expired. Check the SMS, or ask for a new code."),
        )
    return Verified(number, _user_for_mobile(number))


def _new_citizen_user(person: Person) -> User:
    user = User(username="m" + secrets.token_hex(6), full_name=person.name, role=Role.CITIZEN)
    user.set_unusable_password()
    user.save()
    Person.objects.filter(pk=person.pk).update(user=user)
    person.user = user
    return user


def _user_for_mobile(number: str) -> User | None:
    people = find_people_by_mobile(number)
    with_user = [p for p in people if p.user_id]
    if with_user:
        return with_user[0].user
    if people:
        return _new_citizen_user(people[0])
    return None


@transaction.atomic
def register_citizen(*, mobile: str, name: str, id_number: str) -> User:
    """A verified mobile number not known yet: the person gives name and identity number.

    An identity number already known with another mobile number, or already linked to an
    account, is not taken over online: the person verifies at the window or the kiosk.
    """
    number = validate_mobile(mobile)
    try:
        existing = find_person(id_number)
    except ValidationError as e:
        raise ValidationError({"id_number": e.messages}) from None
    if existing is not None and (
        existing.user_id
        or (existing.mobile_digest and existing.mobile_digest != crypto.digest(number))
    ):
        raise _error(
            "id_number",
            _(
                "Identity number: already registered with another mobile number. Please bring "
                "your identity card to the service center to change it."
            ),
        )
    person = register_person(name=name, id_number=id_number, mobile=number)
    return _new_citizen_user(person)


# --- Kiosk identification and progress lookups ------------------------------------------------


def _limited(kind: str, ip: str, now) -> None:
    wait = over_limit(kind, ip, now)
    if wait:
        raise _error(
            "__all__",
            _("Too many attempts. Please wait %(wait)s and try again.")
            % {"wait": _wait_text(wait)},
        )


def kiosk_identify(
    *, id_number: str, name: str, ip: str = "", now: dt.datetime | None = None
) -> Person:
    """At the kiosk: identity number and name. A wrong pair answers like an unknown person."""
    now = now or timezone.now()
    _limited("kiosk_ip", ip, now)
    person = None
    try:
        person = find_person(id_number)
    except ValidationError:
        person = None
    if person is None or person.name != (name or "").strip():
        count_hit("kiosk_ip", ip, now)
        raise _error(
            "__all__",
            _("No record matches this identity number and name. Check both and try again."),
        )
    return person


def lookup_case(*, number: str, secret: str, ip: str = "", now: dt.datetime | None = None) -> Case:
    """A case by its number and the applicant's mobile or identity number. A wrong number and
    an unknown case get the same answer, and failures count towards the limit."""
    now = now or timezone.now()
    _limited("lookup_ip", ip, now)
    number = (number or "").strip()
    case = (
        Case.objects.select_related("organisation", "item", "center").filter(number=number).first()
        if number
        else None
    )
    if case is None or not matches_applicant(case, secret):
        count_hit("lookup_ip", ip, now)
        raise _error(
            "__all__",
            _(
                "No case matches this case number and phone or identity number. Check both and "
                "try again."
            ),
        )
    return case


# --- Online applications: drafts ----------------------------------------------------------------


def _citizen(user: User) -> Person:
    if (
        not user.is_authenticated
        or user.role != Role.CITIZEN
        or getattr(user, "person", None) is None
    ):
        raise PermissionDenied(_("Please log in with your mobile number first."))
    return user.person


def online_centers(item: ServiceItem) -> list[Center]:
    today = timezone.localdate()
    return list(
        Center.objects.filter(
            item_entries__item=item,
            item_entries__withdrawn_on__isnull=True,
            item_entries__entered_on__lte=today,
        )
        .select_related("region__parent")
        .order_by("region__code")
        .distinct()
    )


def _check_center(item: ServiceItem, center: Center) -> None:
    if not entered_items(center).filter(pk=item.pk).exists():
        raise _error(
            "center",
            _("Center: %(center)s does not handle %(item)s; choose another.")
            % {"center": center.name, "item": item.name},
        )


@transaction.atomic
def start_application(user: User, *, item: ServiceItem, center: Center) -> Application:
    person = _citizen(user)
    if not item.channel_online or item.status != ServiceItem.Status.ACTIVE:
        raise _error(
            "item", _("Item: %(item)s cannot be applied for online.") % {"item": item.name}
        )
    if published_guide(item) is None:
        raise _error("item", _("Item: %(item)s has no published guide.") % {"item": item.name})
    _check_center(item, center)
    existing = Application.objects.filter(
        user=user, item=item, status=Application.Status.DRAFT
    ).first()
    if existing is not None:
        return existing
    return Application.objects.create(user=user, person=person, item=item, center=center)


def _own_draft(user: User, application: Application) -> Application:
    _citizen(user)
    if application.user_id != user.pk:
        raise PermissionDenied(_("This application is not yours."))
    if application.status != Application.Status.DRAFT:
        raise _error("__all__", _("This application has been submitted; it can no longer change."))
    return application


@transaction.atomic
def save_application(
    user: User, application: Application, *, note: str, center: Center | None = None
) -> Application:
    application = _own_draft(user, application)
    note = (note or "").strip()
    if len(note) > 300:
        raise _error("note", _("What you apply for: at most 300 characters."))
    if center is not None and center.pk != application.center_id:
        _check_center(application.item, center)
        application.center = center
    application.note = note
    application.save()
    return application


def guide_materials(application: Application) -> list[Material]:
    guide = published_guide(application.item)
    return list(guide.materials.order_by("order", "id")) if guide else []


@transaction.atomic
def add_file(user: User, application: Application, *, material: int, uploaded) -> DraftFile:
    """Check and store one upload into the draft. A refused file leaves the draft as it was."""
    application = _own_draft(user, application)
    material_obj = next(
        (m for m in guide_materials(application) if str(m.pk) == str(material)), None
    )
    if material_obj is None:
        raise _error("material", _("Material: not a material of this item's guide."))
    if application.files.count() >= 30:
        raise _error("file", _("File: at most 30 files per application."))
    name, content, kind = uploads.clean_upload(uploaded)
    path, digest, kind = case_files.store(content)
    return DraftFile.objects.create(
        application=application,
        material=material_obj,
        name=name,
        content_type=kind,
        size=len(content),
        sha256=digest,
        path=path,
    )


@transaction.atomic
def remove_file(user: User, application: Application, file_id: int) -> None:
    application = _own_draft(user, application)
    application.files.filter(pk=file_id).delete()


@transaction.atomic
def discard_application(user: User, application: Application) -> None:
    application = _own_draft(user, application)
    application.delete()


@transaction.atomic
def submit_application(user: User, application: Application) -> Case:
    application = _own_draft(user, application)
    drafts = list(application.files.all())
    if not drafts:
        raise _error("file", _("Materials: upload at least one material before submitting."))
    uploads_ = [
        online.OnlineFile(d.material_id, d.name, case_files.read(d.path, d.sha256)) for d in drafts
    ]
    case = online.submit_online_application(
        user,
        center=application.center,
        item=application.item,
        uploads=uploads_,
        note=application.note,
    )
    application.status = Application.Status.SUBMITTED
    application.case = case
    application.submitted_at = timezone.now()
    application.save()
    return case


def answer_notice(user: User, case: Case, files_by_material: dict[int, list]) -> Case:
    """Check every upload first (nothing is stored if one is refused), then file them all."""
    _citizen(user)
    checked = []
    for material, uploaded_files in files_by_material.items():
        for uploaded in uploaded_files:
            name, content, _kind = uploads.clean_upload(uploaded)
            checked.append(online.OnlineFile(int(material), name, content))
    return online.answer_notice(user, case, uploads=checked)


# --- Tickets and bookings from afar ----------------------------------------------------------


def _own_id_number(user: User, purpose: str) -> tuple[Person, str]:
    person = _citizen(user)
    return person, reveal_id_number(user, person, purpose=purpose)


def take_ticket(user: User, *, center: Center, item: ServiceItem | None) -> Ticket:
    """远程取号: one waiting ticket per person and center a day."""
    person, id_number = _own_id_number(user, "remote ticket")
    open_ticket = Ticket.objects.filter(
        center=center, day=timezone.localdate(), person=person, status=Ticket.Status.WAITING
    ).first()
    if open_ticket is not None:
        return open_ticket
    return queue_services.issue_ticket(
        center, channel=Channel.PORTAL, actor=user, item=item, id_number=id_number
    )


def book(user: User, *, slot: AppointmentSlot, item: ServiceItem | None, idempotency_key: str = ""):
    person, id_number = _own_id_number(user, "appointment")
    return queue_services.book_appointment(
        slot,
        name=person.name,
        id_number=id_number,
        item=item,
        channel=Channel.PORTAL,
        actor=user,
        idempotency_key=idempotency_key,
    )
