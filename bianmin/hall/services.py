"""Every change in the hall, one function each, in one transaction, permission checked first.

Messages are Chinese (through the app's catalogue) and name the field, so a page or the API can
show them next to the input that caused them.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from bianmin.catalog.models import Domain, ServiceItem
from bianmin.identity.models import User
from bianmin.identity.permissions import Action, authorize, can
from bianmin.identity.roles import Role
from bianmin.org.models import Center, CenterRecordChange
from bianmin.org.validators import validate_phones

from . import selectors
from .models import (
    Attendance,
    AwayNotice,
    ExtraDuty,
    Facility,
    HallSettings,
    OpeningHours,
    Post,
    RoutingOverride,
    TrainingRecord,
    Window,
    Zone,
)

STAFF_ROLES = (Role.WINDOW_CLERK, Role.CENTER_MANAGER)
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")

# The policy's template (二5, 二6): 1 enquiry window + 2 or 3 domain windows.
TEMPLATE_DOMAIN_WINDOWS = [
    ("社会保障类综合窗口", Domain.WindowGroup.SOCIAL_SECURITY),
    ("社会救助类综合窗口", Domain.WindowGroup.SOCIAL_ASSISTANCE),
    ("综合事务类窗口", Domain.WindowGroup.OTHER),
]
SPECIAL_WINDOW_NAMES = {
    Window.Kind.ASSISTED: "帮办代办窗口",
    Window.Kind.UNRESOLVED: "“办不成事”反映窗口",
    Window.Kind.CROSS_REGION: "跨省通办窗口",
}
DEFAULT_HOURS = (dt.time(8, 30), dt.time(12, 0), dt.time(14, 30), dt.time(17, 30))


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def hall_settings(center: Center) -> HallSettings:
    return HallSettings.objects.get_or_create(center=center)[0]


# --- Set-up ------------------------------------------------------------------------------------


@transaction.atomic
def apply_template(
    actor: User, center: Center, *, domain_windows: int = 2, special: tuple[str, ...] = ()
) -> list[Window]:
    """Create the policy's window set for a center that has none yet, with zones and hours."""
    authorize(actor, Action.MANAGE_CENTER, center=center)
    if domain_windows not in (2, 3):
        raise _error("domain_windows", _("Domain windows: the policy asks for 2 or 3."))
    if center.windows.exists():
        raise _error(
            "template",
            _("Template: this center already has windows; adjust them one by one instead."),
        )
    for kind in special:
        if kind not in SPECIAL_WINDOW_NAMES:
            raise _error("special", _("Special windows: unknown kind “%(kind)s”.") % {"kind": kind})
    zones = {
        kind: Zone.objects.get_or_create(center=center, kind=kind, defaults={"name": label})[0]
        for kind, label in [
            (Zone.Kind.ENQUIRY, "咨询服务区"),
            (Zone.Kind.COUNTERS, "窗口服务区"),
            (Zone.Kind.SELF_SERVICE, "自助办理区"),
            (Zone.Kind.WAITING, "等候休息区"),
        ]
    }
    windows = [
        Window.objects.create(
            center=center,
            number=1,
            name="综合咨询窗口",
            kind=Window.Kind.ENQUIRY,
            zone=zones["enquiry"],
        )
    ]
    for name, group in TEMPLATE_DOMAIN_WINDOWS[:domain_windows]:
        window = Window.objects.create(
            center=center,
            number=len(windows) + 1,
            name=name,
            kind=Window.Kind.DOMAIN,
            zone=zones["counters"],
        )
        window.domains.set(Domain.objects.filter(window_group=group))
        windows.append(window)
    if domain_windows == 2:
        # Domains of no group (市场监管, 司法 …) join the social-security window rather than fall
        # through to the enquiry window: the policy's two-window example leaves them unnamed.
        windows[1].domains.add(*Domain.objects.filter(window_group=Domain.WindowGroup.OTHER))
    for kind in special:
        windows.append(
            Window.objects.create(
                center=center,
                number=len(windows) + 1,
                name=SPECIAL_WINDOW_NAMES[kind],
                kind=kind,
                zone=zones["counters"],
            )
        )
    if not center.opening_hours.exists():
        set_weekday_hours(actor, center, *DEFAULT_HOURS)
    hall_settings(center)
    return windows


