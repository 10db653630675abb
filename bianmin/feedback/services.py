"""Every change in ratings, rectifications, appeals and 办不成事 reports.

Each function runs in one transaction, checks permission (``identity.permissions``) where staff
act, and appends a ``FeedbackEvent`` in the same transaction. Refusals are ``ValidationError``
keyed by field, with the message in Chinese naming the field.

Raters are not logged-in staff: a rating arrives with the invitation's token (the SMS link, the
portal), from a rating pad or kiosk (a ``Device``), or from a logged-in citizen (the portal).
``submit_rating`` is the one entry point for every channel.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.cases.machine import State as CaseState
from bianmin.cases.models import Case, Notification
from bianmin.cases.notifications import backend as notification_backend
from bianmin.hall.models import Attendance, Window
from bianmin.identity import crypto
from bianmin.identity.masking import mask_mobile
from bianmin.identity.models import Device, User
from bianmin.identity.permissions import Action, authorize, can
from bianmin.identity.roles import Role
from bianmin.identity.validators import validate_mobile
from bianmin.org.models import Center
from bianmin.queueing.models import Ticket, Visit
from bianmin.workdays.services import due_at as working_due_at

from .models import (
    BAD_LEVELS,
    Appeal,
    ConductTag,
    FeedbackEvent,
    FeedbackSettings,
    Level,
    Rating,
    RatingChannel,
    RatingInvitation,
    RatingPad,
    Reason,
    ReasonGroup,
    Rectification,
    UnresolvedReport,
)

log = logging.getLogger("bianmin.feedback")

# A visit can be rated when it ended with the person served; a case once its result is out
# (handed out or closed) or it was refused or terminated: the applicant has met the outcome.
RATEABLE_VISIT_OUTCOMES = (Visit.Outcome.ENQUIRY, Visit.Outcome.CASE, Visit.Outcome.REFERRED)
RATEABLE_CASE_STATES = (
    CaseState.HANDED_OUT,
    CaseState.CLOSED,
    CaseState.REJECTED,
    CaseState.TERMINATED,
)


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _text(value: str, field: str, label: str, max_length: int, *, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise _error(field, _("%(label)s: this field is required.") % {"label": label})
    if len(value) > max_length:
        raise _error(
            field,
            _("%(label)s: at most %(n)d characters.") % {"label": label, "n": max_length},
        )
    return value


def new_token() -> str:
    return secrets.token_urlsafe(16)[:22]


def settings_for(center: Center) -> FeedbackSettings:
    obj, _created = FeedbackSettings.objects.get_or_create(center=center)
    return obj


def _event(center, kind, *, at, actor=None, device=None, channel="", note="", data=None, **links):
    return FeedbackEvent.objects.create(
        center=center,
        kind=kind,
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        device=device,
        channel=channel,
        note=(note or "")[:500],
        data=data or {},
        **links,
    )


# --- Notifications (through the cases app's outbox and backend) ------------------------------


def _deliver(keys: list[str]) -> None:
    rows = list(Notification.objects.filter(key__in=keys, sent_at__isnull=True))
    sender = notification_backend()
    sent = []
    for row in rows:
        try:
            sender.send(row)
        except Exception:  # a failing gateway must not break the request; the row stays unsent
            log.exception("notification %s not sent", row.key)
            continue
        sent.append(row.key)
    if sent:
        Notification.objects.filter(key__in=sent).update(sent_at=timezone.now())


def _notify(
    *, users: Iterable[User] = (), person=None, kind: str, text: str, key: str, now, case=None
):
    rows = []
    seen = set()
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                key=f"fb:{key}:u{user.pk}"[:120],
                channel=Notification.Channel.IN_APP,
                user=user,
                case=case,
                kind=kind,
                text=text[:500],
                created_at=now,
            )
        )
    if person is not None and person.mobile_sealed:
        rows.append(
            Notification(
                key=f"fb:{key}:p{person.pk}"[:120],
                channel=Notification.Channel.SMS,
                person=person,
                case=case,
                kind=kind,
                text=text[:500],
                created_at=now,
            )
        )
    if rows:
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        keys = [r.key for r in rows]
        transaction.on_commit(lambda: _deliver(keys))


def managers_of(center: Center) -> list[User]:
    return list(User.objects.filter(center=center, role=Role.CENTER_MANAGER, is_active=True))


def county_supervisors_of(center: Center) -> list[User]:
    county = center.region.parent
    return list(User.objects.filter(region=county, role=Role.COUNTY_SUPERVISOR, is_active=True))


# --- Invitations: the finished services that may be rated ------------------------------------


def _expires(center: Center, finished_at: dt.datetime) -> dt.datetime:
    return finished_at + dt.timedelta(days=settings_for(center).rating_days)


def _create_invitation(**fields) -> RatingInvitation:
    """Insert, or return the one a concurrent request made (the unique keys decide)."""
    lookup = {k: fields[k] for k in ("visit", "case") if fields.get(k) is not None}
    if fields.get("kind") == RatingInvitation.Kind.KIOSK:
        lookup = {"device": fields["device"], "kiosk_reference": fields["kiosk_reference"]}
    existing = RatingInvitation.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return RatingInvitation.objects.create(token=new_token(), **fields)
    except IntegrityError:
        return RatingInvitation.objects.get(**lookup)


def visit_is_finished(visit: Visit) -> bool:
    return visit.ended_at is not None and visit.outcome in RATEABLE_VISIT_OUTCOMES


def case_is_finished(case: Case) -> bool:
    return case.state in RATEABLE_CASE_STATES


def invitation_for_visit(visit: Visit, *, now=None) -> RatingInvitation:
    """The rating invitation of a finished window visit (一次一评), made on first need."""
    now = _now(now)
    if visit is None:
        raise _error("service", _("Service: the service to rate does not exist."))
    existing = RatingInvitation.objects.filter(visit=visit).first()
    if existing is not None:
        return existing
    if not visit_is_finished(visit):
        raise _error(
            "service",
            _("Service: this visit is not finished yet; it can be rated once it is finished."),
        )
    ticket = Ticket.objects.filter(visit=visit).select_related("item", "window").first()
    item = ticket.item if ticket else None
    window = (ticket.window if ticket else None) or visit.first_window
    if ticket is not None:
        label = _("Visit %(code)s at %(window)s") % {
            "code": ticket.code,
            "window": window or visit.center,
        }
    else:
        label = _("Window service at %(window)s") % {"window": window or visit.center}
    if item is not None:
        label = f"{item.name} · {label}"
    return _create_invitation(
        center=visit.center,
        kind=RatingInvitation.Kind.VISIT,
        visit=visit,
        clerk=visit.ended_by or visit.first_responder,
        window=window,
        item=item,
        person=visit.person,
        label=label[:200],
        finished_at=visit.ended_at,
        expires_at=_expires(visit.center, visit.ended_at),
        created_at=now,
    )


def _case_finished_at(case: Case) -> dt.datetime:
    return case.handed_out_at or case.closed_at or case.decided_at or case.received_at


def invitation_for_case(case: Case, *, now=None) -> RatingInvitation:
    """The rating invitation of a finished case (一事一评), made on first need."""
    now = _now(now)
    if case is None:
        raise _error("service", _("Service: the service to rate does not exist."))
    existing = RatingInvitation.objects.filter(case=case).first()
    if existing is not None:
        return existing
    if not case_is_finished(case):
        raise _error(
            "service",
            _(
                "Service: case %(number)s is not finished yet (%(state)s); it can be rated once "
                "the result is out."
            )
            % {"number": case.number, "state": case.get_state_display()},
        )
    finished = _case_finished_at(case)
    window = case.visit.first_window if case.visit_id else None
    person = case.person or case.proxy
    if person is None and case.organisation_id:
        person = case.organisation.representative
    return _create_invitation(
        center=case.center,
        kind=RatingInvitation.Kind.CASE,
        online=case.channel == "online",
        case=case,
        clerk=case.received_by,
        window=window,
        item=case.item,
        person=person,
        label=f"{case.item.name} · {_('case')} {case.number}"[:200],
        finished_at=finished,
        expires_at=_expires(case.center, finished),
        created_at=now,
    )


def invitation_for_kiosk(
    device: Device, *, reference: str, label: str, item=None, person=None, now=None
) -> RatingInvitation:
    """A service finished at a self-service kiosk (printing a certificate, a payment …)."""
    now = _now(now)
    if device is None or device.kind != Device.Kind.KIOSK or not device.active:
        raise _error("device", _("Device: only an active kiosk may offer a kiosk rating."))
    reference = _text(reference, "reference", _("Kiosk transaction"), 64)
    label = _text(label, "label", _("Service"), 200)
    return _create_invitation(
        center=device.center,
        kind=RatingInvitation.Kind.KIOSK,
        device=device,
        kiosk_reference=reference,
        item=item,
        person=person,
        label=label,
        finished_at=now,
        expires_at=_expires(device.center, now),
        created_at=now,
    )


def find_invitation(token: str) -> RatingInvitation | None:
    if not token or len(token) > 32:
        return None
    return (
        RatingInvitation.objects.select_related("center", "clerk", "window", "item", "person")
        .filter(token=token)
        .first()
    )


@transaction.atomic
def present_on_pad(actor: User, invitation: RatingInvitation, window: Window, *, now=None):
    """The clerk asks the person to rate on the pad beside ``window`` (请您评价)."""
    now = _now(now)
    authorize(actor, Action.SERVE_AT_WINDOW, center=invitation.center)
    if window.center_id != invitation.center_id:
        raise _error("window", _("Window: the window is not at the service's center."))
    if hasattr(invitation, "rating"):
        raise _error("service", _("Service: this service was already rated (rated once only)."))
    RatingInvitation.objects.filter(pk=invitation.pk).update(
        presented_at=now, presented_window=window
    )
    invitation.presented_at, invitation.presented_window = now, window
    _event(
        invitation.center,
        FeedbackEvent.Kind.PRESENTED,
        at=now,
        actor=actor,
        channel=RatingChannel.PAD,
        invitation=invitation,
        data={"window": window.number},
    )
    return invitation


def clerk_window(user: User) -> Window | None:
    """The window the clerk has open now."""
    attendance = (
        Attendance.objects.filter(clerk=user, closed_at__isnull=True)
        .select_related("window")
        .first()
    )
    return attendance.window if attendance else None


# --- Rating ----------------------------------------------------------------------------------


def allowed_reasons(invitation: RatingInvitation) -> list[Reason]:
    group = ReasonGroup.ONLINE if invitation.online else ReasonGroup.OFFLINE
    return list(Reason.objects.filter(group=group, active=True))


def _check_rater(invitation, *, channel, user, device, token_used: bool):
    """Refuse a rater the service does not belong to."""
    if device is not None:
        if not device.active or device.center_id != invitation.center_id:
            raise _error(
                "service",
                _(
                    "Service: this service belongs to another center; rate it on that center's "
                    "device or by your link."
                ),
            )
        pad = RatingPad.objects.filter(device=device).first()
        if device.kind == Device.Kind.RATING_PAD:
            windows = {invitation.window_id, invitation.presented_window_id} - {None}
            if pad is None or (windows and pad.window_id not in windows):
                raise _error(
                    "service",
                    _(
                        "Service: this service was given at another window; it is not for this "
                        "rating pad."
                    ),
                )
        elif device.kind == Device.Kind.KIOSK:
            if invitation.kind == RatingInvitation.Kind.KIOSK and invitation.device_id != device.pk:
                raise _error(
                    "service",
                    _("Service: this kiosk service was given at another kiosk."),
                )
        else:
            raise _error("device", _("Device: a display board cannot rate."))
        return
    if token_used:
        return  # the link is the proof: it was sent to the person served
    if user is not None and getattr(user, "is_authenticated", False):
        person = getattr(user, "person", None) if user.role == Role.CITIZEN else None
        if person is None or invitation.person_id != person.pk:
            raise _error(
                "service",
                _(
                    "Service: this service belongs to someone else; only the person served may "
                    "rate it."
                ),
            )
        return
    raise _error("service", _("Service: open the rating link you were sent, or log in first."))


def _clean_reasons(invitation, reasons) -> list[str]:
    codes = []
    allowed = {r.code: r for r in allowed_reasons(invitation)}
    for code in reasons or []:
        code = str(code).strip()
        if not code:
            continue
        if code not in allowed:
            names = "、".join(r.name for r in allowed.values())
            raise _error(
                "reasons",
                _("Reasons: “%(code)s” is not a reason for this service; choose from %(names)s.")
                % {"code": code, "names": names},
            )
        if code not in codes:
            codes.append(code)
    return codes


def _clean_level(level) -> int:
    try:
        value = int(level)
    except (TypeError, ValueError):
        value = 0
    if value not in Level.values:
        raise _error(
            "level",
            _("Rating: choose one of 非常满意, 满意, 基本满意, 不满意, 非常不满意."),
        )
    return value


@transaction.atomic
def submit_rating(
    *,
    token: str = "",
    invitation: RatingInvitation | None = None,
    visit: Visit | None = None,
    case: Case | None = None,
    level,
    reasons: Iterable[str] = (),
    comment: str = "",
    channel: str,
    user: User | None = None,
    device: Device | None = None,
    now: dt.datetime | None = None,
) -> Rating:
    """Rate a finished service, from any channel (pad, SMS link, portal, kiosk, API).

    Name the service by ``token`` (the link), ``invitation``, ``visit`` or ``case``. Refused with
    a message keyed ``service`` when it does not exist, is not finished, belongs to someone else,
    was already rated, or its rating period is over; ``level`` and ``reasons`` are checked too.
    A bad rating (不满意, 非常不满意) opens its rectification in the same transaction.
    """
    now = _now(now)
    if channel not in RatingChannel.values or channel == RatingChannel.DEFAULT:
        raise _error("channel", _("Channel: not a rating channel."))
    token_used = bool(token)
    if token:
        invitation = find_invitation(token)
        if invitation is None:
            raise _error("service", _("Service: the service to rate does not exist."))
    elif invitation is None:
        if visit is not None:
            invitation = invitation_for_visit(visit, now=now)
        elif case is not None:
            invitation = invitation_for_case(case, now=now)
        else:
            raise _error("service", _("Service: the service to rate does not exist."))
    # Lock the invitation: two taps at once make one rating (the unique key is the backstop).
    invitation = RatingInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.case_id and not case_is_finished(invitation.case):
        raise _error("service", _("Service: this service is not finished yet."))
    if Rating.objects.filter(invitation=invitation).exists():
        raise _error(
            "service",
            _("Service: this service was already rated (rated once only: 一次一评, 一事一评)."),
        )
    _check_rater(invitation, channel=channel, user=user, device=device, token_used=token_used)
    if now > invitation.expires_at:
        raise _error(
            "service",
            _("Service: the period for rating this service ended on %(date)s.")
            % {"date": f"{timezone.localtime(invitation.expires_at):%Y-%m-%d %H:%M}"},
        )
    value = _clean_level(level)
    codes = _clean_reasons(invitation, reasons)
    comment = _text(comment, "comment", _("Comment"), 500, required=False)
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                invitation=invitation,
                center=invitation.center,
                kind=invitation.kind,
                online=invitation.online,
                clerk=invitation.clerk,
                window=invitation.window or invitation.presented_window,
                item=invitation.item,
                level=value,
                reasons=codes,
                comment=comment,
                channel=channel,
                device=device,
                rater_user=user if getattr(user, "is_authenticated", False) else None,
                rated_at=now,
            )
    except IntegrityError:
        raise _error(
            "service",
            _("Service: this service was already rated (rated once only: 一次一评, 一事一评)."),
        ) from None
    _event(
        invitation.center,
        FeedbackEvent.Kind.RATED,
        at=now,
        actor=user,
        device=device,
        channel=channel,
        invitation=invitation,
        rating=rating,
        data={"level": value, "reasons": codes},
    )
    if value in BAD_LEVELS:
        _open_rectification(rating, now=now)
    return rating


def _open_rectification(rating: Rating, *, now) -> Rectification:
    days = settings_for(rating.center).rectification_days
    due, result = working_due_at(now, days)
    rect = Rectification.objects.create(
        rating=rating,
        center=rating.center,
        opened_at=now,
        due_at=due,
        due_provisional=result.provisional,
    )
    _event(
        rating.center,
        FeedbackEvent.Kind.RECT_OPENED,
        at=now,
        channel="system",
        rating=rating,
        rectification=rect,
        data={"due": f"{timezone.localtime(due):%Y-%m-%d}", "days": days},
    )
    _notify(
        users=managers_of(rating.center),
        kind="feedback_bad_rating",
        text=_("Bad rating (%(level)s) for %(service)s: verify and rectify by %(due)s.")
        % {
            "level": rating.get_level_display(),
            "service": rating.invitation.label,
            "due": f"{timezone.localtime(due):%Y-%m-%d}",
        },
        key=f"rect{rect.pk}:open",
        now=now,
        case=rating.invitation.case,
    )
    return rect


# --- Rectification ---------------------------------------------------------------------------


def _lock_rect(rect: Rectification | int) -> Rectification:
    pk = rect.pk if isinstance(rect, Rectification) else rect
    return Rectification.objects.select_for_update().select_related("rating", "center").get(pk=pk)


def _refuse_state(rect: Rectification, action: str):
    raise _error(
        "state",
        _("State: rectification #%(pk)s is “%(state)s”; it cannot be %(action)s now.")
        % {"pk": rect.pk, "state": rect.get_state_display(), "action": action},
    )


@transaction.atomic
def verify(actor: User, rect, *, finding: str, note: str, now=None) -> Rectification:
    """核实: what the verification found (true, partly true, not true) and how."""
    now = _now(now)
    rect = _lock_rect(rect)
    authorize(actor, Action.MANAGE_CENTER, center=rect.center)
    if rect.state != Rectification.State.VERIFYING:
        _refuse_state(rect, _("verified"))
    if finding not in ("true", "partly", "false"):
        raise _error("finding", _("Finding: choose true, partly true or not true."))
    rect.finding = finding
    rect.finding_note = _text(note, "finding_note", _("What the verification found"), 500)
    rect.verified_at, rect.verified_by = now, actor
    rect.state = Rectification.State.RECTIFYING
    rect.save()
    _event(
        rect.center,
        FeedbackEvent.Kind.VERIFIED,
        at=now,
        actor=actor,
        rectification=rect,
        rating=rect.rating,
        note=rect.finding_note,
        data={"finding": finding},
    )
    return rect


@transaction.atomic
def rectify(actor: User, rect, *, measures: str, now=None) -> Rectification:
    """整改: the measures taken (for a rating found untrue: what was explained or improved)."""
    now = _now(now)
    rect = _lock_rect(rect)
    authorize(actor, Action.MANAGE_CENTER, center=rect.center)
    if rect.state != Rectification.State.RECTIFYING:
        _refuse_state(rect, _("rectified"))
    rect.measures = _text(measures, "measures", _("Rectification measures"), 500)
    rect.rectified_at, rect.rectified_by = now, actor
    rect.save()
    _event(
        rect.center,
        FeedbackEvent.Kind.RECTIFIED,
        at=now,
        actor=actor,
        rectification=rect,
        rating=rect.rating,
        note=rect.measures,
    )
    return rect


@transaction.atomic
def answer_rater(actor: User, rect, *, answer: str, now=None) -> Rectification:
    """The answer to the rater: shown on their rating link at once, and sent by SMS."""
    now = _now(now)
    rect = _lock_rect(rect)
    authorize(actor, Action.MANAGE_CENTER, center=rect.center)
    if rect.state != Rectification.State.RECTIFYING:
        _refuse_state(rect, _("answered"))
    if not rect.measures:
        raise _error(
            "measures",
            _("Rectification measures: record what was done before answering the rater."),
        )
    rect.answer = _text(answer, "answer", _("Answer to the rater"), 500)
    rect.answered_at, rect.answered_by = now, actor
    rect.state = Rectification.State.ANSWERED
    rect.save()
    _event(
        rect.center,
        FeedbackEvent.Kind.ANSWERED,
        at=now,
        actor=actor,
        rectification=rect,
        rating=rect.rating,
        note=rect.answer,
    )
    invitation = rect.rating.invitation
    _notify(
        person=invitation.person,
        kind="feedback_answer",
        text=_("%(center)s has answered your rating of %(service)s: see /rate/%(token)s/")
        % {"center": rect.center.name, "service": invitation.label, "token": invitation.token},
        key=f"rect{rect.pk}:answer",
        now=now,
        case=invitation.case,
    )
    return rect


@transaction.atomic
def close_rectification(
    actor: User, rect, *, callback_result: str, callback_note: str = "", now=None
) -> Rectification:
    """回访 and close. Never without an answer to the rater."""
    now = _now(now)
    rect = _lock_rect(rect)
    authorize(actor, Action.MANAGE_CENTER, center=rect.center)
    if not rect.answer or rect.answered_at is None:
        raise _error(
            "answer",
            _(
                "Answer to the rater: a rectification cannot be closed before the rater has "
                "been answered."
            ),
        )
    if rect.state != Rectification.State.ANSWERED:
        _refuse_state(rect, _("closed"))
    valid = [c for c in Rectification.CallbackResult.values if c]
    if callback_result not in valid:
        raise _error(
            "callback_result",
            _(
                "Call back: choose satisfied, basically satisfied, still dissatisfied or could "
                "not be reached."
            ),
        )
    rect.callback_result = callback_result
    rect.callback_note = _text(
        callback_note, "callback_note", _("Call back note"), 300, required=False
    )
    rect.closed_at, rect.closed_by = now, actor
    rect.state = Rectification.State.CLOSED
    rect.save()
    _event(
        rect.center,
        FeedbackEvent.Kind.CLOSED,
        at=now,
        actor=actor,
        rectification=rect,
        rating=rect.rating,
        note=rect.callback_note,
        data={"callback": callback_result, "on_time": now <= rect.due_at},
    )
    return rect


@transaction.atomic
def escalate_overdue(rect_id: int, *, now=None) -> Rectification | None:
    """Timer: an open rectification past its deadline goes to the county supervisors, once."""
    now = _now(now)
    rect = _lock_rect(rect_id)
    if not rect.is_open or rect.escalated_at is not None or rect.due_at >= now:
        return None
    rect.escalated_at = now
    rect.save(update_fields=["escalated_at"])
    _event(
        rect.center,
        FeedbackEvent.Kind.ESCALATED,
        at=now,
        channel="system",
        rectification=rect,
        rating=rect.rating,
    )
    _notify(
        users=county_supervisors_of(rect.center) + managers_of(rect.center),
        kind="feedback_overdue",
        text=_("Rectification #%(pk)s at %(center)s is overdue (due %(due)s).")
        % {
            "pk": rect.pk,
            "center": rect.center.name,
            "due": f"{timezone.localtime(rect.due_at):%Y-%m-%d}",
        },
        key=f"rect{rect.pk}:overdue",
        now=now,
    )
    return rect


# --- Conduct tags ----------------------------------------------------------------------------


def _clean_tags(codes) -> list[ConductTag]:
    codes = [str(c).strip() for c in codes or [] if str(c).strip()]
    tags = list(ConductTag.objects.filter(code__in=codes, active=True))
    unknown = set(codes) - {t.code for t in tags}
    if unknown:
        raise _error(
            "conduct_tags",
            _("Conduct tags: unknown tag %(codes)s.") % {"codes": "、".join(sorted(unknown))},
        )
    return tags


@transaction.atomic
def tag_conduct(actor: User, *, rating: Rating | None = None, report=None, tags=(), now=None):
    """Tag a bad rating or a report with the conduct problems found (冷硬横推, 庸懒散松, 十严禁)."""
    now = _now(now)
    target = rating or report
    if target is None:
        raise _error("target", _("Target: name a rating or a report."))
    if not (
        can(actor, Action.MANAGE_CENTER, center=target.center)
        or can(actor, Action.SUPERVISE, center=target.center)
    ):
        authorize(actor, Action.MANAGE_CENTER, center=target.center)
    if rating is not None and not rating.is_bad:
        raise _error(
            "conduct_tags", _("Conduct tags: only a bad rating (不满意, 非常不满意) is tagged.")
        )
    chosen = _clean_tags(tags)
    target.conduct_tags.set(chosen)
    _event(
        target.center,
        FeedbackEvent.Kind.TAGGED,
        at=now,
        actor=actor,
        rating=rating,
        report=report,
        data={"tags": [t.code for t in chosen]},
    )
    return chosen


# --- Appeals (申诉复核) --------------------------------------------------------------------------


@transaction.atomic
def file_appeal(actor: User, rating: Rating, *, ground: str, reason: str, now=None) -> Appeal:
    """The center asks the county to exclude a mistaken or malicious bad rating."""
    now = _now(now)
    rating = Rating.objects.select_for_update().get(pk=rating.pk)
    authorize(actor, Action.MANAGE_CENTER, center=rating.center)
    if not rating.is_bad:
        raise _error("rating", _("Rating: only a bad rating can be appealed."))
    if rating.excluded:
        raise _error("rating", _("Rating: this rating is already excluded."))
    if ground not in Appeal.Ground.values:
        raise _error("ground", _("Ground: choose mistaken, malicious or outside the remit."))
    reason = _text(reason, "reason", _("Reason and evidence"), 500)
    if Appeal.objects.filter(rating=rating, state=Appeal.State.PENDING).exists():
        raise _error("rating", _("Rating: an appeal of this rating is already waiting for review."))
    appeal = Appeal.objects.create(
        rating=rating,
        center=rating.center,
        ground=ground,
        reason=reason,
        filed_at=now,
        filed_by=actor,
    )
    _event(
        rating.center,
        FeedbackEvent.Kind.APPEALED,
        at=now,
        actor=actor,
        rating=rating,
        appeal=appeal,
        note=reason,
        data={"ground": ground},
    )
    _notify(
        users=county_supervisors_of(rating.center),
        kind="feedback_appeal",
        text=_("%(center)s appeals a bad rating of %(service)s: review it.")
        % {"center": rating.center.name, "service": rating.invitation.label},
        key=f"appeal{appeal.pk}",
        now=now,
    )
    return appeal


@transaction.atomic
def review_appeal(actor: User, appeal: Appeal, *, uphold: bool, note: str, now=None) -> Appeal:
    """The county's review: upheld excludes the rating from every figure, with the reason."""
    now = _now(now)
    appeal = Appeal.objects.select_for_update().select_related("rating", "center").get(pk=appeal.pk)
    authorize(actor, Action.SUPERVISE, center=appeal.center)
    if appeal.state != Appeal.State.PENDING:
        raise _error("state", _("State: this appeal was already reviewed."))
    note = _text(note, "review_note", _("Review"), 500)
    appeal.state = Appeal.State.UPHELD if uphold else Appeal.State.DISMISSED
    appeal.reviewed_at, appeal.reviewed_by, appeal.review_note = now, actor, note
    appeal.save()
    rating = appeal.rating
    if uphold:
        Rating.objects.filter(pk=rating.pk).update(
            excluded=True,
            excluded_reason=f"{appeal.get_ground_display()}：{note}"[:300],
        )
        rect = Rectification.objects.select_for_update().filter(rating=rating).first()
        if rect is not None and rect.is_open:
            rect.state = Rectification.State.EXCLUDED
            rect.closed_at, rect.closed_by = now, actor
            rect.save(update_fields=["state", "closed_at", "closed_by"])
    _event(
        appeal.center,
        FeedbackEvent.Kind.APPEAL_UPHELD if uphold else FeedbackEvent.Kind.APPEAL_DISMISSED,
        at=now,
        actor=actor,
        rating=rating,
        appeal=appeal,
        note=note,
    )
    return appeal


