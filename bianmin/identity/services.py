"""Changes in identity: people and their personal data, unmasked views, logins, devices.

Only this module handles raw identity and mobile numbers. Other apps register or find a person
through ``register_person`` / ``find_person``, and show ``person.id_number_masked``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.common import bus, rows
from bianmin.org.models import Center

from . import crypto
from .masking import mask_identity_number, mask_mobile
from .models import Device, LoginAttempt, Person, PersonalDataAccess, User
from .permissions import Action, authorize
from .validators import parse_identity_number, validate_mobile


def mask_name(name: str) -> str:
    """王建国 → 王*国, 李娜 → 李*: enough to recognise, not enough to learn."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def register_person(
    *, name: str, id_number: str, mobile: str = "", user: User | None = None
) -> Person:
    """Find the person with this identity number, or create them. Validates every field.

    The identity number is the key: registering it again with the same name updates the mobile;
    with another name it is refused (a typo in the number must not rename somebody else).

    A person already on file with the same name, mobile and account is returned as read, with no
    write. Two concurrent registrations of a new number give one person: the digest is unique,
    the insert skips a number on file (ON CONFLICT DO NOTHING, no savepoint), and the one whose
    insert lost reads the winner's row and goes on from there.
    """
    errors: dict[str, list[str]] = {}
    parsed = None
    try:
        parsed = parse_identity_number(id_number)
    except ValidationError as error:
        errors["id_number"] = error.messages
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Name: this field is required.")]
    mobile_number = ""
    if mobile:
        try:
            mobile_number = validate_mobile(mobile)
        except ValidationError as error:
            errors["mobile"] = error.messages
    if errors:
        raise ValidationError(errors)
    key = crypto.digest(parsed.number)
    mobile_key = crypto.digest(mobile_number) if mobile_number else ""
    for _attempt in range(3):
        person = rows.first(Person, "id_number_digest", key)
        if person is not None:
            _same_person(person, name)
            if (not mobile_key or person.mobile_digest == mobile_key) and (
                user is None or person.user_id == user.pk
            ):
                return person  # nothing to change: no write, no lock
            with transaction.atomic():
                person = Person.objects.select_for_update().get(pk=person.pk)
                _same_person(person, name)
                changed = []
                if mobile_key and person.mobile_digest != mobile_key:
                    person.mobile_sealed = crypto.seal(mobile_number)
                    person.mobile_digest = mobile_key
                    person.mobile_masked = mask_mobile(mobile_number)
                    changed += ["mobile_sealed", "mobile_digest", "mobile_masked"]
                if user is not None and person.user_id != user.pk:
                    person.user = user
                    changed.append("user")
                if changed:
                    person.save(update_fields=changed)
            return person
        person = rows.new(
            Person,
            name=name,
            id_number_sealed=crypto.seal(parsed.number),
            id_number_digest=key,
            id_number_masked=mask_identity_number(parsed.number),
            birth_date=parsed.birth_date,
            sex=parsed.sex,
            user=user,
        )
        if mobile_key:
            person.mobile_sealed = crypto.seal(mobile_number)
            person.mobile_digest = mobile_key
            person.mobile_masked = mask_mobile(mobile_number)
        if _insert_unless_known(person):
            return person
        # Another window registered the same number a moment ago: use their row.
    raise IntegrityError("register_person: the identity number's row keeps vanishing")


def _insert_unless_known(person: Person) -> bool:
    """INSERT … ON CONFLICT (id_number_digest) DO NOTHING: True with ``person.pk`` set, False
    when the number is on file already (another registration won). One round trip, and no
    savepoint: a lost race does not abort the caller's transaction (PostgreSQL, SQLite ≥ 3.35)."""
    return bool(rows.insert([person], unless_conflict_on="id_number_digest"))


def _same_person(person: Person, name: str) -> None:
    if person.name != name:
        raise ValidationError(
            {
                "name": [
                    _(
                        "Name: this identity number is registered as “%(name)s”; check the "
                        "number, or correct the name on the person's record."
                    )
                    % {"name": mask_name(person.name)}
                ]
            }
        )