def _clean_window_fields(center: Center, number, name: str, kind: str, domains, *, exclude_pk=None):
    if not kind:
        raise _error("kind", _("Window kind: choose the kind of window."))
    if kind not in Window.Kind.values:
        raise _error("kind", _("Window kind: “%(kind)s” is not a window kind.") % {"kind": kind})
    if number in (None, ""):
        raise _error("number", _("Window number: this field is required."))
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise _error("number", _("Window number: enter a whole number.")) from None
    if number < 1 or number > 999:
        raise _error("number", _("Window number: between 1 and 999."))
    if not (name or "").strip():
        raise _error("name", _("Window name: this field is required."))
    clash = center.windows.filter(number=number).exclude(pk=exclude_pk)
    if clash.exists():
        raise _error(
            "number",
            _("Window number: this center already has window %(number)d.") % {"number": number},
        )
    if kind == Window.Kind.DOMAIN and not domains:
        raise _error("domains", _("Domains: a domain window serves at least one domain."))
    return number, name.strip()


@transaction.atomic
def create_window(
    actor: User,
    center: Center,
    *,
    number,
    name: str,
    kind: str,
    domains=(),
    zone: Zone | None = None,
) -> Window:
    authorize(actor, Action.MANAGE_CENTER, center=center)
    domains = list(domains)
    number, name = _clean_window_fields(center, number, name, kind, domains)
    window = Window.objects.create(center=center, number=number, name=name, kind=kind, zone=zone)
    window.domains.set(domains)
    return window


@transaction.atomic
def update_window(
    actor: User, window: Window, *, number, name: str, kind: str, domains=(), active: bool = True
) -> Window:
    authorize(actor, Action.MANAGE_CENTER, center=window.center)
    domains = list(domains)
    number, name = _clean_window_fields(
        window.center, number, name, kind, domains, exclude_pk=window.pk
    )
    window.number, window.name, window.kind, window.active = number, name, kind, active
    window.save()
    window.domains.set(domains)
    return window


def _check_staff_of(center: Center, user: User | None, field: str, label: str) -> None:
    if user is None:
        raise _error(field, _("%(label)s: choose a clerk.") % {"label": label})
    if user.role not in STAFF_ROLES or user.center_id != center.pk or not user.is_active:
        raise _error(
            field,
            _("%(label)s: %(name)s is not a clerk of %(center)s.")
            % {"label": label, "name": user, "center": center},
        )


@transaction.atomic
def assign_post(actor: User, window: Window, *, primary: User | None, backup: User | None) -> Post:
    """Set the window's A and B clerks (AB岗). Both are required and must differ."""
    authorize(actor, Action.MANAGE_CENTER, center=window.center)
    _check_staff_of(window.center, primary, "primary", _("Primary (A)"))
    if backup is None:
        raise _error("backup", _("Backup (B): every post needs a backup clerk (AB岗)."))
    if backup.pk == primary.pk:
        raise _error("backup", _("Backup (B): cannot be the same person as the primary (A)."))
    _check_staff_of(window.center, backup, "backup", _("Backup (B)"))
    post, _created = Post.objects.update_or_create(
        window=window, defaults={"primary": primary, "backup": backup}
    )
    return post


HOURS_PARTS = ("morning_opens", "morning_closes", "afternoon_opens", "afternoon_closes")


def part_label(part: str) -> str:
    return {
        "morning_opens": _("Morning opening time"),
        "morning_closes": _("Morning closing time"),
        "afternoon_opens": _("Afternoon opening time"),
        "afternoon_closes": _("Afternoon closing time"),
    }[part]


def day_label(weekday: int) -> str:
    return str(WEEKDAYS[weekday])