# --- 办不成事 reports --------------------------------------------------------------------------


@transaction.atomic
def report_unresolved(
    actor: User | None,
    *,
    center: Center,
    source: str,
    wanted: str,
    cause: str,
    why: str,
    item=None,
    name: str = "",
    mobile: str = "",
    window: Window | None = None,
    now=None,
) -> UnresolvedReport:
    """Record what somebody could not get done. Staff record it at the 办不成事 or enquiry window;
    a citizen reports it from the portal (``actor`` is then the citizen, or None when not logged
    in — a mobile number is then required, so that somebody can follow up)."""
    now = _now(now)
    citizen = actor is None or actor.role == Role.CITIZEN
    if not citizen:
        authorize(actor, Action.SERVE_AT_WINDOW, center=center)
    if source not in UnresolvedReport.Source.values:
        raise _error("source", _("Where it was reported: not a known place."))
    if citizen and source != UnresolvedReport.Source.PORTAL:
        raise _error("source", _("Where it was reported: a citizen reports through the portal."))
    wanted = _text(wanted, "wanted", _("What the person wanted"), 300)
    why = _text(why, "why", _("Why it could not be done"), 500)
    if cause not in UnresolvedReport.Cause.values:
        raise _error("cause", _("Cause: choose one of the causes."))
    name = _text(name, "name", _("Name"), 40, required=False)
    fields = {}
    if mobile:
        try:
            number = validate_mobile(mobile)
        except ValidationError as error:
            raise ValidationError({"mobile": error.messages}) from None
        fields = {"mobile_sealed": crypto.seal(number), "mobile_masked": mask_mobile(number)}
    elif actor is None:
        raise _error(
            "mobile", _("Mobile number: needed so that the center can tell you the result.")
        )
    if window is not None and window.center_id != center.pk:
        raise _error("window", _("Window: the window is not at this center."))
    person = getattr(actor, "person", None) if actor is not None and citizen else None
    days = settings_for(center).report_days
    due, _result = working_due_at(now, days)
    report = UnresolvedReport.objects.create(
        token=new_token(),
        center=center,
        source=source,
        item=item,
        wanted=wanted,
        cause=cause,
        why=why,
        name=name or (person.name if person else ""),
        person=person,
        reporter_user=actor if citizen else None,
        recorded_by=None if citizen else actor,
        window=window,
        reported_at=now,
        due_at=due,
        **fields,
    )
    _event(
        center,
        FeedbackEvent.Kind.REPORTED,
        at=now,
        actor=actor,
        channel=source,
        report=report,
        note=wanted,
        data={"cause": cause},
    )
    _notify(
        users=managers_of(center),
        kind="feedback_report",
        text=_("Can't-get-it-done report: %(wanted)s. Assign someone by %(due)s.")
        % {"wanted": wanted, "due": f"{timezone.localtime(due):%Y-%m-%d}"},
        key=f"report{report.pk}",
        now=now,
    )
    return report


