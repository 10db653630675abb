"""Every change in the queue, one function each, in one transaction, permission checked first.

Each change appends a ``QueueEvent`` in the same transaction and publishes a push event that
reaches the display boards after the commit (``push.py``). Messages are Chinese (through the
app's catalogue) and name the field, so that a page or the API can show them beside the input.

Calling is exactly-once under any number of clerks: the next ticket is chosen and locked with
``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL (a ticket another clerk is taking is skipped,
not waited for), and on SQLite every transaction takes the write lock up front
(``transaction_mode=IMMEDIATE``), so calls run one at a time. In both, the update is
conditional on the ticket still waiting, and the database allows one open ticket per window.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.catalog.models import LifeEvent, ServiceItem
from bianmin.catalog.selectors import entered_items
from bianmin.common import rows
from bianmin.common.rows import columns, from_row, spans
from bianmin.hall import selectors as hall_selectors
from bianmin.hall.models import Attendance, OpeningHours, Post, Window
from bianmin.identity import crypto
from bianmin.identity.masking import mask_identity_number, mask_mobile
from bianmin.identity.models import Device, User
from bianmin.identity.permissions import Action, authorize
from bianmin.identity.roles import Role
from bianmin.identity.services import find_person, register_person
from bianmin.identity.validators import parse_identity_number, validate_mobile
from bianmin.org.models import Center
from bianmin.workdays.services import is_workday

from . import cache, push, selectors
from .models import (
    Appointment,
    AppointmentSlot,
    Channel,
    Desk,
    PriorityGroup,
    PriorityReason,
    Queue,
    QueueDay,
    QueueEvent,
    QueueSettings,
    Ticket,
    Visit,
)
from .rules import ACTION_LABELS, next_status
from .rules import Action as T

S = Ticket.Status
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O: they read as 1 and 0 on a ticket
CODE_CHARS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _event(
    center: Center,
    kind: str,
    *,
    at: dt.datetime,
    channel: str,
    ticket: Ticket | None = None,
    visit: Visit | None = None,
    appointment: Appointment | None = None,
    actor: User | None = None,
    device: Device | None = None,
    window: Window | None = None,
    queue: Queue | None = None,
    data: dict | None = None,
    publish: dict | None = None,
    publish_id: str = "",
) -> QueueEvent:
    """Append one event to the queue's log (in the caller's transaction). Written as one fixed,
    prepared INSERT (``rows.insert``): every request of a ticket cycle appends one, and the
    ORM's ``create`` cost more than the insert itself. Returned with its ids, not its objects.

    ``publish``: the boards' push message of this change, sent with the insert (``push.
    publish_with``: on PostgreSQL in the same statement); ``publish_id`` names the key under
    which it carries the event's id."""
    event = QueueEvent(
        center_id=center.pk,
        kind=kind,
        at=at,
        channel=channel,
        ticket_id=ticket.pk if ticket is not None else None,
        visit_id=visit.pk if visit is not None else (ticket.visit_id if ticket else None),
        appointment_id=appointment.pk if appointment is not None else None,
        actor_id=actor.pk if (actor is not None and actor.is_authenticated) else None,
        device_id=device.pk if device is not None else None,
        window_id=window.pk if window is not None else None,
        queue_id=queue.pk if queue is not None else None,
        data=data or {},
    )
    if publish is None:
        rows.insert([event])
    else:
        push.publish_with(center.pk, publish, event, id_key=publish_id)
    return event


# --- Settings and queues -----------------------------------------------------------------------


def settings_row(center: Center) -> QueueSettings:
    return QueueSettings.objects.get_or_create(center=center)[0]


SETTINGS_LIMITS = {
    "priority_cap": (1, 10),
    "recall_limit": (0, 5),
    "priority_age": (50, 100),
    "checkin_early_minutes": (0, 240),
    "checkin_late_minutes": (0, 240),
    "default_service_minutes": (1, 120),
    "speech_repeat": (1, 3),
}


@transaction.atomic
def update_settings(actor: User, center: Center, **values) -> QueueSettings:
    authorize(actor, Action.MANAGE_CENTER, center=center)
    row = settings_row(center)
    changed = {}
    for name, raw in values.items():
        if name not in SETTINGS_LIMITS:
            raise _error(name, _("Unknown setting “%(name)s”.") % {"name": name})
        label = QueueSettings._meta.get_field(name).verbose_name
        low, high = SETTINGS_LIMITS[name]
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise _error(name, _("%(label)s: enter a whole number.") % {"label": label}) from None
        if not low <= value <= high:
            raise _error(
                name,
                _("%(label)s: between %(low)d and %(high)d.")
                % {"label": label, "low": low, "high": high},
            )
        if getattr(row, name) != value:
            changed[name] = [getattr(row, name), value]
            setattr(row, name, value)
    if changed:
        row.save()
        _event(
            center,
            QueueEvent.Kind.SETTINGS_CHANGED,
            at=timezone.now(),
            channel=Channel.CLERK,
            actor=actor,
            data=changed,
        )
    return row


@transaction.atomic
def add_priority_group(actor: User, center: Center, *, name: str) -> PriorityGroup:
    authorize(actor, Action.MANAGE_CENTER, center=center)
    name = (name or "").strip()
    if not name:
        raise _error("name", _("Group name: this field is required."))
    if len(name) > 40:
        raise _error("name", _("Group name: at most 40 characters."))
    group, created = PriorityGroup.objects.get_or_create(center=center, name=name)
    if not created and group.active:
        raise _error(
            "name", _("Group name: “%(name)s” is already a priority group.") % {"name": name}
        )
    group.active = True
    group.save()
    _event(
        center,
        QueueEvent.Kind.SETTINGS_CHANGED,
        at=timezone.now(),
        channel=Channel.CLERK,
        actor=actor,
        data={"priority_group_added": name},
    )
    return group


@transaction.atomic
def retire_priority_group(actor: User, group: PriorityGroup) -> PriorityGroup:
    authorize(actor, Action.MANAGE_CENTER, center=group.center)
    group.active = False
    group.save(update_fields=["active"])
    _event(
        group.center,
        QueueEvent.Kind.SETTINGS_CHANGED,
        at=timezone.now(),
        channel=Channel.CLERK,
        actor=actor,
        data={"priority_group_retired": group.name},
    )
    return group