def hours_errors(
    morning_opens: dt.time | None,
    morning_closes: dt.time | None,
    afternoon_opens: dt.time | None,
    afternoon_closes: dt.time | None,
    *,
    key=lambda part: part,
    day: str = "",
) -> dict[str, list[str]]:
    """What is wrong with one day's sessions, keyed by ``key(part)``; each message names the field.

    A day opens in the morning (opening before closing), may have an afternoon session (both
    times or neither), and its lunch break lies between the two: the afternoon opens at or after
    the morning closes and closes after it opens.
    """
    errors: dict[str, list[str]] = {}

    def add(part: str, message: str, **params) -> None:
        label = part_label(part)
        if day:
            label = _("%(day)s, %(part)s") % {"day": day, "part": label}
        errors.setdefault(key(part), []).append(message % {"field": label, **params})

    for part, value in (("morning_opens", morning_opens), ("morning_closes", morning_closes)):
        if value is None:
            add(part, _("%(field)s: this field is required."))
    if morning_opens and morning_closes and morning_closes <= morning_opens:
        add(
            "morning_closes",
            _("%(field)s: must be later than the morning opening time (%(time)s)."),
            time=f"{morning_opens:%H:%M}",
        )
    if (afternoon_opens is None) != (afternoon_closes is None):
        part = "afternoon_closes" if afternoon_closes is None else "afternoon_opens"
        add(
            part,
            _("%(field)s: give both afternoon times, or neither if there is no afternoon session."),
        )
    if afternoon_opens and afternoon_closes:
        if morning_closes and afternoon_opens < morning_closes:
            add(
                "afternoon_opens",
                _(
                    "%(field)s: the lunch break lies between the sessions, so the afternoon "
                    "cannot open before the morning closes (%(time)s)."
                ),
                time=f"{morning_closes:%H:%M}",
            )
        if afternoon_closes <= afternoon_opens:
            add(
                "afternoon_closes",
                _("%(field)s: must be later than the afternoon opening time (%(time)s)."),
                time=f"{afternoon_opens:%H:%M}",
            )
    return errors


@transaction.atomic
def set_weekday_hours(
    actor: User,
    center: Center,
    morning_opens: dt.time,
    morning_closes: dt.time,
    afternoon_opens: dt.time | None,
    afternoon_closes: dt.time | None,
    weekdays=(0, 1, 2, 3, 4),
) -> None:
    authorize(actor, Action.MANAGE_CENTER, center=center)
    errors = hours_errors(morning_opens, morning_closes, afternoon_opens, afternoon_closes)
    if errors:
        raise ValidationError(errors)
    _write_hours(
        center,
        {d: (morning_opens, morning_closes, afternoon_opens, afternoon_closes) for d in weekdays},
    )


def _write_hours(center: Center, days: dict[int, tuple | None]) -> None:
    """Store each weekday's sessions; ``None`` for a weekday closes it (its row is removed)."""
    for weekday, times in days.items():
        if times is None:
            OpeningHours.objects.filter(center=center, weekday=weekday).delete()
            continue
        OpeningHours.objects.update_or_create(
            center=center, weekday=weekday, defaults=dict(zip(HOURS_PARTS, times, strict=True))
        )


# --- The center's record: address, phones, opening hours -----------------------------------------


def may_edit_center_record(user, center: Center) -> bool:
    """The center's manager (and the administrator), and the county or city supervisors whose
    region holds the center."""
    return can(user, Action.MANAGE_CENTER, center=center) or can(
        user, Action.SUPERVISE, center=center
    )


def _authorize_record(user, center: Center) -> None:
    if not may_edit_center_record(user, center):
        # The message of the manager's rule says why (not logged in, role, or scope).
        authorize(user, Action.MANAGE_CENTER, center=center)


def _hours_key(weekday: int):
    return lambda part: f"hours.{weekday}.{part}"


