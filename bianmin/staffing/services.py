"""Changes of the staffing app: the expected peaks and the center's waiting target.

Every function checks the permission (``MANAGE_CENTER``: the center's manager) and the input;
bad input raises ``ValidationError`` with a Chinese message naming the field, and nothing is
saved.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from bianmin.identity.models import User
from bianmin.identity.permissions import Action, authorize
from bianmin.org.models import Center
from bianmin.queueing import selectors as queue_selectors
from bianmin.queueing.models import Queue

from .models import ExpectedPeak, StaffingSettings
from .selectors import settings_for


def _int(value, field: str, message: str, errors: dict) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors.setdefault(field, message)
        return None
    if number != number.to_integral_value():
        errors.setdefault(field, message)
        return None
    return int(number)


def _open_between(center: Center, day: dt.date, starts: int, ends: int) -> bool:
    """Is the hall open at some time between the two whole hours that day?"""
    begin = timezone.make_aware(dt.datetime.combine(day, dt.time(starts)))
    end = begin + dt.timedelta(hours=ends - starts)
    return any(a < end and b > begin for a, b in queue_selectors.sessions_on(center, day))


def _check_peak(center: Center, data: dict, today: dt.date) -> dict:
    errors: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = _("Peak name: this field is required (e.g. 养老保险集中参保缴费).")
    elif len(name) > 60:
        errors["name"] = _("Peak name: at most 60 characters.")

    queue = data.get("queue")
    if isinstance(queue, Queue):
        found = queue if queue.center_id == center.pk and queue.active else None
    else:
        raw = str(queue or "").strip().upper()
        qs = Queue.objects.filter(center=center, active=True)
        found = (
            qs.filter(pk=int(raw)).first()
            if raw.isdigit()
            else qs.filter(letter=raw).first()
            if len(raw) == 1
            else None
        )
    if found is None:
        errors["queue"] = _("Queue: this center has no such queue in use.")

    day = data.get("day")
    if not isinstance(day, dt.date):
        day = parse_date(str(day or "").strip()) if day else None
        if day is None:
            errors["day"] = _("Day: enter a date as YYYY-MM-DD.")
    if isinstance(day, dt.date) and day < today:
        errors["day"] = _("Day: the day has passed; a peak is entered for today or later.")

    from_msg = _("From (hour): enter a whole hour from 0 to 23.")
    until_msg = _("Until (hour): enter a whole hour from 1 to 24.")
    starts = _int(data.get("starts_hour"), "starts_hour", from_msg, errors)
    ends = _int(data.get("ends_hour"), "ends_hour", until_msg, errors)
    if starts is None and "starts_hour" not in errors:
        errors["starts_hour"] = _("From (hour): this field is required (a whole hour, e.g. 9).")
    if ends is None and "ends_hour" not in errors:
        errors["ends_hour"] = _("Until (hour): this field is required (a whole hour, e.g. 11).")
    if starts is not None and not 0 <= starts <= 23:
        errors["starts_hour"] = from_msg
    if ends is not None and not 1 <= ends <= 24:
        errors["ends_hour"] = until_msg
    if "starts_hour" not in errors and "ends_hour" not in errors and ends <= starts:
        errors["ends_hour"] = _(
            "Until (hour): the end (%(ends)s:00) must be after the start (%(starts)s:00)."
        ) % {"ends": ends, "starts": starts}

    if not {"starts_hour", "ends_hour", "day"} & errors.keys() and found is not None:
        if not _open_between(center, day, starts, ends):
            errors["starts_hour"] = _(
                "From (hour): the hall is not open between %(starts)s:00 and %(ends)s:00 that "
                "day (see its opening hours and extra duty)."
            ) % {"starts": starts, "ends": ends}

    extra = _int(
        data.get("extra_people"),
        "extra_people",
        _("Extra people: enter a whole number of people, e.g. 30."),
        errors,
    )
    if extra is not None and not 1 <= extra <= 5000:
        errors["extra_people"] = _("Extra people: between 1 and 5000.")

    factor = None
    raw_factor = data.get("factor")
    if raw_factor is not None and str(raw_factor).strip() != "":
        try:
            factor = Decimal(str(raw_factor).strip())
            if not factor.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors["factor"] = _("Factor: enter a number, e.g. 1.5.")
            factor = None
        if factor is not None and not Decimal("0.1") <= factor <= Decimal("20"):
            errors["factor"] = _("Factor: between 0.1 and 20.")
            factor = None
        if factor is not None:
            factor = factor.quantize(Decimal("0.01"))
    if extra is None and factor is None and not {"extra_people", "factor"} & errors.keys():
        errors["extra_people"] = _(
            "Extra people: enter the extra people expected, or a factor on the usual arrivals."
        )

    note = (data.get("note") or "").strip()
    if len(note) > 200:
        errors["note"] = _("Remarks: at most 200 characters.")
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})
    return {
        "name": name,
        "queue": found,
        "day": day,
        "starts_hour": starts,
        "ends_hour": ends,
        "extra_people": extra,
        "factor": factor,
        "note": note,
    }


@transaction.atomic
def add_peak(
    actor: User, center: Center, *, now: dt.datetime | None = None, **data
) -> ExpectedPeak:
    """Enter an expected peak (name, queue, day, starts_hour, ends_hour, extra_people and/or
    factor, note). Who entered it and when is kept."""
    authorize(actor, Action.MANAGE_CENTER, center=center)
    now = now or timezone.now()
    clean = _check_peak(center, data, timezone.localdate(now))
    return ExpectedPeak.objects.create(center=center, created_by=actor, created_at=now, **clean)


@transaction.atomic
def remove_peak(actor: User, peak: ExpectedPeak, *, now: dt.datetime | None = None) -> ExpectedPeak:
    """Take a peak out of the forecast. The row stays, with who removed it and when."""
    authorize(actor, Action.MANAGE_CENTER, center=peak.center)
    if peak.removed_at is not None:
        raise ValidationError({"peak": [_("Peak: it was removed already.")]})
    peak.removed_by, peak.removed_at = actor, now or timezone.now()
    peak.save(update_fields=["removed_by", "removed_at"])
    return peak


SETTING_LIMITS = {
    "target_minutes": (1, 120),
    "target_share": (50, 99),
    "history_weeks": (1, 26),
}


@transaction.atomic
def update_settings(actor: User, center: Center, **values) -> StaffingSettings:
    """Change the waiting target (minutes, share in %) or the weeks of history read."""
    authorize(actor, Action.MANAGE_CENTER, center=center)
    labels = {
        "target_minutes": _("Waiting target (minutes)"),
        "target_share": _("Share served within the target (%)"),
        "history_weeks": _("Weeks of history"),
    }
    current = settings_for(center)
    errors: dict[str, str] = {}
    for key, (low, high) in SETTING_LIMITS.items():
        if key not in values or values[key] is None:
            continue
        message = _("%(field)s: enter a whole number from %(low)s to %(high)s.") % {
            "field": labels[key],
            "low": low,
            "high": high,
        }
        number = _int(values[key], key, message, errors)
        if number is None and key not in errors:
            errors[key] = message
        elif number is not None and not low <= number <= high:
            errors[key] = message
        elif number is not None:
            setattr(current, key, number)
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})
    current.save()
    return current