def _queue_name(window: Window) -> str:
    if window.kind == Window.Kind.ENQUIRY:
        return "综合咨询"
    name = window.name
    for suffix in ("综合窗口", "窗口"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _group_key(window: Window) -> tuple:
    """Windows that do the same work share one queue: all enquiry windows; domain windows with
    the same domains; special windows of the same kind."""
    if window.kind == Window.Kind.DOMAIN:
        return (window.kind, tuple(sorted(d.pk for d in window.domains.all())))
    return (window.kind,)


def _sync_queues(center: Center, actor: User | None = None) -> list[Queue]:
    windows = list(
        Window.objects.filter(center=center)
        .prefetch_related("domains", "queues")
        .order_by("number")
    )
    existing = list(Queue.objects.filter(center=center).prefetch_related("windows"))
    used = {q.letter for q in existing}
    by_key: dict[tuple, Queue] = {}
    for q in existing:
        for w in q.windows.all():
            if w.active:
                by_key.setdefault(_group_key(w), q)
    changes = []
    for window in windows:
        if not window.active:
            for q in window.queues.all():
                q.windows.remove(window)
                changes.append(f"-{window.number}{q.letter}")
            continue
        if window.queues.exists():
            continue
        key = _group_key(window)
        queue = by_key.get(key)
        if queue is None:
            if window.kind == Window.Kind.ENQUIRY and "A" not in used:
                letter = "A"
            else:
                letter = next((c for c in LETTERS[1:] if c not in used), None)
                if letter is None:
                    raise _error("letter", _("Queues: a center can have at most 23 queues."))
            queue = Queue.objects.create(center=center, letter=letter, name=_queue_name(window))
            used.add(letter)
            existing.append(queue)
            by_key[key] = queue
        queue.windows.add(window)
        changes.append(f"+{window.number}{queue.letter}")
    for q in Queue.objects.filter(center=center).prefetch_related("windows"):
        active = any(w.active for w in q.windows.all())
        if q.active != active:
            q.active = active
            q.save(update_fields=["active"])
            changes.append(f"{q.letter}{'+' if active else '-'}")
    if changes:
        _event(
            center,
            QueueEvent.Kind.QUEUES_CHANGED,
            at=timezone.now(),
            channel=Channel.SYSTEM if actor is None else Channel.CLERK,
            actor=actor,
            data={"changes": changes},
        )
    return list(selectors.queues(center))


def ensure_queues(center: Center) -> list[Queue]:
    """The center's queues, derived from its windows the first time (and when windows were
    added since). One queue per kind of work: A 综合咨询, then B, C … in window order."""
    active_windows = Window.objects.filter(center=center, active=True)
    stale = (
        active_windows.filter(queues__isnull=True).exists()
        or Queue.objects.filter(center=center, active=True).exclude(windows__active=True).exists()
    )
    if stale:
        with transaction.atomic():
            return _sync_queues(center)
    return list(selectors.queues(center))


@transaction.atomic
def sync_queues(actor: User, center: Center) -> list[Queue]:
    """The manager's "derive the queues from the windows again" (after changing windows)."""
    authorize(actor, Action.MANAGE_CENTER, center=center)
    return _sync_queues(center, actor)


@transaction.atomic
def rename_queue(actor: User, queue: Queue, *, name: str) -> Queue:
    authorize(actor, Action.MANAGE_CENTER, center=queue.center)
    name = (name or "").strip()
    if not name:
        raise _error("name", _("Queue name: this field is required."))
    if len(name) > 40:
        raise _error("name", _("Queue name: at most 40 characters."))
    old, queue.name = queue.name, name
    queue.save(update_fields=["name"])
    _event(
        queue.center,
        QueueEvent.Kind.QUEUES_CHANGED,
        at=timezone.now(),
        channel=Channel.CLERK,
        actor=actor,
        queue=queue,
        data={"renamed": [old, name]},
    )
    return queue


# --- Issuing tickets ---------------------------------------------------------------------------


def _authorize_issuer(center: Center, actor: User | None, device: Device | None, channel: str):
    if device is not None:
        if not device.active or device.center_id != center.pk:
            raise PermissionDenied(_("This device belongs to another center."))
        if device.kind != Device.Kind.KIOSK:
            raise PermissionDenied(_("Only a kiosk issues tickets; this device is a display."))
        return
    if channel == Channel.PORTAL:
        return  # anyone may take a ticket online for themselves (the portal decides how)
    authorize(actor, Action.SERVE_AT_WINDOW, center=center)


def queue_of_window(center: Center, window: Window) -> Queue:
    """The queue a window serves first (its own); derived from the windows if it has none yet."""
    for _attempt in range(2):
        cfg = selectors.center_config(center)
        qids = cfg.window_queues.get(window.pk)
        if qids:
            return cfg.queues[min(qids, key=lambda q: cfg.queues[q].letter)]
        ensure_queues(center)
        cache.clear()
    raise _error("window", _("%(window)s serves no queue.") % {"window": window})


def route(
    center: Center, *, item: ServiceItem | None = None, life_event: LifeEvent | None = None
) -> tuple[str, Queue]:
    """The queue a ticket lands in: the queue of the window that hall routing gives the item.

    A life event goes to the window that serves all its items here, or to the enquiry window
    when they are served at several; "咨询" goes to the enquiry window.
    """
    if item is not None:
        for _attempt in range(2):
            cfg = selectors.center_config(center)
            if item.pk not in cfg.item_queue:
                raise _error(
                    "item",
                    _("Service item: %(item)s is not handled at %(center)s.")
                    % {"item": item.name, "center": center.name},
                )
            queue_id = cfg.item_queue[item.pk]
            if queue_id is not None:
                return Ticket.Purpose.ITEM, cfg.queues[queue_id]
            # Served by a window without a queue yet (new window), or by no window at all.
            if hall_selectors.route_item(center, item) is None:
                break
            ensure_queues(center)
            cache.clear()
        raise _error(
            "item",
            _("Service item: no window of %(center)s serves it yet; please ask at the front desk.")
            % {"center": center.name},
        )
    if life_event is not None:
        items = list(entered_items(center).filter(life_events=life_event))
        if not items:
            raise _error(
                "life_event",
                _("Life event: %(center)s handles none of the items of “%(event)s”.")
                % {"center": center.name, "event": life_event.name},
            )
        windows = {r.window for r in hall_selectors.routing_table(center, items) if r.window}
        window = (
            windows.pop()
            if len(windows) == 1
            else hall_selectors.role_window(center, Window.Kind.ENQUIRY)
        )
        purpose = Ticket.Purpose.LIFE_EVENT
    else:
        cfg = selectors.center_config(center)
        window = (
            Window(pk=cfg.enquiry_window, center=center)
            if cfg.enquiry_window
            else hall_selectors.role_window(center, Window.Kind.ENQUIRY)
        )
        purpose = Ticket.Purpose.ENQUIRY
    if window is None:
        raise _error(
            "item",
            _("Service item: no window of %(center)s serves it yet; please ask at the front desk.")
            % {"center": center.name},
        )
    return purpose, queue_of_window(center, window)


def _next_number(queue: Queue, day: dt.date) -> int:
    table = QueueDay._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (queue_id, day, last_number) VALUES (%s, %s, 1) "
            f"ON CONFLICT (queue_id, day) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [queue.pk, day],
        )
        return cursor.fetchone()[0]


def _priority(
    center: Center,
    *,
    id_number: str,
    declared: str,
    group: PriorityGroup | None,
    day: dt.date,
):
    """(lane, reason, group, age, masked id number, person) for a new ticket.

    Age comes from the identity number's birth date; the other groups are declared (at the
    kiosk, or by the clerk). One reason is recorded: the age if it qualifies, else the declared.
    """
    age = None
    masked = ""
    person = None
    reason = ""
    id_number = (id_number or "").strip()
    if id_number:
        try:
            parsed = parse_identity_number(id_number, today=day)
        except ValidationError as error:
            raise ValidationError({"id_number": error.messages}) from None
        years = day.year - parsed.birth_date.year
        if (day.month, day.day) < (parsed.birth_date.month, parsed.birth_date.day):
            years -= 1
        age = years
        masked = mask_identity_number(parsed.number)
        person = find_person(parsed.number)
        if age >= selectors.settings_for(center).priority_age:
            reason = PriorityReason.ELDERLY
    declared = (declared or "").strip()
    if declared and declared not in PriorityReason.values:
        raise _error(
            "priority", _("Priority: “%(value)s” is not a priority group.") % {"value": declared}
        )
    if declared == PriorityReason.GROUP or (not declared and group is not None):
        if group is None or group.center_id != center.pk or not group.active:
            raise _error("priority_group", _("Priority group: choose one of this center's groups."))
        declared = PriorityReason.GROUP
    reason = reason or declared
    if reason != PriorityReason.GROUP:
        group = None
    lane = Ticket.Lane.PRIORITY if reason else Ticket.Lane.NORMAL
    return lane, reason, group, age, masked, person


def _same_request(existing: Ticket, item, life_event) -> bool:
    return existing.item_id == (item.pk if item else None) and existing.life_event_id == (
        life_event.pk if life_event else None
    )