def _lock_report(report) -> UnresolvedReport:
    pk = report.pk if isinstance(report, UnresolvedReport) else report
    return UnresolvedReport.objects.select_for_update().select_related("center").get(pk=pk)


@transaction.atomic
def assign_report(actor: User, report, *, assignee: User, now=None) -> UnresolvedReport:
    now = _now(now)
    report = _lock_report(report)
    authorize(actor, Action.MANAGE_CENTER, center=report.center)
    if report.state not in UnresolvedReport.OPEN_STATES:
        raise _error("state", _("State: this report is already resolved."))
    if assignee is None or not (
        can(assignee, Action.SERVE_AT_WINDOW, center=report.center)
        or can(assignee, Action.DECIDE_CASE)
    ):
        raise _error(
            "assignee",
            _("Taken by: choose a clerk or manager of this center, or a back-office officer."),
        )
    report.assignee, report.assigned_at = assignee, now
    report.state = UnresolvedReport.State.ASSIGNED
    report.save()
    _event(
        report.center,
        FeedbackEvent.Kind.ASSIGNED,
        at=now,
        actor=actor,
        report=report,
        data={"assignee": assignee.pk},
    )
    _notify(
        users=[assignee],
        kind="feedback_report_assigned",
        text=_("You take the can't-get-it-done report: %(wanted)s (due %(due)s).")
        % {"wanted": report.wanted, "due": f"{timezone.localtime(report.due_at):%Y-%m-%d}"},
        key=f"report{report.pk}:assigned:{assignee.pk}",
        now=now,
    )
    return report