def keyed_digest(purpose: str, text: str) -> str:
    """HMAC-SM3 of ``text`` under the platform's lookup key, separated by ``purpose`` (for
    example ``case-event``): 64 hex digits that nobody without the key can recompute, so a
    chain of them shows tampering even by someone who can write the rows."""
    return crypto.digest(f"{purpose}\x00{text}")


def find_person(id_number: str) -> Person | None:
    """The person with this identity number, found by its digest (nothing is decrypted)."""
    parsed = parse_identity_number(id_number)
    return Person.objects.filter(id_number_digest=crypto.digest(parsed.number)).first()


def find_people_by_mobile(mobile: str) -> list[Person]:
    return list(Person.objects.filter(mobile_digest=crypto.digest(validate_mobile(mobile))))


def _may_reveal(viewer: User, person: Person) -> None:
    # Anyone may see their own numbers (still logged); staff need the permission. A person is
    # not bound to one center, so staff scope is checked by the role here and by the case or
    # ticket that brought the person to them in the apps that call this.
    if person.user_id is not None and person.user_id == viewer.pk:
        return
    authorize(viewer, Action.REVEAL_PERSONAL_DATA)


@transaction.atomic
def reveal_id_number(
    viewer: User, person: Person, *, purpose: str, ip_address: str | None = None
) -> str:
    """The full identity number, with an access-log row written in the same transaction."""
    _may_reveal(viewer, person)
    PersonalDataAccess.objects.create(
        viewer=viewer,
        person=person,
        field=PersonalDataAccess.Field.ID_NUMBER,
        purpose=purpose[:200],
        ip_address=ip_address,
    )
    return crypto.unseal(person.id_number_sealed)


@transaction.atomic
def reveal_mobile(
    viewer: User, person: Person, *, purpose: str, ip_address: str | None = None
) -> str:
    _may_reveal(viewer, person)
    if not person.mobile_sealed:
        return ""
    PersonalDataAccess.objects.create(
        viewer=viewer,
        person=person,
        field=PersonalDataAccess.Field.MOBILE,
        purpose=purpose[:200],
        ip_address=ip_address,
    )
    return crypto.unseal(person.mobile_sealed)


def seal_text(text: str) -> str:
    """Free personal text (a postal address) sealed with SM4 for storage. Other apps keep the
    sealed form and a masked copy for the screen; the text is opened only by ``reveal_text``."""
    return crypto.seal(text)


@transaction.atomic
def reveal_text(
    viewer: User,
    person: Person | None,
    sealed: str,
    *,
    field: str,
    purpose: str,
    ip_address: str | None = None,
) -> str:
    """Sealed free text of ``person`` in full (for example where a result was posted), with an
    access-log row written in the same transaction. Text of nobody in particular (a business
    without its representative on file) is not personal data: the permission is still checked,
    and there is no person to log against."""
    if person is None:
        authorize(viewer, Action.REVEAL_PERSONAL_DATA)
    else:
        _may_reveal(viewer, person)
        PersonalDataAccess.objects.create(
            viewer=viewer, person=person, field=field, purpose=purpose[:200], ip_address=ip_address
        )
    return crypto.unseal(sealed)


def log_document_view(
    viewer: User, person: Person, *, purpose: str, ip_address: str | None = None
) -> None:
    """A document of ``person`` on file (a scanned identity card, the case file as PDF) was
    opened by ``viewer``: one access-log row, as for an unmasked number. The caller checks that
    ``viewer`` may see the case the document belongs to."""
    PersonalDataAccess.objects.create(
        viewer=viewer,
        person=person,
        field=PersonalDataAccess.Field.DOCUMENT,
        purpose=purpose[:200],
        ip_address=ip_address,
    )


# --- Logins and lockout ----------------------------------------------------------------------


