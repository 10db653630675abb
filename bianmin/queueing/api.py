"""Queue API under /api/v1/queue/: tickets, calling, appointments, the board, figures, settings.

Kiosks and display boards authenticate as devices (``Authorization: Bearer <token>``); clerks
and managers with their session (and ``X-CSRFToken`` on writes). Following a ticket, listing
slots and booking are public. Writes from kiosks and the portal take an ``Idempotency-Key``
header: the same key at the same center gives the same ticket or booking.

The display's live events are a Server-Sent Events stream at ``/queue/<code>/events/`` (outside
the JSON API, same device token); see docs/queue.md.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from bianmin.catalog.models import LifeEvent, ServiceItem
from bianmin.catalog.selectors import entered_items
from bianmin.common import rows
from bianmin.hall import selectors as hall_selectors
from bianmin.hall.models import Window
from bianmin.identity.auth import device_auth, session_auth
from bianmin.identity.models import Device
from bianmin.identity.permissions import Action, authorize
from bianmin.org.models import Center

from . import figures, selectors, services
from .models import (
    Appointment,
    AppointmentSlot,
    Channel,
    PriorityGroup,
    PriorityReason,
    Queue,
    Ticket,
    Visit,
)

router = Router(tags=["queue"])

# The device's bearer token is tried first: a kiosk's POST carries no session and no CSRF
# cookie, and the session check would refuse it for the missing CSRF token before the token
# is looked at.
staff_or_device = [device_auth, session_auth]


def _center(request, code: str, action: str = Action.VIEW_CENTER) -> Center:
    center = selectors.center_by_code(code)
    if center is None:
        raise Http404
    device = getattr(request, "device", None)
    if device is not None:  # a kiosk or display works for its own center only
        if device.center_id != center.pk:
            raise Http404
        return center
    authorize(request.auth, action, center=center)
    return center


def _device(request) -> Device | None:
    return getattr(request, "device", None)


def _actor(request):
    return None if _device(request) is not None else request.auth


def _key(request, body_key: str | None = None) -> str:
    return (request.headers.get("Idempotency-Key") or body_key or "").strip()


# --- Schemas -----------------------------------------------------------------------------


class QueueRef(Schema):
    letter: str
    name: str


class ItemRef(Schema):
    id: int
    name: str


class TicketOut(Schema):
    id: int
    public_id: str = Field(description="Opaque id of the public ticket page (the QR code)")
    code: str = Field(description="The ticket number as printed and called, e.g. B007")
    center: str
    queue: QueueRef
    status: str
    status_label: str
    lane: int = Field(description="0 appointment, 1 priority lane, 2 normal")
    priority_reason: str
    purpose: str
    item: ItemRef | None
    issued_at: dt.datetime
    ahead: int | None = Field(description="People who will be called before this ticket")
    estimate_minutes: int | None = Field(description="None: no window of its queue is open")
    window: int | None = Field(description="The window it is called to (when called)")
    called_at: dt.datetime | None
    call_text: str | None
    url: str
    print_url: str


def ticket_out(request, ticket: Ticket, *, estimate: selectors.Estimate | None = None) -> dict:
    if estimate is None and ticket.status == Ticket.Status.WAITING:
        estimate = getattr(ticket, "_estimate", None) or selectors.ticket_estimate(ticket)
    url = request.build_absolute_uri(reverse("queueing:ticket", args=[ticket.public_id]))
    window = ticket.window.number if ticket.window_id and ticket.is_open else None
    return {
        "id": ticket.pk,
        "public_id": ticket.public_id,
        "code": ticket.code,
        "center": ticket.center.name,
        "queue": {"letter": ticket.queue.letter, "name": ticket.queue.name},
        "status": ticket.status,
        "status_label": str(ticket.get_status_display()),
        "lane": ticket.lane,
        "priority_reason": ticket.priority_reason,
        "purpose": ticket.purpose,
        "item": {"id": ticket.item.pk, "name": ticket.item.name} if ticket.item_id else None,
        "issued_at": ticket.issued_at,
        "ahead": estimate.ahead if estimate else None,
        "estimate_minutes": estimate.minutes if estimate else None,
        "window": window,
        "called_at": ticket.called_at,
        "call_text": selectors.call_text(ticket.code, window) if window else None,
        "url": url,
        "print_url": url + "print/",
    }


class QueueOut(Schema):
    letter: str
    name: str
    windows: list[int]
    waiting: int


class MenuItem(Schema):
    id: int
    name: str
    domain: str


class MenuEvent(Schema):
    id: int
    name: str


class Choice(Schema):
    value: str
    label: str


class MenuOut(Schema):
    items: list[MenuItem]
    life_events: list[MenuEvent]
    priority_reasons: list[Choice]
    priority_groups: list[MenuEvent]
    priority_age: int


class TicketIn(Schema):
    item_id: int | None = Field(None, description="A service item entered at the center")
    life_event_id: int | None = Field(None, description="Or a life event (一件事)")
    id_number: str = Field("", description="Optional: from 60 the ticket is in the priority lane")
    priority: str = Field("", description="Declared: elderly, disabled, pregnant, veteran, group")
    priority_group_id: int | None = None
    idempotency_key: str = Field("", description="Or the Idempotency-Key header")


class FinishIn(Schema):
    outcome: str = Field("enquiry", description="enquiry, case or referred")
    note: str = ""
    referred_to: str = ""
    contact_name: str = ""
    contact_mobile: str = ""
    case_reference: str = ""


class TransferIn(Schema):
    queue: str | None = Field(None, description="Letter of the target queue")
    window: int | None = Field(None, description="Or the number of the target window")
    note: str = ""


class HoldIn(Schema):
    note: str = ""


class CallBackIn(Schema):
    window: int


class SlotOut(Schema):
    id: int
    queue: QueueRef
    day: dt.date
    starts: dt.time
    ends: dt.time
    capacity: int
    booked: int
    free: int


class SlotIn(Schema):
    queue: str
    day: dt.date
    starts: dt.time
    ends: dt.time
    capacity: int


class GenerateSlotsIn(Schema):
    days: list[dt.date]
    minutes: int = 30
    capacity: int = 2


class BookingIn(Schema):
    slot_id: int
    name: str
    id_number: str
    mobile: str = ""
    item_id: int | None = None
    idempotency_key: str = ""


class BookingOut(Schema):
    code: str
    status: str
    day: dt.date
    starts: dt.time
    ends: dt.time
    queue: QueueRef
    late: bool
    ticket: str | None


def booking_out(a: Appointment) -> dict:
    return {
        "code": a.code,
        "status": a.status,
        "day": a.slot.day,
        "starts": a.slot.starts,
        "ends": a.slot.ends,
        "queue": {"letter": a.slot.queue.letter, "name": a.slot.queue.name},
        "late": a.late,
        "ticket": a.ticket.code if a.ticket_id else None,
    }


class CheckInIn(Schema):
    code: str = ""
    id_number: str = ""


class SettingsOut(Schema):
    priority_cap: int
    recall_limit: int
    priority_age: int
    checkin_early_minutes: int
    checkin_late_minutes: int
    default_service_minutes: int
    speech_repeat: int


class SettingsIn(Schema):
    priority_cap: int | None = None
    recall_limit: int | None = None
    priority_age: int | None = None
    checkin_early_minutes: int | None = None
    checkin_late_minutes: int | None = None
    default_service_minutes: int | None = None
    speech_repeat: int | None = None


class VisitOut(Schema):
    id: int
    opened_at: dt.datetime
    first_responder: str
    first_window: int | None
    ended_at: dt.datetime | None
    outcome: str
    referred_to: str
    contact_name: str
    contact_mobile: str = Field(description="Masked")
    case_reference: str
    ticket: str | None
    history: list[dict]


class Detail(Schema):
    detail: str


# --- Tickets -------------------------------------------------------------------------------


@router.get(
    "/centers/{code}/queues",
    response=list[QueueOut],
    auth=staff_or_device,
    summary="The center's queues and how many wait in each",
)
def list_queues(request, code: str):
    center = _center(request, code)
    services.ensure_queues(center)
    counts = selectors.waiting_counts(center)
    cfg = selectors.center_config(center)
    return [
        {
            "letter": q.letter,
            "name": q.name,
            "windows": sorted(cfg.windows[w].number for w in cfg.queue_windows.get(q.pk, ())),
            "waiting": counts.get(q.pk, 0),
        }
        for q in cfg.queues.values()
    ]


@router.get(
    "/centers/{code}/menu",
    response=MenuOut,
    auth=staff_or_device,
    summary="What a kiosk offers: items, life events, priority groups",
)
def menu(request, code: str):
    center = _center(request, code)
    items = list(entered_items(center).select_related("domain"))
    return {
        "items": [{"id": i.pk, "name": i.name, "domain": i.domain.name} for i in items],
        "life_events": [
            {"id": e.pk, "name": e.name}
            for e in LifeEvent.objects.filter(items__in=items).distinct().order_by("name")
        ],
        "priority_reasons": [
            {"value": v, "label": str(label)} for v, label in PriorityReason.choices
        ],
        "priority_groups": [
            {"id": g.pk, "name": g.name} for g in selectors.priority_groups(center)
        ],
        "priority_age": selectors.settings_for(center).priority_age,
    }


@router.post(
    "/centers/{code}/tickets",
    response={201: TicketOut, 409: Detail},
    auth=staff_or_device,
    summary="Take a ticket (kiosk device or clerk); Idempotency-Key header honoured; "
    "a kiosk is refused (409) while the center is closed for the day",
)
def take_ticket(request, code: str, payload: TicketIn):
    center = _center(request, code, Action.SERVE_AT_WINDOW)
    item = life_event = group = None
    if payload.item_id is not None:
        item = rows.find(ServiceItem, {"id": payload.item_id})  # fixed, prepared SQL
        if item is None:
            raise ValidationError({"item_id": [_("Service item: no item with this id.")]})
    if payload.life_event_id is not None:
        life_event = LifeEvent.objects.filter(pk=payload.life_event_id).first()
        if life_event is None:
            raise ValidationError({"life_event_id": [_("Life event: no life event with this id.")]})
    if payload.priority_group_id is not None:
        group = PriorityGroup.objects.filter(pk=payload.priority_group_id, center=center).first()
        if group is None:
            raise ValidationError(
                {"priority_group_id": [_("Priority group: choose one of this center's groups.")]}
            )
    device = _device(request)
    key = _key(request, payload.idempotency_key)
    if device is not None and device.kind == Device.Kind.KIOSK:
        closed = selectors.walk_in_closed(center)
        if closed is not None:
            # A kiosk takes no walk-in ticket while the center is closed for the day (a
            # booking's check-in still works); a retry across closing time finds its ticket.
            taken = rows.find(Ticket, {"center_id": center.pk, "idempotency_key": key})
            if not key or taken is None:
                return Status(409, {"detail": hall_selectors.closed_message(closed)})
            return Status(201, ticket_out(request, taken))
    ticket = services.issue_ticket(
        center,
        channel=Channel.KIOSK if device else Channel.API,
        actor=_actor(request),
        device=device,
        item=item,
        life_event=life_event,
        id_number=payload.id_number,
        priority=payload.priority,
        priority_group=group,
        idempotency_key=key,
    )
    return Status(201, ticket_out(request, ticket))


def _public_ticket(public_id: str) -> Ticket:
    return get_object_or_404(
        Ticket.objects.select_related("center", "queue", "item", "window"), public_id=public_id
    )


@router.get(
    "/tickets/{public_id}", response=TicketOut, auth=None, summary="Follow a ticket (public)"
)
def follow_ticket(request, public_id: str):
    return ticket_out(request, _public_ticket(public_id))


@router.post(
    "/tickets/{public_id}/cancel",
    response=TicketOut,
    auth=None,
    summary="Leave the queue (the ticket's holder)",
)
def cancel_ticket(request, public_id: str):
    ticket = services.cancel_ticket(_public_ticket(public_id), channel=Channel.PORTAL)
    return ticket_out(request, ticket)


# --- At the window ------------------------------------------------------------------------


def _window(center: Center, number: int) -> Window:
    window = selectors.window_of(center, number)
    if window is None:
        raise Http404
    return window


def _ticket(center: Center, pk: int) -> Ticket:
    """A reference to the ticket: the services read it under a lock (404 if not at ``center``)."""
    return rows.reference(Ticket, pk, center=center)


@router.post(
    "/centers/{code}/windows/{number}/call",
    response={200: TicketOut, 204: None},
    auth=session_auth,
    summary="Call the next ticket to this window (204: nobody waits)",
)
def call(request, code: str, number: int):
    center = _center(request, code, Action.SERVE_AT_WINDOW)
    ticket = services.call_next(request.auth, _window(center, number))
    if ticket is None:
        return Status(204, None)
    return ticket_out(request, ticket)


@router.get(
    "/centers/{code}/windows/{number}/current",
    response={200: TicketOut, 204: None},
    auth=staff_or_device,
    summary="The ticket now at this window (204: none)",
)
def current(request, code: str, number: int):
    center = _center(request, code)
    ticket = selectors.open_ticket_at(_window(center, number))
    return ticket_out(request, ticket) if ticket else Status(204, None)


def _act(request, code: str, pk: int, fn, **kwargs):
    center = _center(request, code, Action.SERVE_AT_WINDOW)
    ticket = fn(request.auth, _ticket(center, pk), **kwargs)
    return ticket_out(request, ticket)


@router.post(
    "/centers/{code}/tickets/{pk}/recall",
    response=TicketOut,
    auth=session_auth,
    summary="Call again",
)
def recall(request, code: str, pk: int):
    return _act(request, code, pk, services.recall)


@router.post(
    "/centers/{code}/tickets/{pk}/start",
    response=TicketOut,
    auth=session_auth,
    summary="Start serving",
)
def start(request, code: str, pk: int):
    return _act(request, code, pk, services.start_service)


@router.post(
    "/centers/{code}/tickets/{pk}/finish",
    response=TicketOut,
    auth=session_auth,
    summary="Finish; the visit ends with its outcome",
)
def finish(request, code: str, pk: int, payload: FinishIn):
    return _act(request, code, pk, services.finish_service, **payload.dict())


@router.post(
    "/centers/{code}/tickets/{pk}/hold",
    response=TicketOut,
    auth=session_auth,
    summary="Put on hold (挂起)",
)
def hold(request, code: str, pk: int, payload: HoldIn):
    return _act(request, code, pk, services.hold, note=payload.note)


@router.post(
    "/centers/{code}/tickets/{pk}/no-show",
    response=TicketOut,
    auth=session_auth,
    summary="Not present after the recalls",
)
def no_show(request, code: str, pk: int):
    return _act(request, code, pk, services.mark_no_show)


@router.post(
    "/centers/{code}/tickets/{pk}/call-back",
    response=TicketOut,
    auth=session_auth,
    summary="Call a held ticket back to a window",
)
def call_back(request, code: str, pk: int, payload: CallBackIn):
    center = _center(request, code, Action.SERVE_AT_WINDOW)
    ticket = services.call_back(request.auth, _ticket(center, pk), _window(center, payload.window))
    return ticket_out(request, ticket)


@router.post(
    "/centers/{code}/tickets/{pk}/transfer",
    response=TicketOut,
    auth=session_auth,
    summary="Transfer to another queue or window, keeping the place and the visit",
)
def transfer(request, code: str, pk: int, payload: TransferIn):
    center = _center(request, code, Action.SERVE_AT_WINDOW)
    to_queue = to_window = None
    if payload.queue:
        to_queue = Queue.objects.filter(center=center, letter=payload.queue.upper()).first()
        if to_queue is None:
            raise ValidationError(
                {
                    "queue": [
                        _("Transfer to queue: no queue %(letter)s here.")
                        % {"letter": payload.queue}
                    ]
                }
            )
    if payload.window is not None:
        to_window = Window.objects.filter(center=center, number=payload.window).first()
        if to_window is None:
            raise ValidationError(
                {"window": [_("Transfer to window: no window %(n)s here.") % {"n": payload.window}]}
            )
    ticket = services.transfer(
        request.auth, _ticket(center, pk), to_queue=to_queue, to_window=to_window, note=payload.note
    )
    return ticket_out(request, ticket)


@router.get(
    "/centers/{code}/visits/{pk}",
    response=VisitOut,
    auth=session_auth,
    summary="A visit with its first responder and history",
)
def visit(request, code: str, pk: int):
    center = _center(request, code)
    v = get_object_or_404(
        Visit.objects.select_related("first_responder", "first_window"), pk=pk, center=center
    )
    ticket = getattr(v, "ticket", None)
    history = selectors.ticket_history(ticket) if ticket else []
    return {
        "id": v.pk,
        "opened_at": v.opened_at,
        "first_responder": str(v.first_responder),
        "first_window": v.first_window.number if v.first_window else None,
        "ended_at": v.ended_at,
        "outcome": v.outcome,
        "referred_to": v.referred_to,
        "contact_name": v.contact_name,
        "contact_mobile": v.contact_mobile_masked,
        "case_reference": v.case_reference,
        "ticket": ticket.code if ticket else None,
        "history": [
            {
                "at": e.at.isoformat(),
                "kind": e.kind,
                "window": e.window.number if e.window else None,
                "actor": str(e.actor) if e.actor else None,
                "data": e.data,
            }
            for e in history
        ],
    }


# --- The board ------------------------------------------------------------------------------


@router.get(
    "/centers/{code}/board",
    response=dict,
    auth=staff_or_device,
    summary="What the display board shows (its live events: /queue/{code}/events/, SSE)",
)
def board(request, code: str):
    return selectors.board_snapshot(_center(request, code))


# --- Appointments ---------------------------------------------------------------------------


def _slot_out(s: AppointmentSlot) -> dict:
    return {
        "id": s.pk,
        "queue": {"letter": s.queue.letter, "name": s.queue.name},
        "day": s.day,
        "starts": s.starts,
        "ends": s.ends,
        "capacity": s.capacity,
        "booked": s.booked,
        "free": s.free,
    }


@router.get(
    "/centers/{code}/slots",
    response=list[SlotOut],
    auth=None,
    summary="Appointment slots of a day (public)",
)
def slots(request, code: str, day: dt.date | None = None):
    center = get_object_or_404(Center, region__code=code)
    return [_slot_out(s) for s in selectors.open_slots(center, day or timezone.localdate())]


@router.post(
    "/centers/{code}/slots",
    response={201: SlotOut},
    auth=session_auth,
    summary="Create or change a slot (manager)",
)
def save_slot(request, code: str, payload: SlotIn):
    center = _center(request, code, Action.MANAGE_CENTER)
    queue = Queue.objects.filter(center=center, letter=payload.queue.upper()).first()
    if queue is None:
        raise ValidationError(
            {"queue": [_("Queue: no queue %(letter)s here.") % {"letter": payload.queue}]}
        )
    slot = services.save_slot(
        request.auth,
        queue,
        day=payload.day,
        starts=payload.starts,
        ends=payload.ends,
        capacity=payload.capacity,
    )
    return Status(201, _slot_out(slot))


@router.post(
    "/centers/{code}/slots/generate",
    response=dict,
    auth=session_auth,
    summary="Open slots over the opening hours of the given days (manager)",
)
def generate_slots(request, code: str, payload: GenerateSlotsIn):
    center = _center(request, code, Action.MANAGE_CENTER)
    made = services.generate_slots(
        request.auth, center, days=payload.days, minutes=payload.minutes, capacity=payload.capacity
    )
    return {"created": made}


@router.post(
    "/centers/{code}/appointments",
    response={201: BookingOut},
    auth=None,
    summary="Book a slot (public; Idempotency-Key header honoured)",
)
def book(request, code: str, payload: BookingIn):
    center = get_object_or_404(Center, region__code=code)
    slot = (
        AppointmentSlot.objects.filter(center=center, pk=payload.slot_id)
        .select_related("queue", "center")
        .first()
    )
    if slot is None:
        raise ValidationError({"slot_id": [_("Slot: no such slot at this center.")]})
    item = None
    if payload.item_id is not None:
        item = ServiceItem.objects.filter(pk=payload.item_id).first()
    booking = services.book_appointment(
        slot,
        name=payload.name,
        id_number=payload.id_number,
        mobile=payload.mobile,
        item=item,
        channel=Channel.API,
        idempotency_key=_key(request, payload.idempotency_key),
    )
    return Status(201, booking_out(booking))


@router.get(
    "/appointments/{booking_code}",
    response=BookingOut,
    auth=None,
    summary="A booking by its code (public)",
)
def booking(request, booking_code: str):
    a = get_object_or_404(
        Appointment.objects.select_related("slot__queue", "ticket"), code=booking_code.upper()
    )
    return booking_out(a)


@router.post(
    "/appointments/{booking_code}/cancel",
    response=BookingOut,
    auth=None,
    summary="Cancel a booking by its code (public)",
)
def cancel_booking(request, booking_code: str):
    a = get_object_or_404(Appointment, code=booking_code.upper())
    return booking_out(services.cancel_appointment(a, channel=Channel.API))


@router.post(
    "/centers/{code}/checkin",
    response=TicketOut,
    auth=staff_or_device,
    summary="Check a booking in (code or identity number): it becomes a ticket",
)
def check_in(request, code: str, payload: CheckInIn):
    center = _center(request, code, Action.SERVE_AT_WINDOW)
    device = _device(request)
    ticket = services.check_in(
        center,
        code=payload.code,
        id_number=payload.id_number,
        channel=Channel.KIOSK if device else Channel.API,
        actor=_actor(request),
        device=device,
    )
    return ticket_out(request, ticket)


# --- Figures and settings ---------------------------------------------------------------------


def _row(r) -> dict:
    return {
        "label": r.label,
        "issued": r.issued,
        "calls": r.calls,
        "served": r.served,
        "no_shows": r.no_shows,
        "transfers": r.transfers,
        "mean_wait_minutes": r.mean_wait,
        "p90_wait_minutes": r.p90_wait,
        "mean_service_minutes": r.mean_service,
        "open_minutes": r.open_minutes,
        "busy_minutes": r.busy_minutes,
        "idle_minutes": r.idle_minutes,
        "idle_share_percent": r.idle_share,
    }


@router.get(
    "/centers/{code}/figures",
    response=dict,
    auth=session_auth,
    summary="The day's figures: waiting, idle and service time, no-shows, transfers per queue, window, clerk and hour",
)
def day_figures(request, code: str, day: dt.date | None = None):
    center = _center(request, code)
    f = figures.day_figures(center, day or timezone.localdate())
    return {
        "day": f["day"].isoformat(),
        "summary": _row(f["summary"]),
        "queues": [_row(r) for r in f["queues"]],
        "windows": [_row(r) for r in f["windows"]],
        "clerks": [_row(r) for r in f["clerks"]],
        "hours": [_row(r) for r in f["hours"]],
        "estimate": f["estimate"],
    }


@router.get(
    "/centers/{code}/settings",
    response=SettingsOut,
    auth=session_auth,
    summary="The center's queue rules",
)
def get_settings(request, code: str):
    return selectors.settings_for(_center(request, code))


@router.put(
    "/centers/{code}/settings",
    response=SettingsOut,
    auth=session_auth,
    summary="Change the center's queue rules (manager)",
)
def put_settings(request, code: str, payload: SettingsIn):
    center = _center(request, code, Action.MANAGE_CENTER)
    values = {k: v for k, v in payload.dict().items() if v is not None}
    return services.update_settings(request.auth, center, **values)


@router.get(
    "/devices/me/center",
    response=Detail,
    auth=staff_or_device,
    summary="Which center this kiosk or display serves",
)
def device_center(request):
    device = _device(request)
    if device is None:
        raise PermissionDenied(_("Only a device asks this."))
    return {"detail": device.center.region.code}