@transaction.atomic
def resolve_report(
    actor: User, report, *, resolution: str, resolved: bool, now=None
) -> UnresolvedReport:
    """The resolution: what was done, and whether the person got it done in the end."""
    now = _now(now)
    report = _lock_report(report)
    if not (report.assignee_id == actor.pk and actor.is_active):
        authorize(actor, Action.MANAGE_CENTER, center=report.center)
    if report.state not in UnresolvedReport.OPEN_STATES:
        raise _error("state", _("State: this report is already resolved."))
    report.resolution = _text(resolution, "resolution", _("Resolution"), 500)
    report.resolved = bool(resolved)
    report.resolved_at = now
    report.state = UnresolvedReport.State.RESOLVED
    report.save()
    _event(
        report.center,
        FeedbackEvent.Kind.RESOLVED,
        at=now,
        actor=actor,
        report=report,
        note=report.resolution,
        data={"resolved": report.resolved},
    )
    return report


@transaction.atomic
def follow_up_report(actor: User, report, *, note: str, now=None) -> UnresolvedReport:
    """回访: the person was asked how it ended; the report closes."""
    now = _now(now)
    report = _lock_report(report)
    authorize(actor, Action.MANAGE_CENTER, center=report.center)
    if report.state != UnresolvedReport.State.RESOLVED:
        raise _error("state", _("State: a report is followed up once it is resolved."))
    report.follow_up = _text(note, "follow_up", _("Follow-up"), 300)
    report.followed_up_at = now
    report.state = UnresolvedReport.State.CLOSED
    report.save()
    _event(
        report.center,
        FeedbackEvent.Kind.FOLLOWED_UP,
        at=now,
        actor=actor,
        report=report,
        note=report.follow_up,
    )
    return report


