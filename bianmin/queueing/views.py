"""Queue pages: the clerk's desk, the kiosk, the ticket (public, printable), the display board
and window screens with their event stream, appointments, figures and the manager's settings.

Thin: each view parses, calls a service or a selector, and renders. Errors from the services
(``ValidationError`` with the field named, ``PermissionDenied``) are shown in Chinese.
"""

from __future__ import annotations

import datetime as dt
import uuid

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_time
from django.utils.html import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bianmin.catalog.models import LifeEvent, ServiceItem
from bianmin.catalog.selectors import entered_items
from bianmin.hall import selectors as hall_selectors
from bianmin.hall import services as hall_services
from bianmin.hall.models import Attendance, Post, Window
from bianmin.identity.models import Device
from bianmin.identity.permissions import Action, authorize, can
from bianmin.identity.roles import Role
from bianmin.identity.services import device_for_token, register_device
from bianmin.org.models import Center
from bianmin.workdays.services import is_workday

from . import access, figures, selectors, services, stream
from .models import (
    Appointment,
    AppointmentSlot,
    Channel,
    PriorityGroup,
    PriorityReason,
    Queue,
    QueueEvent,
    Ticket,
    Visit,
)


def _center(code: str) -> Center:
    return get_object_or_404(Center.objects.select_related("region__parent"), region__code=code)


def _staff_center(request, code: str, action: str = Action.VIEW_CENTER) -> Center:
    center = _center(code)
    authorize(request.user, action, center=center)
    return center


def _errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            field: [m for e in errs for m in e.messages] for field, errs in error.error_dict.items()
        }
    return {"__all__": error.messages}


def _first_error(error: ValidationError) -> str:
    return next(iter(_errors(error).values()))[0]