@transaction.atomic
def update_center_record(
    actor: User,
    center: Center,
    *,
    address: str,
    phone: str,
    complaint_phone: str,
    hours: dict[int, tuple | None] | None = None,
) -> CenterRecordChange | None:
    """Change what guides, post boards and the center page show: the address, the consultation
    and complaint phones, and (when given) each weekday's hours — ``hours[weekday]`` is
    ``(morning_opens, morning_closes, afternoon_opens, afternoon_closes)`` or ``None`` (closed).

    Every problem is reported at once, keyed by field (``hours.0.morning_closes`` for Monday);
    nothing is saved unless all is well. Returns the change recorded (None when nothing changed).
    """
    _authorize_record(actor, center)
    address, phone, complaint_phone = ((v or "").strip() for v in (address, phone, complaint_phone))
    errors: dict[str, list[str]] = {}
    labels = {
        "address": _("Address"),
        "phone": _("Consultation phone"),
        "complaint_phone": _("Complaint phone"),
    }
    limits = {"address": 200, "phone": 40, "complaint_phone": 40}
    values = {"address": address, "phone": phone, "complaint_phone": complaint_phone}
    for field, value in values.items():
        if not value:
            errors[field] = [
                _("%(field)s: this field is required (guides printed here show it).")
                % {"field": labels[field]}
            ]
        elif len(value) > limits[field]:
            errors[field] = [
                _("%(field)s: at most %(n)s characters.")
                % {"field": labels[field], "n": limits[field]}
            ]
    for field in ("phone", "complaint_phone"):
        if field not in errors:
            try:
                validate_phones(
                    values[field], label=labels[field], hotline=field == "complaint_phone"
                )
            except ValidationError as error:
                errors[field] = error.messages
    if hours is not None:
        for weekday, times in sorted(hours.items()):
            if times is not None:
                errors.update(hours_errors(*times, key=_hours_key(weekday), day=day_label(weekday)))
        if all(t is None for t in hours.values()):
            errors["hours"] = [_("Opening hours: give the hours of at least one day of the week.")]
    if errors:
        raise ValidationError(errors)

    center = Center.objects.select_for_update().get(pk=center.pk)
    changes = {
        field: {"from": getattr(center, field), "to": value}
        for field, value in values.items()
        if getattr(center, field) != value
    }
    if hours is not None:
        before = selectors.opening_hours_text(center)
        _write_hours(center, hours)
        after = selectors.opening_hours_text(center)
        if before != after:
            changes["hours"] = {"from": before, "to": after}
    if not changes:
        return None
    for field, value in values.items():
        setattr(center, field, value)
    center.save(update_fields=list(values))
    return CenterRecordChange.objects.create(center=center, actor=actor, changes=changes)


@transaction.atomic
def add_extra_duty(
    actor: User,
    center: Center,
    *,
    kind: str,
    date: dt.date,
    opens: dt.time,
    closes: dt.time,
    note: str = "",
) -> ExtraDuty:
    authorize(actor, Action.MANAGE_CENTER, center=center)
    if kind not in ExtraDuty.Kind.values:
        raise _error("kind", _("Kind: choose extended, staggered or weekend duty."))
    if closes <= opens:
        raise _error("closes", _("Closes: must be after the opening time."))
    if date < timezone.localdate():
        raise _error("date", _("Date: extra duty cannot be planned in the past."))
    if kind == ExtraDuty.Kind.WEEKEND and date.weekday() < 5:
        raise _error("date", _("Date: weekend duty falls on a Saturday or Sunday."))
    return ExtraDuty.objects.create(
        center=center, kind=kind, date=date, opens=opens, closes=closes, note=note
    )


# --- Attendance and away notices ----------------------------------------------------------------


def _post_of(actor: User, window: Window) -> Post:
    post = getattr(window, "post", None)
    if post is None:
        raise _error(
            "window", _("Window: this window has no post yet; the manager assigns A and B clerks.")
        )
    return post


def _may_work_at(actor: User, window: Window) -> None:
    authorize(actor, Action.SERVE_AT_WINDOW, center=window.center)
    post = _post_of(actor, window)
    if actor.pk not in (post.primary_id, post.backup_id) and actor.role != Role.CENTER_MANAGER:
        raise PermissionDenied(
            _("Only the window's A or B clerk may open or close %(window)s.") % {"window": window}
        )


@transaction.atomic
def open_window(actor: User, window: Window, *, now: dt.datetime | None = None) -> Attendance:
    _may_work_at(actor, window)
    if not window.active:
        raise _error("window", _("Window: %(window)s is not in use.") % {"window": window})
    if Attendance.objects.filter(window=window, closed_at__isnull=True).exists():
        raise _error("window", _("Window: %(window)s is already open.") % {"window": window})
    try:
        with transaction.atomic():
            return Attendance.objects.create(
                window=window, clerk=actor, opened_at=now or timezone.now()
            )
    except IntegrityError:  # opened at the same instant by someone else
        raise _error(
            "window", _("Window: %(window)s is already open.") % {"window": window}
        ) from None