@transaction.atomic
def escalate_report(report_id: int, *, now=None) -> UnresolvedReport | None:
    now = _now(now)
    report = _lock_report(report_id)
    if (
        report.state not in UnresolvedReport.OPEN_STATES
        or report.escalated_at
        or report.due_at >= now
    ):
        return None
    report.escalated_at = now
    report.save(update_fields=["escalated_at"])
    _event(report.center, FeedbackEvent.Kind.ESCALATED, at=now, channel="system", report=report)
    _notify(
        users=county_supervisors_of(report.center),
        kind="feedback_report_overdue",
        text=_("Can't-get-it-done report at %(center)s is overdue: %(wanted)s.")
        % {"center": report.center.name, "wanted": report.wanted},
        key=f"report{report.pk}:overdue",
        now=now,
    )
    return report


# --- Default rule and settings ---------------------------------------------------------------


@transaction.atomic
def apply_default_rule(invitation_id: int, *, now=None) -> Rating | None:
    """Timer: where the center's rule says so, an invitation unrated at the end of its period
    counts as 满意 (channel ``default``). Under the default rule nothing happens."""
    now = _now(now)
    invitation = RatingInvitation.objects.select_for_update().get(pk=invitation_id)
    rule = settings_for(invitation.center).unrated_rule
    if (
        rule != FeedbackSettings.UnratedRule.SATISFIED
        or invitation.expires_at >= now
        or Rating.objects.filter(invitation=invitation).exists()
    ):
        return None
    rating = Rating.objects.create(
        invitation=invitation,
        center=invitation.center,
        kind=invitation.kind,
        online=invitation.online,
        clerk=invitation.clerk,
        window=invitation.window,
        item=invitation.item,
        level=Level.SATISFIED,
        channel=RatingChannel.DEFAULT,
        rated_at=invitation.expires_at,
    )
    _event(
        invitation.center,
        FeedbackEvent.Kind.DEFAULT_RATED,
        at=now,
        channel=RatingChannel.DEFAULT,
        invitation=invitation,
        rating=rating,
    )
    return rating