def qr_svg(url: str, scale: int = 4) -> str:
    """The QR code (segno) as inline SVG: a phone follows the ticket with it."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=scale, border=2))


# --- The clerk's desk ---------------------------------------------------------------------


@login_required
def index(request):
    user = request.user
    if user.center_id and can(user, Action.VIEW_CENTER, center=user.center):
        return redirect("queueing:desk", code=user.center.region.code)
    if not can(user, Action.VIEW_CENTER):
        raise PermissionDenied(_("Your role may not view the queue of a center."))
    return redirect("core:centers")


def _my_windows(user, center: Center) -> list[Window]:
    if user.role == Role.CENTER_MANAGER:
        return list(center.windows.filter(active=True).order_by("number"))
    ids = set(
        Post.objects.filter(window__center=center)
        .filter(primary=user)
        .values_list("window_id", flat=True)
    ) | set(
        Post.objects.filter(window__center=center, backup=user).values_list("window_id", flat=True)
    )
    return list(center.windows.filter(pk__in=ids, active=True).order_by("number"))


def _chosen_window(request, center: Center) -> Window | None:
    user = request.user
    number = request.GET.get("window") or request.POST.get("window")
    mine = _my_windows(user, center)
    if number:
        window = next((w for w in mine if str(w.number) == str(number)), None)
        if window is not None:
            return window
    attending = (
        Attendance.objects.filter(window__center=center, clerk=user, closed_at__isnull=True)
        .select_related("window")
        .first()
    )
    if attending is not None:
        return attending.window
    own = Post.objects.filter(window__center=center, primary=user).select_related("window").first()
    if own is not None:
        return own.window
    return mine[0] if mine else None


def _desk_context(request, center: Center, window: Window | None = None) -> dict:
    now = timezone.now()
    day = timezone.localdate(now)
    user = request.user
    window = window or _chosen_window(request, center)
    cfg = selectors.center_config(center)
    p = selectors.presence(center)
    context = {
        "center": center,
        "window": window,
        "my_windows": _my_windows(user, center),
        "can_serve": can(user, Action.SERVE_AT_WINDOW, center=center),
        "can_manage": can(user, Action.MANAGE_CENTER, center=center),
        "queues": list(cfg.queues.values()),
        "counts": selectors.waiting_counts(center, day),
        "held": selectors.held_tickets(center, day),
        "outcomes": [
            (Visit.Outcome.ENQUIRY, Visit.Outcome.ENQUIRY.label),
            (Visit.Outcome.CASE, Visit.Outcome.CASE.label),
            (Visit.Outcome.REFERRED, Visit.Outcome.REFERRED.label),
        ],
        "priority_reasons": [
            (v, label) for v, label in PriorityReason.choices if v != PriorityReason.GROUP
        ],
        "groups": selectors.priority_groups(center),
        "all_windows": center.windows.filter(active=True).order_by("number"),
        "recall_limit": cfg.settings.recall_limit,
        "idempotency_key": uuid.uuid4().hex,
        "board": selectors.board_snapshot(center, now),
    }
    for q in context["queues"]:
        q.waiting = context["counts"].get(q.pk, 0)
    if window is not None:
        served = p.served_queues(window.pk)
        current = selectors.open_ticket_at(window)
        context.update(
            window_open=window.pk in p.open_windows,
            window_away=p.away.get(window.pk),
            window_stand_in=p.numbers.get(p.stand_in.get(window.pk)),
            attendance_clerk=p.open_windows.get(window.pk),
            served=[cfg.queues[q] for q in sorted(served, key=lambda q: cfg.queues[q].letter)],
            standing_in=[
                (p.away[w], cfg.windows[w]) for w, s in p.stand_in.items() if s == window.pk
            ],
            current=current,
            history=selectors.ticket_history(current) if current else [],
            visit_links=selectors.visit_links(current.visit) if current and current.visit else [],
            case_numbers=" ".join(selectors.visit_case_numbers(current.visit))
            if current and current.visit
            else "",
            waiting=selectors.waiting_list(served, day, now) if served else [],
        )
    context["items"] = list(entered_items(center).select_related("domain"))
    return context


@login_required
def desk(request, code: str):
    center = _staff_center(request, code)
    services.ensure_queues(center)
    services.close_day(center)
    context = _desk_context(request, center)
    if request.headers.get("HX-Request") and request.GET.get("part") == "waiting":
        return render(request, "queueing/_waiting.html", context)
    return render(request, "queueing/desk.html", context)


def _desk_redirect(code: str, window: Window | None):
    url = reverse("queueing:desk", args=[code])
    return redirect(f"{url}?window={window.number}" if window else url)


@login_required
@require_POST
def desk_action(request, code: str, number: int, action: str):
    center = _staff_center(request, code, Action.SERVE_AT_WINDOW)
    window = get_object_or_404(Window, center=center, number=number)
    user = request.user
    ticket = None
    if request.POST.get("ticket"):
        ticket = get_object_or_404(Ticket, pk=request.POST["ticket"], center=center)
    try:
        if action == "open":
            hall_services.open_window(user, window)
            messages.success(request, _("%(window)s is open.") % {"window": window})
        elif action == "close":
            hall_services.close_window(user, window)
            messages.success(request, _("%(window)s is closed.") % {"window": window})
        elif action == "call":
            called = services.call_next(user, window)
            if called is None:
                messages.info(request, _("Nobody is waiting for this window."))
            else:
                messages.success(request, selectors.call_text(called.code, window.number))
        elif ticket is None:
            raise Http404
        elif action == "recall":
            services.recall(user, ticket)
        elif action == "start":
            services.start_service(user, ticket)
        elif action == "finish":
            try:
                services.finish_service(
                    user,
                    ticket,
                    outcome=request.POST.get("outcome", Visit.Outcome.ENQUIRY),
                    note=request.POST.get("note", ""),
                    referred_to=request.POST.get("referred_to", ""),
                    contact_name=request.POST.get("contact_name", ""),
                    contact_mobile=request.POST.get("contact_mobile", ""),
                    case_reference=request.POST.get("case_reference", ""),
                )
            except ValidationError as error:
                # The desk again with the finish form as typed and the error beside its field.
                context = _desk_context(request, center, window)
                errors = _errors(error)
                context.update(
                    finish_errors=errors,
                    finish_general_errors=errors.pop("__all__", []),
                    finish_values=request.POST,
                )
                return render(request, "queueing/desk.html", context, status=400)
            messages.success(request, _("%(code)s is done.") % {"code": ticket.code})
        elif action == "hold":
            services.hold(user, ticket, note=request.POST.get("note", ""))
        elif action == "call_back":
            services.call_back(user, ticket, window)
        elif action == "no_show":
            services.mark_no_show(user, ticket)
        elif action == "transfer":
            target = request.POST.get("target", "")
            to_queue = to_window = None
            if target.startswith("q"):
                to_queue = Queue.objects.filter(center=center, pk=target[1:] or 0).first()
            elif target.startswith("w"):
                to_window = Window.objects.filter(center=center, pk=target[1:] or 0).first()
            services.transfer(
                user,
                ticket,
                to_queue=to_queue,
                to_window=to_window,
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("%(code)s has been transferred.") % {"code": ticket.code})
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, _first_error(error))
    return _desk_redirect(code, window)


@login_required
@require_POST
def desk_issue(request, code: str):
    """A clerk takes a ticket for someone at the desk (who did not use the kiosk)."""
    center = _staff_center(request, code, Action.SERVE_AT_WINDOW)
    item = ServiceItem.objects.filter(pk=request.POST.get("item") or 0).first()
    group = PriorityGroup.objects.filter(
        center=center, pk=request.POST.get("priority_group") or 0
    ).first()
    try:
        ticket = services.issue_ticket(
            center,
            channel=Channel.CLERK,
            actor=request.user,
            item=item,
            id_number=request.POST.get("id_number", ""),
            priority=request.POST.get("priority", ""),
            priority_group=group,
            idempotency_key=request.POST.get("idempotency_key", ""),
        )
        messages.success(
            request,
            _("Ticket %(code)s issued (queue %(letter)s).")
            % {"code": ticket.code, "letter": ticket.queue.letter},
        )
    except ValidationError as error:
        messages.error(request, _first_error(error))
    window = Window.objects.filter(center=center, number=request.POST.get("window") or 0).first()
    return _desk_redirect(code, window)


@login_required
def ticket_detail(request, code: str, pk: int):
    center = _staff_center(request, code)
    ticket = get_object_or_404(
        Ticket.objects.select_related("queue", "item", "visit__first_responder", "window", "clerk"),
        pk=pk,
        center=center,
    )
    return render(
        request,
        "queueing/ticket_detail.html",
        {"center": center, "ticket": ticket, "history": selectors.ticket_history(ticket)},
    )


# --- Devices ------------------------------------------------------------------------------


def device_pair(request):
    """Pair this browser with a kiosk or display by its token (once; a cookie keeps it)."""
    error = None
    if request.method == "POST":
        token = (request.POST.get("token") or "").strip()
        device = device_for_token(token) if token else None
        if device is None:
            error = _("Device token: not valid, or the device was retired.")
        else:
            code = device.center.region.code
            target = {
                Device.Kind.KIOSK: reverse("queueing:kiosk", args=[code]),
                Device.Kind.DISPLAY: reverse("queueing:display", args=[code]),
            }.get(device.kind, reverse("queueing:display", args=[code]))
            response = redirect(target)
            access.pair(response, device)
            return response
    device = access.device_from_request(request)
    return render(
        request,
        "queueing/device.html",
        {"error": error, "device": device},
        status=400 if error else 200,
    )


# --- The kiosk ------------------------------------------------------------------------------


def _kiosk_access(request, center):
    return access.screen_access(
        request, center, kinds=(Device.Kind.KIOSK,), staff_action=Action.SERVE_AT_WINDOW
    )


def kiosk(request, code: str):
    """取号机: touch, large type. Choose 咨询, an item (by domain) or a life event; then the
    priority lane and the identity number (both optional); then the ticket prints."""
    center = _center(code)
    user, device = _kiosk_access(request, center)
    return _kiosk_page(request, center, user, device, request.GET)


def _kiosk_page(request, center, user, device, chosen, *, errors=None, values=None, status=200):
    """The kiosk's two steps; ``chosen`` holds item/event/enquiry (the query, or the form
    posted back with ``errors`` beside the fields and the typed ``values`` kept)."""
    services.ensure_queues(center)
    items = list(entered_items(center).select_related("domain"))
    by_domain: dict = {}
    for item in items:
        by_domain.setdefault(item.domain, []).append(item)
    chosen_item = chosen_event = None
    if chosen.get("item"):
        chosen_item = next((i for i in items if str(i.pk) == chosen["item"]), None)
    if chosen.get("event"):
        chosen_event = LifeEvent.objects.filter(pk=chosen["event"] or 0, items__in=items).first()
    enquiry = not (chosen_item or chosen_event) and bool(
        chosen.get("enquiry") or (values is not None)
    )
    step = "choose"
    if chosen_item or chosen_event or enquiry:
        step = "details"
    events = LifeEvent.objects.filter(items__in=items).distinct().order_by("name")
    opening = hall_selectors.opening_status(center, timezone.now())
    closed = opening if opening.closed_for_the_day else None
    if closed is not None:
        step = "closed"  # only check-in (a booking is valid whatever the hour) is offered
    return render(
        request,
        "queueing/kiosk.html",
        {
            "center": center,
            "closed_message": hall_selectors.closed_message(closed) if closed else "",
            "lunch_until": hall_selectors.next_opening_text(opening.next_opens)
            if opening.between_sessions
            else "",
            "device": device,
            "staff": user,
            "step": step,
            "domains": by_domain,
            "events": events,
            "item": chosen_item,
            "event": chosen_event,
            "enquiry": enquiry,
            "domain_filter": request.GET.get("domain", ""),
            "errors": errors or {},
            "values": values or {},
            "reasons": [
                (v, label) for v, label in PriorityReason.choices if v != PriorityReason.GROUP
            ],
            "groups": selectors.priority_groups(center),
            "idempotency_key": uuid.uuid4().hex,
            "settings": selectors.settings_for(center),
        },
        status=status,
    )


@require_POST
def kiosk_take(request, code: str):
    center = _center(code)
    user, device = _kiosk_access(request, center)
    key = request.POST.get("idempotency_key", "")
    if selectors.walk_in_closed(center) is not None:
        # A double tap across closing time still finds the ticket the first tap took.
        taken = Ticket.objects.filter(center=center, idempotency_key=key).first() if key else None
        if taken is None:
            return _kiosk_page(request, center, user, device, {}, status=409)
        return redirect(f"{reverse('queueing:ticket', args=[taken.public_id])}?kiosk=1")
    item = ServiceItem.objects.filter(pk=request.POST.get("item") or 0).first()
    event = LifeEvent.objects.filter(pk=request.POST.get("event") or 0).first()
    priority, _sep, group_id = request.POST.get("priority", "").partition(":")  # "group:7"
    group = PriorityGroup.objects.filter(center=center, pk=group_id or 0).first()
    try:
        ticket = services.issue_ticket(
            center,
            channel=Channel.KIOSK,
            actor=user,
            device=device,
            item=item,
            life_event=event,
            id_number=request.POST.get("id_number", ""),
            priority=priority,
            priority_group=group,
            idempotency_key=key,
        )
    except ValidationError as error:
        # The same step again, the typed values kept and the error beside its field.
        return _kiosk_page(
            request,
            center,
            user,
            device,
            request.POST,
            errors=_errors(error),
            values=request.POST,
            status=400,
        )
    return redirect(f"{reverse('queueing:ticket', args=[ticket.public_id])}?kiosk=1")


def kiosk_checkin(request, code: str):
    """预约签到 at the kiosk: the booking code or the identity number."""
    center = _center(code)
    user, device = _kiosk_access(request, center)
    errors: dict = {}
    if request.method == "POST":
        try:
            ticket = services.check_in(
                center,
                code=request.POST.get("code", ""),
                id_number=request.POST.get("id_number", ""),
                channel=Channel.KIOSK,
                actor=user,
                device=device,
            )
            return redirect(f"{reverse('queueing:ticket', args=[ticket.public_id])}?kiosk=1")
        except ValidationError as error:
            errors = _errors(error)
    return render(
        request,
        "queueing/kiosk_checkin.html",
        {"center": center, "errors": errors, "values": request.POST},
        status=400 if errors else 200,
    )


# --- The ticket: public, printable ---------------------------------------------------------


def _ticket_context(request, ticket: Ticket) -> dict:
    url = request.build_absolute_uri(reverse("queueing:ticket", args=[ticket.public_id]))
    estimate = selectors.ticket_estimate(ticket)
    return {
        "ticket": ticket,
        "center": ticket.center,
        "estimate": estimate,
        "qr": qr_svg(url),
        "url": url,
        "kiosk": bool(request.GET.get("kiosk")),
        "appointment": getattr(ticket, "appointment", None)
        if ticket.channel == Channel.APPOINTMENT
        else None,
    }


def _public_ticket(public_id: str) -> Ticket:
    return get_object_or_404(
        Ticket.objects.select_related("center__region", "queue", "item", "life_event", "window"),
        public_id=public_id,
    )


def ticket(request, public_id: str):
    """The ticket as a citizen follows it on a phone (the QR code leads here)."""
    t = _public_ticket(public_id)
    context = _ticket_context(request, t)
    if request.headers.get("HX-Request"):
        return render(request, "queueing/_ticket_status.html", context)
    return render(request, "queueing/ticket.html", context)


def ticket_print(request, public_id: str):
    """Thermal paper: ``?paper=58`` (default) or ``?paper=80`` millimetres wide."""
    t = _public_ticket(public_id)
    context = _ticket_context(request, t)
    paper = request.GET.get("paper", "58")
    context["paper"] = 80 if paper == "80" else 58
    context["auto"] = bool(request.GET.get("auto"))
    return render(request, "queueing/ticket_print.html", context)


@require_POST
def ticket_cancel(request, public_id: str):
    t = _public_ticket(public_id)
    try:
        services.cancel_ticket(t, channel=Channel.PORTAL)
        messages.success(request, _("Your ticket %(code)s is cancelled.") % {"code": t.code})
    except ValidationError as error:
        messages.error(request, _first_error(error))
    return redirect("queueing:ticket", public_id=public_id)


# --- The display board and window screens ------------------------------------------------------


def _board_access(request, center):
    return access.screen_access(request, center, kinds=(Device.Kind.DISPLAY, Device.Kind.KIOSK))


def display(request, code: str):
    """The big screen in the hall: current calls per window, the last calls, waiting counts;
    pushed by the server (SSE) and spoken in Mandarin by the browser."""
    center = _center(code)
    _board_access(request, center)
    services.ensure_queues(center)
    return render(
        request,
        "queueing/display.html",
        {"center": center, "snapshot": selectors.board_snapshot(center)},
    )


def window_screen(request, code: str, number: int):
    center = _center(code)
    _board_access(request, center)
    window = get_object_or_404(Window, center=center, number=number)
    return render(
        request,
        "queueing/window_screen.html",
        {"center": center, "window": window, "snapshot": selectors.board_snapshot(center)},
    )


def board_json(request, code: str):
    center = _center(code)
    _board_access(request, center)
    return JsonResponse(selectors.board_snapshot(center), json_dumps_params={"ensure_ascii": False})


def events(request, code: str):
    # Under ASGI the thread's connection is closed after this (the view's thread is done with
    # the database; the stream lasts for hours).
    with stream.database_slot(request):
        center = _center(code)
        _board_access(request, center)
    return stream.response_for(request, center)


# --- Figures, appointments, settings ------------------------------------------------------------


def _day(request, default: dt.date | None = None) -> dt.date:
    return parse_date(request.GET.get("day") or "") or default or timezone.localdate()


@login_required
def figures_page(request, code: str):
    center = _staff_center(request, code)
    day = _day(request)
    return render(
        request,
        "queueing/figures.html",
        {
            "center": center,
            "day": day,
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
            "f": figures.day_figures(center, day),
        },
    )


@login_required
def appointments(request, code: str):
    center = _staff_center(request, code)
    day = _day(request)
    errors: dict = {}
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "generate":
                authorize(request.user, Action.MANAGE_CENTER, center=center)
                start = parse_date(request.POST.get("from") or "") or timezone.localdate()
                count = int(request.POST.get("days") or 5)
                days = []
                cursor = start
                while len(days) < max(1, min(count, 30)):
                    if is_workday(cursor):
                        days.append(cursor)
                    cursor += dt.timedelta(days=1)
                made = services.generate_slots(
                    request.user,
                    center,
                    days=days,
                    minutes=request.POST.get("minutes") or 30,
                    capacity=request.POST.get("capacity") or 2,
                )
                messages.success(request, _("%(n)d slots created.") % {"n": made})
                return redirect(f"{reverse('queueing:appointments', args=[code])}?day={day}")
            if which == "slot":
                queue = get_object_or_404(Queue, center=center, pk=request.POST.get("queue") or 0)
                services.save_slot(
                    request.user,
                    queue,
                    day=parse_date(request.POST.get("day") or ""),
                    starts=parse_time(request.POST.get("starts") or ""),
                    ends=parse_time(request.POST.get("ends") or ""),
                    capacity=request.POST.get("capacity"),
                )
                messages.success(request, _("Slot saved."))
                return redirect(f"{reverse('queueing:appointments', args=[code])}?day={day}")
            if which == "checkin":
                t = services.check_in(
                    center,
                    code=request.POST.get("code", ""),
                    id_number=request.POST.get("id_number", ""),
                    channel=Channel.CLERK,
                    actor=request.user,
                )
                messages.success(request, _("Checked in: ticket %(code)s.") % {"code": t.code})
                return redirect(f"{reverse('queueing:appointments', args=[code])}?day={day}")
            if which == "cancel":
                booking = get_object_or_404(
                    Appointment, center=center, pk=request.POST.get("appointment") or 0
                )
                services.cancel_appointment(booking, actor=request.user, channel=Channel.CLERK)
                messages.success(request, _("Booking %(code)s cancelled.") % {"code": booking.code})
                return redirect(f"{reverse('queueing:appointments', args=[code])}?day={day}")
        except ValidationError as error:
            errors = _errors(error)
            messages.error(request, _first_error(error))
    services.record_no_shows(center)
    return render(
        request,
        "queueing/appointments.html",
        {
            "center": center,
            "day": day,
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
            "slots": selectors.open_slots(center, day),
            "bookings": selectors.appointments_of_day(center, day),
            "queues": selectors.queues(center),
            "can_manage": can(request.user, Action.MANAGE_CENTER, center=center),
            "errors": errors,
            "today": timezone.localdate(),
        },
    )


def book(request, code: str):
    """预约: a public page to book a slot (the portal links here until it has its own)."""
    center = _center(code)
    services.ensure_queues(center)
    today = timezone.localdate()
    days = []
    cursor = today
    while len(days) < 7:
        if is_workday(cursor):
            days.append(cursor)
        cursor += dt.timedelta(days=1)
    day = parse_date(request.GET.get("day") or "") or days[0]
    errors: dict = {}
    booking = None
    slot = None
    if request.method == "POST":
        slot = AppointmentSlot.objects.filter(
            center=center, pk=request.POST.get("slot") or 0
        ).first()
        item = ServiceItem.objects.filter(pk=request.POST.get("item") or 0).first()
        if slot is None:
            errors = {"slot": [_("Slot: choose a time.")]}
        else:
            try:
                booking = services.book_appointment(
                    slot,
                    name=request.POST.get("name", ""),
                    id_number=request.POST.get("id_number", ""),
                    mobile=request.POST.get("mobile", ""),
                    item=item,
                    channel=Channel.PORTAL,
                    actor=request.user if request.user.is_authenticated else None,
                    idempotency_key=request.POST.get("idempotency_key", ""),
                )
            except ValidationError as error:
                errors = _errors(error)
        if slot is not None:
            day = slot.day
    now = timezone.now()
    slots = [
        s
        for s in selectors.open_slots(center, day)
        if timezone.make_aware(dt.datetime.combine(s.day, s.starts)) > now
    ]
    return render(
        request,
        "queueing/book.html",
        {
            "center": center,
            "days": days,
            "day": day,
            "slots": slots,
            "booking": booking,
            "errors": errors,
            "values": request.POST,
            "chosen": slot,
            "items": entered_items(center),
            "idempotency_key": uuid.uuid4().hex,
        },
        status=400 if errors else 200,
    )


def _rule_fields(center: Center, posted, errors: dict) -> list[dict]:
    from .models import QueueSettings

    rules = selectors.settings_for(center)
    return [
        {
            "name": name,
            "label": QueueSettings._meta.get_field(name).verbose_name,
            "low": low,
            "high": high,
            "value": posted.get(name) if posted is not None else getattr(rules, name),
            "errors": errors.get(name, []),
        }
        for name, (low, high) in services.SETTINGS_LIMITS.items()
    ]


@login_required
def settings_page(request, code: str):
    center = _staff_center(request, code, Action.MANAGE_CENTER)
    services.ensure_queues(center)
    errors: dict = {}
    new_token = None
    new_device = None
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "rules":
                services.update_settings(
                    request.user,
                    center,
                    **{name: request.POST.get(name) for name in services.SETTINGS_LIMITS},
                )
                messages.success(request, _("Queue rules saved."))
                return redirect("queueing:settings", code=code)
            if which == "group":
                services.add_priority_group(request.user, center, name=request.POST.get("name", ""))
                messages.success(request, _("Priority group added."))
                return redirect("queueing:settings", code=code)
            if which == "retire_group":
                group = get_object_or_404(
                    PriorityGroup, center=center, pk=request.POST.get("group") or 0
                )
                services.retire_priority_group(request.user, group)
                return redirect("queueing:settings", code=code)
            if which == "queue":
                queue = get_object_or_404(Queue, center=center, pk=request.POST.get("queue") or 0)
                services.rename_queue(request.user, queue, name=request.POST.get("name", ""))
                messages.success(request, _("Queue renamed."))
                return redirect("queueing:settings", code=code)
            if which == "sync":
                services.sync_queues(request.user, center)
                messages.success(request, _("Queues derived from the windows again."))
                return redirect("queueing:settings", code=code)
            if which == "device":
                kind = request.POST.get("kind")
                name = (request.POST.get("name") or "").strip()
                if kind not in (Device.Kind.KIOSK, Device.Kind.DISPLAY):
                    raise ValidationError({"kind": [_("Device kind: choose kiosk or display.")]})
                if not name:
                    raise ValidationError({"name": [_("Device name: this field is required.")]})
                new_device, new_token = register_device(
                    request.user, center=center, kind=kind, name=name
                )
        except ValidationError as error:
            errors = _errors(error)
    return render(
        request,
        "queueing/settings.html",
        {
            "center": center,
            "rule_fields": _rule_fields(center, request.POST if errors else None, errors),
            "groups": PriorityGroup.objects.filter(center=center).order_by("-active", "name"),
            "queues": Queue.objects.filter(center=center)
            .prefetch_related("windows")
            .order_by("letter"),
            "devices": Device.objects.filter(
                center=center, kind__in=[Device.Kind.KIOSK, Device.Kind.DISPLAY]
            ),
            "errors": errors,
            "new_token": new_token,
            "new_device": new_device,
            "events": QueueEvent.objects.filter(
                center=center,
                kind__in=[
                    QueueEvent.Kind.SETTINGS_CHANGED,
                    QueueEvent.Kind.QUEUES_CHANGED,
                    QueueEvent.Kind.SLOTS_CHANGED,
                ],
            )
            .select_related("actor")
            .order_by("-at")[:10],
        },
        status=400 if errors else 200,
    )