def issue_ticket(
    center: Center,
    *,
    channel: str,
    actor: User | None = None,
    device: Device | None = None,
    item: ServiceItem | None = None,
    life_event: LifeEvent | None = None,
    id_number: str = "",
    priority: str = "",
    priority_group: PriorityGroup | None = None,
    idempotency_key: str = "",
    now: dt.datetime | None = None,
) -> Ticket:
    """取号: a ticket for an item, a life event, or an enquiry (neither), in the queue that hall
    routing gives, with its place, the people ahead and the wait estimate.

    The same ``idempotency_key`` at the same center gives the same ticket (a kiosk that sends
    its request twice prints one ticket).
    """
    now = _now(now)
    _authorize_issuer(center, actor, device, channel)
    key = (idempotency_key or "").strip()
    if len(key) > 64:
        raise _error("idempotency_key", _("Idempotency key: at most 64 characters."))
    if item is not None and life_event is not None:
        raise _error("item", _("Service item: choose an item or a life event, not both."))
    if key:
        existing = rows.find(Ticket, {"center_id": center.pk, "idempotency_key": key})
        if existing is not None:
            if not _same_request(existing, item, life_event):
                raise _error(
                    "idempotency_key",
                    _("Idempotency key: already used for another ticket (%(code)s).")
                    % {"code": existing.code},
                )
            return existing
    try:
        with transaction.atomic():
            purpose, queue = route(center, item=item, life_event=life_event)
            day = timezone.localdate(now)
            lane, reason, group, age, masked, person = _priority(
                center, id_number=id_number, declared=priority, group=priority_group, day=day
            )
            return _create_ticket(
                center,
                queue,
                purpose=purpose,
                item=item,
                life_event=life_event,
                lane=lane,
                reason=reason,
                group=group,
                age=age,
                masked=masked,
                person=person,
                channel=channel,
                actor=actor,
                device=device,
                key=key,
                now=now,
            )
    except IntegrityError:
        if key:  # the same request raced itself: the first one won
            existing = rows.find(Ticket, {"center_id": center.pk, "idempotency_key": key})
            if existing is not None:
                return existing
        raise


def _create_ticket(
    center: Center,
    queue: Queue,
    *,
    purpose: str,
    lane: int,
    now: dt.datetime,
    channel: str,
    item=None,
    life_event=None,
    reason: str = "",
    group=None,
    age=None,
    masked: str = "",
    person=None,
    actor=None,
    device=None,
    key: str = "",
    place_at: dt.datetime | None = None,
    ready_at: dt.datetime | None = None,
) -> Ticket:
    day = timezone.localdate(now)
    number = _next_number(queue, day)
    place_at = place_at or now
    ticket = Ticket(
        center=center,
        day=day,
        issued_queue=queue,
        number=number,
        code=f"{queue.letter}{number:03d}",
        public_id=secrets.token_urlsafe(9),
        queue=queue,
        lane=lane,
        priority_reason=reason,
        priority_group=group,
        place_at=place_at,
        ready_at=ready_at or place_at,
        purpose=purpose,
        item=item,
        life_event=life_event,
        person=person,
        id_number_masked=masked,
        age=age,
        channel=channel,
        device=device,
        issued_by=actor if (actor is not None and actor.is_authenticated) else None,
        issued_at=now,
        idempotency_key=key,
    )
    ahead = _ahead_before_insert(ticket, now)
    waiting = ahead["waiting"]
    est = selectors.estimate(
        center, queue.pk, ahead["ahead"], now=now, lane=selectors._lane_now(ticket, now)
    )
    ticket.ahead_at_issue = ahead["ahead"]
    ticket.estimate_seconds = est.seconds
    rows.insert([ticket])  # fixed, prepared SQL: the hottest insert of the app
    ticket._estimate = est
    _event(
        center,
        QueueEvent.Kind.ISSUED,
        at=now,
        channel=channel,
        ticket=ticket,
        actor=actor,
        device=device,
        queue=queue,
        data={"code": ticket.code, "lane": lane, "ahead": ahead["ahead"], "estimate": est.seconds},
        publish={"type": "issued", "queue": queue.letter, "waiting": waiting + 1},
    )
    return ticket


def _ahead_before_insert(ticket: Ticket, now: dt.datetime) -> dict:
    """People waiting in the queue, and those of them ahead of a ticket not yet saved.

    One statement on the partial index of waiting tickets, written out because issuing is
    the hottest path of the app and the ORM's version of this CASE costs more than the query.
    It is the order of ``selectors.waiting_order``: an appointment ticket counts in its own
    lane only from its slot's start.
    """
    lane = selectors._lane_now(ticket, now)
    ops = connection.ops
    table = Ticket._meta.db_table
    when = ops.adapt_datetimefield_value(now)
    place = ops.adapt_datetimefield_value(ticket.place_at)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN e < %s OR (e = %s AND place_at <= %s) "
            f"THEN 1 ELSE 0 END), 0) FROM (SELECT place_at, CASE WHEN lane = 0 AND ready_at > %s "
            f"THEN 2 ELSE lane END AS e FROM {table} WHERE queue_id = %s AND day = %s "
            f"AND status = 'waiting') AS w",
            [lane, lane, place, when, ticket.queue_id, ops.adapt_datefield_value(ticket.day)],
        )
        waiting, ahead = cursor.fetchone()
    return {"waiting": waiting, "ahead": int(ahead)}


@transaction.atomic
def cancel_ticket(
    ticket: Ticket,
    *,
    actor: User | None = None,
    device: Device | None = None,
    channel: str = Channel.PORTAL,
    now: dt.datetime | None = None,
) -> Ticket:
    """The person leaves before being called (from the ticket page, a kiosk or a clerk)."""
    now = _now(now)
    if channel == Channel.CLERK:
        authorize(actor, Action.SERVE_AT_WINDOW, center=ticket.center)
    ticket = _lock(ticket)
    _transition(ticket, T.CANCEL)
    ticket.status = S.CANCELLED
    ticket.finished_at = now
    ticket.save(update_fields=["status", "finished_at"])
    _event(
        ticket.center,
        QueueEvent.Kind.CANCELLED,
        at=now,
        channel=channel,
        ticket=ticket,
        actor=actor,
        device=device,
        queue=ticket.queue,
    )
    _publish_counts(ticket.center, [ticket.queue])
    return ticket


# --- At the window ------------------------------------------------------------------------------


def _check_at_window(actor: User, window: Window) -> int:
    """May ``actor`` call at ``window`` now? Returns the id of the clerk at the window."""
    authorize(actor, Action.SERVE_AT_WINDOW, center=window.center)
    if not window.active:
        raise _error("window", _("Window: %(window)s is not in use.") % {"window": window})
    p = selectors.presence(window.center)
    clerk_id = p.open_windows.get(window.pk)
    if clerk_id is None:  # not open as far as this process knows: ask the database
        clerk_id = (
            Attendance.objects.filter(window=window, closed_at__isnull=True)
            .values_list("clerk_id", flat=True)
            .first()
        )
    if clerk_id is None:
        raise _error(
            "window",
            _("Window: %(window)s is closed; open it before calling.") % {"window": window},
        )
    if actor.pk in p.away_clerks:
        raise _error("window", _("Window: you are marked away; come back first."))
    if actor.pk != clerk_id and actor.role != Role.CENTER_MANAGER:
        post = Post.objects.filter(window=window).first()
        if post is None or actor.pk not in (post.primary_id, post.backup_id):
            raise PermissionDenied(
                _("Only the clerk at %(window)s may call there.") % {"window": window}
            )
    return clerk_id


_LOCK_SQL: dict[str, str] = {}