SETTING_RANGES = {
    "rating_days": (1, 90),
    "rectification_days": (1, 30),
    "report_days": (1, 30),
    "pad_pickup_minutes": (1, 120),
}
SETTING_FIELDS = (
    "sms_invitation",
    "rating_days",
    "unrated_rule",
    "rectification_days",
    "report_days",
    "pad_pickup_minutes",
)


@transaction.atomic
def update_settings(actor: User, center: Center, *, now=None, **values) -> FeedbackSettings:
    now = _now(now)
    authorize(actor, Action.MANAGE_CENTER, center=center)
    obj = settings_for(center)
    before = {f: getattr(obj, f) for f in SETTING_FIELDS}
    for name, value in values.items():
        if name not in SETTING_FIELDS:
            raise _error(name, _("%(field)s: not a rating setting.") % {"field": name})
        if name in SETTING_RANGES:
            lo, hi = SETTING_RANGES[name]
            label = FeedbackSettings._meta.get_field(name).verbose_name
            try:
                value = int(value)
            except (TypeError, ValueError):
                value = lo - 1
            if not lo <= value <= hi:
                raise _error(
                    name,
                    _("%(label)s: a whole number from %(lo)d to %(hi)d.")
                    % {"label": label, "lo": lo, "hi": hi},
                )
        setattr(obj, name, value)
    try:
        obj.full_clean(exclude=["center"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None
    obj.save()
    _event(
        center,
        FeedbackEvent.Kind.SETTINGS,
        at=now,
        actor=actor,
        data={"before": before, "after": {f: getattr(obj, f) for f in SETTING_FIELDS}},
    )
    return obj


@transaction.atomic
def register_pad(actor: User, window: Window, *, name: str = "") -> tuple[RatingPad, str]:
    """A rating pad for the tablet beside ``window``; returns it and its token (shown once)."""
    from bianmin.identity.services import register_device

    device, token = register_device(
        actor,
        center=window.center,
        kind=Device.Kind.RATING_PAD,
        name=(name or _("Rating pad, window %(n)s") % {"n": window.number})[:80],
    )
    return RatingPad.objects.create(device=device, window=window), token


@transaction.atomic
def invite_by_sms(case_id: int, *, now=None) -> RatingInvitation | None:
    """Timer: a case just finished gets its rating link by SMS (一事一评), once, if the center
    sends them and the applicant has a mobile number on file."""
    now = _now(now)
    case = Case.objects.select_related("center", "item").get(pk=case_id)
    if not case_is_finished(case):
        return None
    invitation = invitation_for_case(case, now=now)
    invitation = RatingInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.invited_at is not None:
        return None
    # Marked whatever happens next, so that the timer looks at each finished case once.
    invitation.invited_at = now
    invitation.save(update_fields=["invited_at"])
    if (
        not settings_for(case.center).sms_invitation
        or invitation.expires_at < now
        or Rating.objects.filter(invitation=invitation).exists()
        or invitation.person is None
        or not invitation.person.mobile_sealed
    ):
        return None
    _notify(
        person=invitation.person,
        kind="feedback_invitation",
        text=_("Please rate %(service)s at %(center)s by %(date)s: /rate/%(token)s/")
        % {
            "service": invitation.label,
            "center": case.center.name,
            "date": f"{timezone.localtime(invitation.expires_at):%Y-%m-%d}",
            "token": invitation.token,
        },
        key=f"invite{invitation.pk}",
        now=now,
        case=case,
    )
    return invitation