@transaction.atomic
def close_window(actor: User, window: Window, *, now: dt.datetime | None = None) -> Attendance:
    _may_work_at(actor, window)
    attendance = (
        Attendance.objects.select_for_update().filter(window=window, closed_at__isnull=True).first()
    )
    if attendance is None:
        raise _error("window", _("Window: %(window)s is not open.") % {"window": window})
    attendance.closed_at = now or timezone.now()
    attendance.save(update_fields=["closed_at"])
    return attendance


def open_away(user: User) -> AwayNotice | None:
    return (
        AwayNotice.objects.filter(clerk=user, returned_at__isnull=True)
        .select_related("post")
        .first()
    )


@transaction.atomic
def go_away(
    actor: User,
    *,
    reason: str,
    destination: str,
    expected_return_at: dt.datetime | None,
    phone: str = "",
    post: Post | None = None,
    now: dt.datetime | None = None,
) -> AwayNotice:
    """离岗告知. The post's backup takes over; a long absence waits for the manager's approval."""
    now = now or timezone.now()
    if post is None:
        post = Post.objects.select_related("window__center").filter(primary=actor).first()
        if post is None:
            raise _error("post", _("Post: you are not the primary clerk of any window."))
    authorize(actor, Action.SERVE_AT_WINDOW, center=post.window.center)
    if actor.pk != post.primary_id:
        raise PermissionDenied(_("Only the post's primary clerk files its away notice."))
    reason, destination = (reason or "").strip(), (destination or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Reason: say why you leave the window.")]
    if not destination:
        errors["destination"] = [_("Whereabouts: say where you are going.")]
    if expected_return_at is None:
        errors["expected_return_at"] = [_("Expected return: this field is required.")]
    elif expected_return_at <= now:
        errors["expected_return_at"] = [
            _("Expected return: must be later than the time of leaving.")
        ]
    elif expected_return_at - now > dt.timedelta(hours=12):
        errors["expected_return_at"] = [
            _("Expected return: an absence of more than 12 hours is leave, not an away notice.")
        ]
    phone = re.sub(r"[\s]", "", phone or "")
    if phone and not (MOBILE.match(phone) or LANDLINE.match(phone)):
        errors["phone"] = [
            _("Contact phone: enter a mobile number or a landline such as 0564-3330000.")
        ]
    if errors:
        raise ValidationError(errors)
    if open_away(actor) is not None:
        raise _error("reason", _("Reason: you are already marked away."))
    # AB岗: A and B are never away at the same time (and a clerk standing in for someone stays).
    if open_away(post.backup) is not None:
        raise _error(
            "reason",
            _("Reason: your backup %(name)s is away too; A and B may not both be away.")
            % {"name": post.backup},
        )
    standing_in = AwayNotice.objects.filter(substitute=actor, returned_at__isnull=True).first()
    if standing_in is not None:
        raise _error(
            "reason",
            _("Reason: you are standing in for %(name)s, who is away; wait until they return.")
            % {"name": standing_in.clerk},
        )
    threshold = dt.timedelta(minutes=hall_settings(post.window.center).away_approval_minutes)
    approval = (
        AwayNotice.Approval.PENDING
        if expected_return_at - now > threshold
        else AwayNotice.Approval.NOT_NEEDED
    )
    return AwayNotice.objects.create(
        post=post,
        clerk=actor,
        substitute=post.backup,
        reason=reason,
        destination=destination,
        phone=phone,
        left_at=now,
        expected_return_at=expected_return_at,
        approval=approval,
    )


@transaction.atomic
def come_back(actor: User, *, returned_at: dt.datetime | None = None) -> AwayNotice:
    notice = (
        AwayNotice.objects.select_for_update().filter(clerk=actor, returned_at__isnull=True).first()
    )
    if notice is None:
        raise _error("returned_at", _("Return: you are not marked away."))
    returned_at = returned_at or timezone.now()
    if returned_at < notice.left_at:
        raise _error("returned_at", _("Return: cannot be earlier than the time of leaving."))
    notice.returned_at = returned_at
    notice.save(update_fields=["returned_at"])
    return notice


@transaction.atomic
def decide_away(
    actor: User, notice: AwayNotice, *, approve: bool, now: dt.datetime | None = None
) -> AwayNotice:
    authorize(actor, Action.MANAGE_CENTER, center=notice.post.window.center)
    notice = AwayNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.approval != AwayNotice.Approval.PENDING:
        raise _error("approval", _("Approval: this away notice is not waiting for a decision."))
    notice.approval = AwayNotice.Approval.APPROVED if approve else AwayNotice.Approval.REFUSED
    notice.decided_by, notice.decided_at = actor, now or timezone.now()
    notice.save(update_fields=["approval", "decided_by", "decided_at"])
    return notice


def current_server(post: Post) -> User:
    """Who serves the post's tickets now: the primary, or their substitute while they are away."""
    notice = AwayNotice.objects.filter(post=post, returned_at__isnull=True).first()
    return notice.substitute if notice else post.primary


# --- Routing, facilities, training ------------------------------------------------------------


@transaction.atomic
def set_routing_override(
    actor: User, center: Center, item: ServiceItem, window: Window | None
) -> None:
    authorize(actor, Action.MANAGE_CENTER, center=center)
    if window is None:
        RoutingOverride.objects.filter(center=center, item=item).delete()
        return
    if window.center_id != center.pk:
        raise _error("window", _("Window: choose a window of this center."))
    RoutingOverride.objects.update_or_create(center=center, item=item, defaults={"window": window})


@transaction.atomic
def record_facility(
    actor: User,
    center: Center,
    *,
    kind: str,
    quantity,
    status: str,
    last_checked_on: dt.date | None,
    notes: str = "",
) -> Facility:
    authorize(actor, Action.MANAGE_CENTER, center=center)
    if kind not in Facility.Kind.values:
        raise _error("kind", _("Facility: choose one from the list."))
    if status not in Facility.Status.values:
        raise _error("status", _("Status: choose in good order, faulty or missing."))
    if isinstance(quantity, str):
        quantity = quantity.strip()
    if quantity in (None, "") and status == Facility.Status.MISSING:
        quantity = 0  # nothing to count
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        raise _error("quantity", _("Quantity: enter a whole number.")) from None
    if quantity < 0 or quantity > 999:
        raise _error("quantity", _("Quantity: between 0 and 999."))
    if status == Facility.Status.MISSING:
        quantity = 0
    if last_checked_on and last_checked_on > timezone.localdate():
        raise _error("last_checked_on", _("Last checked on: cannot be in the future."))
    facility, _created = Facility.objects.update_or_create(
        center=center,
        kind=kind,
        defaults={
            "quantity": quantity,
            "status": status,
            "last_checked_on": last_checked_on,
            "notes": notes,
        },
    )
    return facility


@transaction.atomic
def add_training(
    actor: User, clerk: User, *, topic: str, held_on: dt.date | None, hours, organiser: str = ""
) -> TrainingRecord:
    if clerk.center_id is None:
        raise _error("clerk", _("Clerk: only staff of a center have training records here."))
    authorize(actor, Action.MANAGE_CENTER, center=clerk.center)
    if not (topic or "").strip():
        raise _error("topic", _("Topic: this field is required."))
    if held_on is None:
        raise _error("held_on", _("Date: this field is required."))
    if held_on > timezone.localdate():
        raise _error("held_on", _("Date: a training cannot be recorded before it took place."))
    try:
        hours = decimal.Decimal(str(hours))
    except (decimal.InvalidOperation, TypeError, ValueError):
        raise _error("hours", _("Hours: enter a number such as 1.5.")) from None
    if hours <= 0 or hours > 40:
        raise _error("hours", _("Hours: more than 0 and at most 40."))
    return TrainingRecord.objects.create(
        clerk=clerk,
        topic=topic.strip(),
        held_on=held_on,
        hours=hours,
        organiser=(organiser or "").strip(),
    )