def _lock_sql() -> str:
    """The ticket with its visit and item, the ticket's row locked (``FOR UPDATE OF``; SQLite
    holds the write lock already) — what ``select_for_update(of=("self",))
    .select_related("visit", "item")`` wrote, written once per process."""
    if connection.vendor not in _LOCK_SQL:
        q = connection.ops.quote_name
        lock = " FOR UPDATE OF t" if connection.features.has_select_for_update_of else ""
        _LOCK_SQL[connection.vendor] = (
            f"SELECT {columns(Ticket, 't')}, {columns(Visit, 'v')}, {columns(ServiceItem, 'i')} "
            f"FROM {q(Ticket._meta.db_table)} t "
            f"LEFT JOIN {q(Visit._meta.db_table)} v ON v.{q('id')} = t.{q('visit_id')} "
            f"LEFT JOIN {q(ServiceItem._meta.db_table)} i ON i.{q('id')} = t.{q('item_id')} "
            f"WHERE t.{q('id')} = %s AND t.{q('center_id')} = %s{lock}"
        )
    return _LOCK_SQL[connection.vendor]


def _lock(ticket: Ticket) -> Ticket:
    """The ticket, re-read under a row lock (PostgreSQL; SQLite holds the write lock already).

    ``ticket`` may be a reference (its pk and center only, as the API has them): the center,
    queue and window come from the caller and the cached set-up rather than from joins.
    """
    center = ticket.center
    with rows.cursor() as cursor:  # fixed SQL, prepared: the ORM spent ~15 % of a worker here
        cursor.execute(_lock_sql(), [ticket.pk, center.pk])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    parts = spans(Ticket, Visit, ServiceItem)
    locked = from_row(parts[0], row)
    locked.visit = from_row(parts[1], row) if row[parts[1][1]] is not None else None
    locked.item = from_row(parts[2], row) if row[parts[2][1]] is not None else None
    locked.center = center
    cfg = selectors.center_config(center)
    if locked.queue_id in cfg.queues:
        locked.queue = cfg.queues[locked.queue_id]
    if locked.window_id is not None:
        window = selectors.window_by_id(center, locked.window_id)
        if window is not None:
            locked.window = window
    return locked


def _transition(ticket: Ticket, action: str) -> str:
    target = next_status(ticket.status, action)
    if target is None:
        raise _error(
            "status",
            _("Ticket %(code)s is “%(status)s”: you cannot %(action)s it.")
            % {
                "code": ticket.code,
                "status": ticket.get_status_display(),
                "action": ACTION_LABELS[action],
            },
        )
    return target


def _check_ticket_actor(actor: User, ticket: Ticket) -> None:
    authorize(actor, Action.SERVE_AT_WINDOW, center=ticket.center)
    if actor.role == Role.CENTER_MANAGER or ticket.clerk_id in (None, actor.pk):
        return
    at_window = Attendance.objects.filter(
        window_id=ticket.window_id, closed_at__isnull=True, clerk=actor
    ).exists()
    if not at_window:
        raise PermissionDenied(
            _("Ticket %(code)s is with %(clerk)s at %(window)s.")
            % {"code": ticket.code, "clerk": ticket.clerk, "window": ticket.window}
        )


def _desk(window: Window) -> Desk:
    """The window's desk (its priority streak), created on first use, locked for this call."""
    desk = rows.find(Desk, {"window_id": window.pk}, for_update=True, order_by="id")
    if desk is None:
        Desk.objects.get_or_create(window=window)
        desk = rows.find(Desk, {"window_id": window.pk}, for_update=True, order_by="id")
    return desk


_OPEN_AT_WINDOW_SQL = (
    f"SELECT id FROM {Ticket._meta.db_table} WHERE window_id = %s AND status IN ("
    + ", ".join(f"'{status}'" for status in Ticket.OPEN_STATUSES)
    + ") LIMIT 1"
)


def _ensure_window_free(window: Window) -> None:
    """Refuse a call while the window still has a ticket called or in service (checked before
    every call: one fixed, prepared statement on the partial index of open tickets)."""
    pk = rows.scalar(_OPEN_AT_WINDOW_SQL, [window.pk])
    if pk is None:
        return
    current = Ticket.objects.get(pk=pk)
    raise _error(
        "window",
        _("Window: %(code)s is still %(status)s at %(window)s; finish, hold or transfer it first.")
        % {"code": current.code, "status": current.get_status_display(), "window": window},
    )


_PICK_SQL: dict[tuple, str] = {}


def _pick_sql(n_queues: int, n_windows: int, skip_priority: bool) -> str:
    """The next waiting ticket of the served queues, in the order of service
    (``selectors.waiting_order``: an appointment from its slot's start, then priority, then the
    rest, each by place), with its item; locked, skipping tickets another window is taking
    (``FOR UPDATE OF … SKIP LOCKED``). Written once per process and shape, prepared."""
    key = (connection.vendor, n_queues, n_windows, skip_priority)
    if key not in _PICK_SQL:
        q = connection.ops.quote_name
        L = Ticket.Lane
        lock = ""
        if connection.features.has_select_for_update_skip_locked:
            lock = " FOR UPDATE OF t SKIP LOCKED"
        queues = ", ".join(["%s"] * n_queues)
        windows = ", ".join(["%s"] * n_windows)
        _PICK_SQL[key] = (
            f"SELECT {columns(Ticket, 't')}, {columns(ServiceItem, 'i')} "
            f"FROM {q(Ticket._meta.db_table)} t "
            f"LEFT JOIN {q(ServiceItem._meta.db_table)} i ON i.{q('id')} = t.{q('item_id')} "
            f"WHERE t.{q('queue_id')} IN ({queues}) AND t.{q('day')} = %s "
            f"AND t.{q('status')} = %s "
            f"AND (t.{q('reserved_window_id')} IS NULL "
            f"OR t.{q('reserved_window_id')} IN ({windows}))"
            + (f" AND NOT (t.{q('lane')} = {int(L.PRIORITY)})" if skip_priority else "")
            + f" ORDER BY CASE WHEN t.{q('lane')} = {int(L.APPOINTMENT)} "
            f"AND t.{q('ready_at')} > %s THEN {int(L.NORMAL)} ELSE t.{q('lane')} END, "
            f"t.{q('place_at')}, t.{q('id')} LIMIT 1{lock}"
        )
    return _PICK_SQL[key]