@dataclass(frozen=True)
class LockStatus:
    locked: bool
    failures: int
    remaining_attempts: int
    unlocks_at: dt.datetime | None


def lock_status(username: str, *, now: dt.datetime | None = None) -> LockStatus:
    """Failed logins since the last success within the window; locked at the limit."""
    now = now or timezone.now()
    limit = settings.BIANMIN_LOCKOUT_ATTEMPTS
    window = dt.timedelta(minutes=settings.BIANMIN_LOCKOUT_MINUTES)
    recent = LoginAttempt.objects.filter(username=username.lower(), at__gte=now - window)
    last_success = (
        recent.filter(succeeded=True).order_by("-at").values_list("at", flat=True).first()
    )
    failures_qs = recent.filter(succeeded=False)
    if last_success:
        failures_qs = failures_qs.filter(at__gt=last_success)
    failures = list(failures_qs.order_by("at").values_list("at", flat=True))
    locked = len(failures) >= limit
    unlocks_at = failures[limit - 1] + window if locked else None
    return LockStatus(locked, len(failures), max(limit - len(failures), 0), unlocks_at)


def record_login(username: str, *, succeeded: bool, ip_address: str | None = None) -> None:
    LoginAttempt.objects.create(
        username=username.lower()[:150], succeeded=succeeded, ip_address=ip_address
    )


# --- Devices ---------------------------------------------------------------------------------


@transaction.atomic
def register_device(actor: User, *, center, kind: str, name: str) -> tuple[Device, str]:
    """Create a kiosk / display / rating pad for a center; returns the device and its token.

    The token is shown once: only its digest is stored.
    """
    authorize(actor, Action.MANAGE_CENTER, center=center)
    token = secrets.token_urlsafe(32)
    device = Device.objects.create(
        center=center, kind=kind, name=name, token_digest=crypto.digest("device:" + token)
    )
    return device, token


_DEVICE_SQL: dict[str, str] = {}


def _device_sql() -> str:
    """The active device with this token digest, with its center: fixed SQL, prepared (a kiosk
    or board authenticates on every request)."""
    if connection.vendor not in _DEVICE_SQL:
        q = connection.ops.quote_name
        _DEVICE_SQL[connection.vendor] = (
            f"SELECT {rows.columns(Device, 'd')}, {rows.columns(Center, 'c')} "
            f"FROM {q(Device._meta.db_table)} d "
            f"LEFT JOIN {q(Center._meta.db_table)} c ON c.{q('id')} = d.{q('center_id')} "
            f"WHERE d.{q('token_digest')} = %s AND d.{q('active')} LIMIT 1"
        )
    return _DEVICE_SQL[connection.vendor]


#: Device rows (with their center) by token digest, while the process listens (``memos``).
KEPT_DEVICES = bus.Memo("device")
#: When this process last wrote each device's ``last_seen_at`` (the kept row keeps the old one).
_SEEN: dict[int, dt.datetime] = {}


def device_for_token(token: str) -> Device | None:
    digest = crypto.digest("device:" + token)

    def read():
        with rows.cursor() as cursor:
            cursor.execute(_device_sql(), [digest])
            return cursor.fetchone()

    row, kept = KEPT_DEVICES.fetch(digest, read)
    if row is None:
        return None
    parts = rows.spans(Device, Center)
    device = rows.from_row(parts[0], row)
    device.center = rows.from_row(parts[1], row) if row[parts[1][1]] is not None else None
    # "Last seen" to the minute: a kiosk or board calls many times a minute, and a write
    # per request would cost every one of them a transaction.
    now = timezone.now()
    seen = device.last_seen_at
    if kept and _SEEN.get(device.pk) and (seen is None or _SEEN[device.pk] > seen):
        seen = _SEEN[device.pk]
    if seen is None or now - seen > dt.timedelta(minutes=1):
        Device.objects.filter(pk=device.pk).update(last_seen_at=now)
        seen = now
        if bus.listening():
            _SEEN[device.pk] = now
    device.last_seen_at = seen
    return device