def _pick(served, reserved, day, now: dt.datetime, *, skip_priority=False) -> Ticket | None:
    served, reserved = sorted(served), sorted(reserved)
    ops = connection.ops
    with rows.cursor() as cursor:
        cursor.execute(
            _pick_sql(len(served), len(reserved), skip_priority),
            [
                *served,
                ops.adapt_datefield_value(day),
                S.WAITING,
                *reserved,
                ops.adapt_datetimefield_value(now),
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    parts = spans(Ticket, ServiceItem)
    ticket = from_row(parts[0], row)
    ticket.item = from_row(parts[1], row) if row[parts[1][1]] is not None else None
    return ticket


class _TakenMeanwhile(Exception):
    """The chosen ticket was no longer waiting: roll back and choose again."""


def call_next(
    actor: User, window: Window, *, now: dt.datetime | None = None, channel: str = Channel.CLERK
) -> Ticket | None:
    """叫号: the next ticket of the queues this window serves, or None if nobody waits.

    Order: appointments whose slot has begun, then the priority lane, then everyone else, each
    by their place; after ``priority_cap`` priority tickets in a row the window takes a normal
    ticket if one waits. While a post's primary is away, the substitute's window (or the
    enquiry window) also calls that post's queues.

    The checks and the "does anybody wait?" read run before the write transaction, so that an
    idle window polling for tickets never takes SQLite's write lock.
    """
    now = _now(now)
    center = window.center
    day = timezone.localdate(now)
    _check_at_window(actor, window)
    _ensure_window_free(window)  # read first; a race is caught by the database (see below)
    p = selectors.presence(center)
    served = p.served_queues(window.pk)
    if not served:
        return None
    reserved = p.reserved_windows(window.pk)
    if connection.vendor == "sqlite":
        waiting = Ticket.objects.filter(queue_id__in=served, day=day, status=S.WAITING).filter(
            Q(reserved_window__isnull=True) | Q(reserved_window_id__in=reserved)
        )
        if not waiting.exists():
            return None  # nobody waits: an idle window polling never takes SQLite's write lock
    cfg = selectors.center_config(center)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return _call(actor, window, center, (served, reserved), cfg, day, now, channel)
        except _TakenMeanwhile:
            continue
        except IntegrityError:
            # Two calls at one window at the same instant (a double click): the database allows
            # one open ticket per window; say which, in words.
            _ensure_window_free(window)
            raise
    return None


def _call(actor, window, center, where, cfg, day, now, channel) -> Ticket | None:
    served, reserved = where
    desk = _desk(window)
    streak = desk.priority_streak if desk.streak_day == day else 0
    ticket = None
    if streak >= cfg.settings.priority_cap:
        ticket = _pick(served, reserved, day, now, skip_priority=True)
    if ticket is None:
        ticket = _pick(served, reserved, day, now)
    if ticket is None:
        return None
    first = ticket.first_called_at is None
    if ticket.visit_id is None:
        visit = Visit(
            center_id=center.pk,
            person_id=ticket.person_id,
            opened_at=now,
            first_responder_id=actor.pk,
            first_window_id=window.pk,
        )
        rows.insert([visit])
        ticket.visit = visit
    changes = {
        "status": S.CALLED,
        "window": window,
        "clerk": actor,
        "called_at": now,
        "first_called_at": now if first else ticket.first_called_at,
        "wait_seconds": (
            max(0, int((now - ticket.issued_at).total_seconds())) if first else ticket.wait_seconds
        ),
        "recall_count": 0,
        "reserved_window": None,
        "visit": ticket.visit,
    }
    for name, value in changes.items():
        setattr(ticket, name, value)
    if rows.update(ticket, list(changes), only_if={"status": S.WAITING}) != 1:
        raise _TakenMeanwhile  # cannot happen under the locks; checked all the same
    ticket.queue = cfg.queues.get(ticket.queue_id) or ticket.queue
    ticket.center = center
    new_streak = streak + 1 if ticket.lane == Ticket.Lane.PRIORITY else 0
    if (new_streak, day) != (desk.priority_streak, desk.streak_day):
        desk.priority_streak, desk.streak_day = new_streak, day
        rows.update(desk, ["priority_streak", "streak_day"])
    _event(
        center,
        QueueEvent.Kind.CALLED,
        at=now,
        channel=channel,
        ticket=ticket,
        actor=actor,
        window=window,
        queue=ticket.queue,
        data={"code": ticket.code, "lane": ticket.lane, "streak": new_streak},
        **_call_message(ticket, window, now),
    )
    return ticket


def _call_message(ticket: Ticket, window: Window, now, *, recall=False) -> dict:
    """The boards' message of a call (``_event``'s ``publish``; it carries the event's id)."""
    queue = ticket.queue
    waiting = selectors.waiting_in(queue.pk, ticket.day)
    return {
        "publish_id": "event",
        "publish": {
            "type": "call",
            "ticket": ticket.code,
            "window": window.number,
            "window_name": window.name,
            "queue": queue.letter,
            "waiting": waiting,
            "text": selectors.call_text(ticket.code, window.number),
            "speech": selectors.speech_text(ticket.code, window.number),
            "recall": recall,
            "at": timezone.localtime(now).strftime("%H:%M:%S"),
        },
    }


def _clear_message(ticket: Ticket, window: Window | None) -> dict | None:
    """The boards' message that a window's ticket left it (``_event``'s ``publish``)."""
    if window is None:
        return None
    return {
        "type": "clear",
        "ticket": ticket.code,
        "window": window.number,
        "status": ticket.status,
    }


def _publish_counts(center: Center, queues: Iterable[Queue]) -> None:
    counts = selectors.waiting_counts(center)
    push.publish(
        center.pk,
        {"type": "counts", "waiting": {q.letter: counts.get(q.pk, 0) for q in queues}},
    )


@transaction.atomic
def recall(actor: User, ticket: Ticket, *, now: dt.datetime | None = None) -> Ticket:
    """重呼: call the same ticket again (up to the center's recall limit)."""
    now = _now(now)
    ticket = _lock(ticket)
    _check_ticket_actor(actor, ticket)
    _transition(ticket, T.RECALL)
    limit = selectors.settings_for(ticket.center).recall_limit
    if ticket.recall_count >= limit:
        raise _error(
            "recall_count",
            _("%(code)s has been called again %(n)d times; mark it as not present or hold it.")
            % {"code": ticket.code, "n": ticket.recall_count},
        )
    ticket.recall_count += 1
    ticket.save(update_fields=["recall_count"])
    _event(
        ticket.center,
        QueueEvent.Kind.RECALLED,
        at=now,
        channel=Channel.CLERK,
        ticket=ticket,
        actor=actor,
        window=ticket.window,
        queue=ticket.queue,
        data={"recall": ticket.recall_count},
        **_call_message(ticket, ticket.window, now, recall=True),
    )
    return ticket


@transaction.atomic
def start_service(actor: User, ticket: Ticket, *, now: dt.datetime | None = None) -> Ticket:
    """The person is at the window: service starts (the service time runs from here)."""
    now = _now(now)
    ticket = _lock(ticket)
    _check_ticket_actor(actor, ticket)
    ticket.status = _transition(ticket, T.START)
    ticket.started_at = now
    rows.update(ticket, ["status", "started_at"])
    _event(
        ticket.center,
        QueueEvent.Kind.STARTED,
        at=now,
        channel=Channel.CLERK,
        ticket=ticket,
        actor=actor,
        window=ticket.window,
        queue=ticket.queue,
        publish={"type": "serving", "ticket": ticket.code, "window": ticket.window.number},
    )
    return ticket


def _end_visit(
    visit: Visit | None, *, actor: User | None, outcome: str, now: dt.datetime, **fields
) -> None:
    if visit is None or visit.ended_at is not None:
        return
    visit.ended_at = now
    visit.ended_by = actor
    visit.outcome = outcome
    for name, value in fields.items():
        setattr(visit, name, value)
    rows.update(visit, ["ended_at", "ended_by", "outcome", *fields])


@transaction.atomic
def finish_service(
    actor: User,
    ticket: Ticket,
    *,
    outcome: str = Visit.Outcome.ENQUIRY,
    note: str = "",
    referred_to: str = "",
    contact_name: str = "",
    contact_mobile: str = "",
    case_reference: str = "",
    now: dt.datetime | None = None,
) -> Ticket:
    """办结: the ticket is done and its visit ends as an enquiry only, with a case, or referred
    elsewhere (where to, and the person's name and mobile, so that someone can follow up)."""
    now = _now(now)
    authorize(actor, Action.SERVE_AT_WINDOW, center=ticket.center)
    if outcome not in (Visit.Outcome.ENQUIRY, Visit.Outcome.CASE, Visit.Outcome.REFERRED):
        raise _error("outcome", _("Outcome: choose enquiry only, case opened or referred."))
    fields: dict = {"note": (note or "").strip()[:300]}
    if outcome == Visit.Outcome.REFERRED:
        referred_to = (referred_to or "").strip()
        contact_name = (contact_name or "").strip()
        if not referred_to:
            raise _error("referred_to", _("Referred to: say where the person was sent."))
        if not contact_name:
            raise _error("contact_name", _("Contact name: this field is required for a referral."))
        if not (contact_mobile or "").strip():
            raise _error(
                "contact_mobile", _("Contact mobile: this field is required for a referral.")
            )
        try:
            mobile = validate_mobile(contact_mobile)
        except ValidationError:
            raise _error(
                "contact_mobile",
                _(
                    "Contact mobile: must be 11 digits starting with 13 to 19, "
                    "for example 13812345678."
                ),
            ) from None
        fields.update(
            referred_to=referred_to[:120],
            contact_name=contact_name[:40],
            contact_mobile_sealed=crypto.seal(mobile),
            contact_mobile_masked=mask_mobile(mobile),
        )
    if outcome == Visit.Outcome.CASE:
        fields["case_reference"] = (case_reference or "").strip()[:40]
    ticket = _lock(ticket)
    _check_ticket_actor(actor, ticket)
    ticket.status = _transition(ticket, T.FINISH)
    ticket.finished_at = now
    ticket.service_seconds = max(
        0, int((now - (ticket.started_at or ticket.called_at)).total_seconds())
    )
    ticket.window_seconds = max(0, int((now - ticket.called_at).total_seconds()))
    rows.update(ticket, ["status", "finished_at", "service_seconds", "window_seconds"])
    _end_visit(ticket.visit, actor=actor, outcome=outcome, now=now, **fields)
    cache.drop_stat(("service", ticket.queue_id, ticket.day))
    _event(
        ticket.center,
        QueueEvent.Kind.FINISHED,
        at=now,
        channel=Channel.CLERK,
        ticket=ticket,
        actor=actor,
        window=ticket.window,
        queue=ticket.queue,
        data={"outcome": outcome, "service_seconds": ticket.service_seconds},
        publish=_clear_message(ticket, ticket.window),
    )
    return ticket


@transaction.atomic
def mark_no_show(actor: User, ticket: Ticket, *, now: dt.datetime | None = None) -> Ticket:
    """过号: nobody came after the call and the recalls."""
    now = _now(now)
    ticket = _lock(ticket)
    _check_ticket_actor(actor, ticket)
    ticket.status = _transition(ticket, T.NO_SHOW)
    limit = selectors.settings_for(ticket.center).recall_limit
    if ticket.recall_count < limit:
        raise _error(
            "recall_count",
            _("%(code)s: call it again first (%(done)d of %(limit)d recalls made).")
            % {"code": ticket.code, "done": ticket.recall_count, "limit": limit},
        )
    ticket.finished_at = now
    ticket.window_seconds = max(0, int((now - ticket.called_at).total_seconds()))
    ticket.save(update_fields=["status", "finished_at", "window_seconds"])
    _end_visit(ticket.visit, actor=actor, outcome=Visit.Outcome.NO_SHOW, now=now)
    _event(
        ticket.center,
        QueueEvent.Kind.NO_SHOW,
        at=now,
        channel=Channel.CLERK,
        ticket=ticket,
        actor=actor,
        window=ticket.window,
        queue=ticket.queue,
        data={"recalls": ticket.recall_count},
        publish=_clear_message(ticket, ticket.window),
    )
    return ticket


@transaction.atomic
def hold(actor: User, ticket: Ticket, *, note: str = "", now: dt.datetime | None = None) -> Ticket:
    """挂起: the person steps aside (to fetch a document, make a copy); the window calls others
    and calls this ticket back later, without it queueing again."""
    now = _now(now)
    ticket = _lock(ticket)
    _check_ticket_actor(actor, ticket)
    ticket.status = _transition(ticket, T.HOLD)
    ticket.save(update_fields=["status"])
    _event(
        ticket.center,
        QueueEvent.Kind.HELD,
        at=now,
        channel=Channel.CLERK,
        ticket=ticket,
        actor=actor,
        window=ticket.window,
        queue=ticket.queue,
        data={"note": (note or "").strip()[:200]},
        publish=_clear_message(ticket, ticket.window),
    )
    return ticket


@transaction.atomic
def call_back(
    actor: User, ticket: Ticket, window: Window, *, now: dt.datetime | None = None
) -> Ticket:
    """回呼: a held ticket is called to the window again."""
    now = _now(now)
    if ticket.center_id != window.center_id:
        raise _error("window", _("Window: choose a window of the ticket's center."))
    _check_at_window(actor, window)
    ticket = _lock(ticket)
    target = _transition(ticket, T.CALL_BACK)
    _desk(window)
    _ensure_window_free(window)
    ticket.status = target
    ticket.window = window
    ticket.clerk = actor
    ticket.called_at = now
    ticket.recall_count = 0
    ticket.save(update_fields=["status", "window", "clerk", "called_at", "recall_count"])
    _event(
        ticket.center,
        QueueEvent.Kind.CALLED_BACK,
        at=now,
        channel=Channel.CLERK,
        ticket=ticket,
        actor=actor,
        window=window,
        queue=ticket.queue,
        **_call_message(ticket, window, now),
    )
    return ticket


@transaction.atomic
def transfer(
    actor: User,
    ticket: Ticket,
    *,
    to_queue: Queue | None = None,
    to_window: Window | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Ticket:
    """转办: send the ticket to another queue or to one window. It keeps its number, its lane
    (priority stays priority) and its place (the time it first queued), so it is called ahead
    of everyone who came later; its visit and first responder go with it."""
    now = _now(now)
    authorize(actor, Action.SERVE_AT_WINDOW, center=ticket.center)
    if (to_queue is None) == (to_window is None):
        raise _error("to_queue", _("Transfer to: choose a queue or a window."))
    if to_window is not None:
        if to_window.center_id != ticket.center_id or not to_window.active:
            raise _error(
                "to_window", _("Transfer to window: choose a window of this center in use.")
            )
        to_queue = queue_of_window(ticket.center, to_window)
    if to_queue.center_id != ticket.center_id or not to_queue.active:
        raise _error("to_queue", _("Transfer to queue: choose a queue of this center in use."))
    ticket = _lock(ticket)
    _check_ticket_actor(actor, ticket)
    if to_window is None and to_queue.pk == ticket.queue_id:
        raise _error(
            "to_queue",
            _("Transfer to queue: %(code)s is already in queue %(letter)s.")
            % {"code": ticket.code, "letter": to_queue.letter},
        )
    if to_window is not None and to_window.pk == ticket.window_id and ticket.is_open:
        raise _error("to_window", _("Transfer to window: the ticket is already at this window."))
    from_window, from_queue = ticket.window, ticket.queue
    ticket.status = _transition(ticket, T.TRANSFER)
    ticket.queue = to_queue
    ticket.reserved_window = to_window
    ticket.transfer_count += 1
    ticket.save(update_fields=["status", "queue", "reserved_window", "transfer_count"])
    _event(
        ticket.center,
        QueueEvent.Kind.TRANSFERRED,
        at=now,
        channel=Channel.CLERK,
        ticket=ticket,
        actor=actor,
        window=from_window,
        queue=to_queue,
        data={
            "from_queue": from_queue.letter,
            "to_queue": to_queue.letter,
            "to_window": to_window.number if to_window else None,
            "note": (note or "").strip()[:200],
        },
        publish=_clear_message(ticket, from_window),
    )
    _publish_counts(ticket.center, [from_queue, to_queue])
    return ticket


# --- End of day -------------------------------------------------------------------------------


@transaction.atomic
def close_day(center: Center, *, before: dt.date | None = None, now: dt.datetime | None = None):
    """Tickets left open from earlier days are closed as not served; bookings not kept are
    recorded as no-shows. Run by ``bianmin queue_close_day`` (cron) and lazily by the pages."""
    now = _now(now)
    before = before or timezone.localdate(now)
    stale = list(
        Ticket.objects.select_for_update(of=("self",))
        .filter(center=center, day__lt=before)
        .exclude(status__in=Ticket.FINAL_STATUSES)
        .select_related("visit")
    )
    events = []
    for ticket in stale:
        ticket.status = S.EXPIRED
        ticket.finished_at = now
        _end_visit(ticket.visit, actor=None, outcome=Visit.Outcome.LEFT, now=now)
        events.append(
            QueueEvent(
                center=center,
                kind=QueueEvent.Kind.EXPIRED,
                at=now,
                channel=Channel.SYSTEM,
                ticket=ticket,
                visit=ticket.visit,
                queue_id=ticket.queue_id,
            )
        )
    Ticket.objects.bulk_update(stale, ["status", "finished_at"])
    missed = _record_no_shows(center, now=now, before=before)
    QueueEvent.objects.bulk_create(events)
    return len(stale), missed


def _record_no_shows(center: Center, *, now: dt.datetime, before: dt.date | None = None) -> int:
    grace = dt.timedelta(minutes=selectors.settings_for(center).checkin_late_minutes)
    candidates = (
        Appointment.objects.select_for_update(of=("self",))
        .filter(
            center=center, status=Appointment.Status.BOOKED, slot__day__lte=timezone.localdate(now)
        )
        .select_related("slot")
    )
    count = 0
    for appointment in candidates:
        slot = appointment.slot
        end = timezone.make_aware(dt.datetime.combine(slot.day, slot.ends))
        if (before and slot.day < before) or end + grace < now:
            appointment.status = Appointment.Status.NO_SHOW
            appointment.save(update_fields=["status"])
            _event(
                center,
                QueueEvent.Kind.BOOKING_NO_SHOW,
                at=now,
                channel=Channel.SYSTEM,
                appointment=appointment,
                queue=slot.queue,
            )
            count += 1
    return count


@transaction.atomic
def record_no_shows(center: Center, *, now: dt.datetime | None = None) -> int:
    """Bookings whose slot (and its late grace) has passed without a check-in."""
    return _record_no_shows(center, now=_now(now))


# --- Appointments ---------------------------------------------------------------------------


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


@transaction.atomic
def save_slot(
    actor: User,
    queue: Queue,
    *,
    day: dt.date | None,
    starts: dt.time | None,
    ends: dt.time | None,
    capacity,
) -> AppointmentSlot:
    """Create or change one slot. Capacity may not drop below what is already booked."""
    center = queue.center
    authorize(actor, Action.MANAGE_CENTER, center=center)
    if day is None:
        raise _error("day", _("Day: this field is required."))
    if starts is None or ends is None:
        raise _error("starts", _("Slot: give the start and the end time."))
    if ends <= starts:
        raise _error("ends", _("Ends: must be after the start."))
    try:
        capacity = int(capacity)
    except (TypeError, ValueError):
        raise _error("capacity", _("Capacity: enter a whole number.")) from None
    if not 0 <= capacity <= 200:
        raise _error("capacity", _("Capacity: between 0 and 200."))
    slot = (
        AppointmentSlot.objects.select_for_update()
        .filter(queue=queue, day=day, starts=starts)
        .first()
    )
    if slot is None:
        slot = AppointmentSlot(center=center, queue=queue, day=day, starts=starts)
    if capacity < slot.booked:
        raise _error(
            "capacity",
            _("Capacity: %(n)d people have booked this slot already.") % {"n": slot.booked},
        )
    slot.ends, slot.capacity = ends, capacity
    slot.save()
    _event(
        center,
        QueueEvent.Kind.SLOTS_CHANGED,
        at=timezone.now(),
        channel=Channel.CLERK,
        actor=actor,
        queue=queue,
        data={"day": day.isoformat(), "starts": starts.strftime("%H:%M"), "capacity": capacity},
    )
    return slot


def _sessions(center: Center, day: dt.date) -> list[tuple[dt.time, dt.time]]:
    row = OpeningHours.objects.filter(center=center, weekday=day.weekday()).first()
    if row is None:
        return []
    sessions = [(row.morning_opens, row.morning_closes)]
    if row.afternoon_opens and row.afternoon_closes:
        sessions.append((row.afternoon_opens, row.afternoon_closes))
    return sessions


@transaction.atomic
def generate_slots(
    actor: User | None,
    center: Center,
    *,
    days: Iterable[dt.date],
    minutes: int = 30,
    capacity: int = 2,
    queues: Iterable[Queue] | None = None,
) -> int:
    """Slots of ``minutes`` over the opening hours of each working day, for each queue.
    Existing slots are kept. ``actor=None`` is the demo loader."""
    if actor is not None:
        authorize(actor, Action.MANAGE_CENTER, center=center)
    if not 10 <= int(minutes) <= 240:
        raise _error("minutes", _("Slot length: between 10 and 240 minutes."))
    if not 0 <= int(capacity) <= 200:
        raise _error("capacity", _("Capacity: between 0 and 200."))
    queues = list(queues) if queues is not None else ensure_queues(center)
    step = dt.timedelta(minutes=int(minutes))
    existing = set(
        AppointmentSlot.objects.filter(center=center, day__in=list(days)).values_list(
            "queue_id", "day", "starts"
        )
    )
    new = []
    for day in days:
        if not is_workday(day):
            continue
        for opens, closes in _sessions(center, day):
            start = dt.datetime.combine(day, opens)
            close = dt.datetime.combine(day, closes)
            while start + step <= close:
                for queue in queues:
                    if (queue.pk, day, start.time()) not in existing:
                        new.append(
                            AppointmentSlot(
                                center=center,
                                queue=queue,
                                day=day,
                                starts=start.time(),
                                ends=(start + step).time(),
                                capacity=int(capacity),
                            )
                        )
                start += step
    AppointmentSlot.objects.bulk_create(new)
    if new:
        _event(
            center,
            QueueEvent.Kind.SLOTS_CHANGED,
            at=timezone.now(),
            channel=Channel.CLERK if actor else Channel.SYSTEM,
            actor=actor,
            data={"created": len(new), "minutes": int(minutes), "capacity": int(capacity)},
        )
    return len(new)


def _booking_code() -> str:
    return "".join(secrets.choice(CODE_CHARS) for _ in range(6))


def book_appointment(
    slot: AppointmentSlot,
    *,
    name: str,
    id_number: str,
    mobile: str = "",
    item: ServiceItem | None = None,
    channel: str = Channel.PORTAL,
    actor: User | None = None,
    device: Device | None = None,
    idempotency_key: str = "",
    now: dt.datetime | None = None,
) -> Appointment:
    """预约: one place in a slot for a person (by identity number), refused past capacity."""
    now = _now(now)
    center = slot.center
    if channel == Channel.CLERK:
        authorize(actor, Action.SERVE_AT_WINDOW, center=center)
    if device is not None and (device.center_id != center.pk or not device.active):
        raise PermissionDenied(_("This device belongs to another center."))
    key = (idempotency_key or "").strip()[:64]
    if key:
        existing = Appointment.objects.filter(center=center, idempotency_key=key).first()
        if existing is not None:
            return existing
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Name: this field is required.")]
    try:
        parsed = parse_identity_number(id_number)
    except ValidationError as error:
        errors["id_number"] = error.messages
    if (mobile or "").strip():
        try:
            validate_mobile(mobile)
        except ValidationError as error:
            errors["mobile"] = error.messages
    if errors:
        raise ValidationError(errors)
    if item is not None and not entered_items(center).filter(pk=item.pk).exists():
        raise _error(
            "item", _("Service item: %(item)s is not handled at this center.") % {"item": item.name}
        )
    if _aware(slot.day, slot.starts) <= now:
        raise _error("slot", _("Slot: this time has passed; choose a later one."))
    if not slot.queue.active:
        raise _error("slot", _("Slot: this queue is no longer in use."))
    try:
        with transaction.atomic():
            person = register_person(name=name, id_number=parsed.number, mobile=mobile or "")
            clash = (
                Appointment.objects.filter(
                    center=center,
                    person=person,
                    slot__day=slot.day,
                    status__in=[Appointment.Status.BOOKED, Appointment.Status.CHECKED_IN],
                )
                .select_related("slot")
                .first()
            )
            if clash is not None:
                raise _error(
                    "slot",
                    _("Slot: %(name)s already has a booking that day at %(time)s (code %(code)s).")
                    % {
                        "name": name,
                        "time": clash.slot.starts.strftime("%H:%M"),
                        "code": clash.code,
                    },
                )
            taken = AppointmentSlot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(
                booked=F("booked") + 1
            )
            if not taken:
                raise _error(
                    "slot",
                    _("Slot: %(time)s on %(day)s is fully booked; choose another time.")
                    % {"time": slot.starts.strftime("%H:%M"), "day": slot.day.strftime("%m月%d日")},
                )
            code = _booking_code()
            while Appointment.objects.filter(code=code).exists():
                code = _booking_code()
            appointment = Appointment.objects.create(
                center=center,
                slot=slot,
                person=person,
                item=item,
                code=code,
                channel=channel,
                booked_at=now,
                idempotency_key=key,
            )
            _event(
                center,
                QueueEvent.Kind.BOOKED,
                at=now,
                channel=channel,
                appointment=appointment,
                actor=actor,
                device=device,
                queue=slot.queue,
                data={
                    "code": code,
                    "day": slot.day.isoformat(),
                    "starts": slot.starts.strftime("%H:%M"),
                },
            )
            return appointment
    except IntegrityError:
        if key:
            existing = Appointment.objects.filter(center=center, idempotency_key=key).first()
            if existing is not None:
                return existing
        raise


@transaction.atomic
def cancel_appointment(
    appointment: Appointment,
    *,
    actor: User | None = None,
    channel: str = Channel.PORTAL,
    now: dt.datetime | None = None,
) -> Appointment:
    now = _now(now)
    if channel == Channel.CLERK:
        authorize(actor, Action.SERVE_AT_WINDOW, center=appointment.center)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status != Appointment.Status.BOOKED:
        raise _error(
            "code",
            _("Booking %(code)s is “%(status)s” and cannot be cancelled.")
            % {"code": appointment.code, "status": appointment.get_status_display()},
        )
    appointment.status = Appointment.Status.CANCELLED
    appointment.save(update_fields=["status"])
    AppointmentSlot.objects.filter(pk=appointment.slot_id, booked__gt=0).update(
        booked=F("booked") - 1
    )
    _event(
        appointment.center,
        QueueEvent.Kind.BOOKING_CANCELLED,
        at=now,
        channel=channel,
        appointment=appointment,
        actor=actor,
    )
    return appointment


def find_booking(
    center: Center, *, code: str = "", id_number: str = "", day: dt.date
) -> Appointment:
    code = (code or "").strip().upper()
    if code:
        appointment = (
            Appointment.objects.filter(center=center, code=code)
            .select_related("slot__queue")
            .first()
        )
        if appointment is None:
            raise _error(
                "code", _("Booking code: no booking %(code)s at this center.") % {"code": code}
            )
        return appointment
    if not (id_number or "").strip():
        raise _error("code", _("Booking code: enter the booking code or the identity number."))
    try:
        parsed = parse_identity_number(id_number)
    except ValidationError as error:
        raise ValidationError({"id_number": error.messages}) from None
    person = find_person(parsed.number)
    found = None
    if person is not None:
        found = (
            Appointment.objects.filter(
                center=center,
                person=person,
                slot__day=day,
                status__in=[Appointment.Status.BOOKED, Appointment.Status.CHECKED_IN],
            )
            .select_related("slot__queue")
            .order_by("slot__starts")
            .first()
        )
    if found is None:
        raise _error(
            "id_number", _("Identity number: no booking today at this center for this number.")
        )
    return found


def check_in(
    center: Center,
    *,
    code: str = "",
    id_number: str = "",
    channel: str = Channel.KIOSK,
    actor: User | None = None,
    device: Device | None = None,
    now: dt.datetime | None = None,
) -> Ticket:
    """签到: a booking becomes a ticket. On time (from ``checkin_early_minutes`` before the slot
    until ``checkin_late_minutes`` after its start) it is served ahead of walk-ins from the
    slot's start; later, it joins the normal queue. Checking in twice gives the same ticket."""
    now = _now(now)
    _authorize_issuer(center, actor, device, channel)
    day = timezone.localdate(now)
    with transaction.atomic():
        appointment = find_booking(center, code=code, id_number=id_number, day=day)
        appointment = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("slot__queue")
            .get(pk=appointment.pk)
        )
        if appointment.status == Appointment.Status.CHECKED_IN and appointment.ticket_id:
            return appointment.ticket
        if appointment.status != Appointment.Status.BOOKED:
            raise _error(
                "code",
                _("Booking %(code)s is “%(status)s”; please take a normal ticket.")
                % {"code": appointment.code, "status": appointment.get_status_display()},
            )
        slot = appointment.slot
        if slot.day != day:
            raise _error(
                "code",
                _("Booking %(code)s is for %(day)s, not today.")
                % {"code": appointment.code, "day": slot.day.strftime("%Y-%m-%d")},
            )
        rules = selectors.settings_for(center)
        start = _aware(slot.day, slot.starts)
        opens = start - dt.timedelta(minutes=rules.checkin_early_minutes)
        if now < opens:
            raise _error(
                "code",
                _("Booking %(code)s: check-in opens at %(time)s.")
                % {"code": appointment.code, "time": timezone.localtime(opens).strftime("%H:%M")},
            )
        end = _aware(slot.day, slot.ends) + dt.timedelta(minutes=rules.checkin_late_minutes)
        if now > end:
            _record_no_shows(center, now=now)
            raise _error(
                "code",
                _("Booking %(code)s: the slot has passed; please take a normal ticket.")
                % {"code": appointment.code},
            )
        late = now > start + dt.timedelta(minutes=rules.checkin_late_minutes)
        person = appointment.person
        age = person.age_on(day)
        elderly = age >= rules.priority_age
        if late:
            lane = Ticket.Lane.PRIORITY if elderly else Ticket.Lane.NORMAL
            place_at = ready_at = now
        else:
            lane, place_at, ready_at = Ticket.Lane.APPOINTMENT, start, start
        ticket = _create_ticket(
            center,
            slot.queue,
            purpose=Ticket.Purpose.ITEM if appointment.item_id else Ticket.Purpose.ENQUIRY,
            item=appointment.item,
            lane=lane,
            reason=PriorityReason.ELDERLY if elderly else "",
            age=age,
            masked=person.id_number_masked,
            person=person,
            channel=Channel.APPOINTMENT,
            actor=actor,
            device=device,
            now=now,
            place_at=place_at,
            ready_at=ready_at,
        )
        appointment.status = Appointment.Status.CHECKED_IN
        appointment.checked_in_at = now
        appointment.late = late
        appointment.ticket = ticket
        appointment.save(update_fields=["status", "checked_in_at", "late", "ticket"])
        _event(
            center,
            QueueEvent.Kind.CHECKED_IN,
            at=now,
            channel=channel,
            appointment=appointment,
            ticket=ticket,
            actor=actor,
            device=device,
            queue=slot.queue,
            data={"late": late, "code": appointment.code},
        )
        return ticket
