"""The citizen's pages (mobile first) and the 24-hour kiosk. Thin: parse, call, render."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bianmin.cases import machine
from bianmin.cases import selectors as case_selectors
from bianmin.cases.models import Case, OneTimeNotice
from bianmin.catalog.models import Domain, LifeEvent, ServiceItem
from bianmin.catalog.selectors import SearchFilters, published_guide, search_items
from bianmin.hall import selectors as hall_selectors
from bianmin.identity.models import Person
from bianmin.identity.roles import Role
from bianmin.org.models import Center
from bianmin.queueing import selectors as queue_selectors
from bianmin.queueing.models import Appointment, AppointmentSlot, Ticket
from bianmin.workdays.services import is_workday

from . import services
from .models import Application

BACKEND = "bianmin.identity.backends.LockoutBackend"
KIOSK_SESSION_SECONDS = 180


def _ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _errors(error: ValidationError) -> dict[str, str]:
    if hasattr(error, "error_dict"):
        return {
            ("all" if k == "__all__" else k.replace(".", "_")): " ".join(v)
            for k, v in error.message_dict.items()
        }
    return {"all": " ".join(error.messages)}


def _person(request) -> Person | None:
    user = request.user
    if user.is_authenticated and user.role == Role.CITIZEN:
        return getattr(user, "person", None)
    return None


def _login_url(request) -> str:
    return reverse("portal:login") + "?next=" + request.get_full_path()


def _citizen_required(view):
    def wrapped(request, *args, **kwargs):
        if _person(request) is None:
            return redirect(_login_url(request))
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def feedback_links() -> dict[str, str]:
    """The ratings app's citizen pages when it is installed (built beside the portal)."""
    try:
        return {"report": reverse("feedback:citizen_report")}
    except NoReverseMatch:
        return {}


# --- Browsing ----------------------------------------------------------------------------------


def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "events": LifeEvent.objects.order_by("name"),
            "domains": Domain.objects.order_by("order", "code"),
            "popular": search_items(SearchFilters(frequency="high"), limit=8),
            "person": _person(request),
            "feedback": feedback_links(),
        },
    )


def search(request):
    q = (request.GET.get("q") or "").strip()[:60]
    domain = request.GET.get("domain", "")
    event = request.GET.get("event", "")
    online_only = request.GET.get("online") == "1"
    items = search_items(
        SearchFilters(
            q=q, domain=domain, life_event=event, channel="online" if online_only else ""
        ),
        limit=60,
    )
    template = "portal/_results.html" if request.headers.get("HX-Request") else "portal/search.html"
    return render(
        request,
        template,
        {
            "q": q,
            "items": items,
            "domain": Domain.objects.filter(code=domain).first() if domain else None,
            "event": event,
            "online_only": online_only,
            "events": LifeEvent.objects.order_by("name"),
            "domains": Domain.objects.order_by("order", "code"),
        },
    )


def _item(code: str) -> ServiceItem:
    item = (
        ServiceItem.objects.select_related("domain")
        .filter(basic_code=code, status=ServiceItem.Status.ACTIVE)
        .first()
    )
    if item is None:
        raise Http404
    return item


def guide(request, code: str):
    item = _item(code)
    version = published_guide(item)
    if version is None:
        raise Http404
    centers = services.online_centers(item)
    center = _chosen_center(request, centers)
    response = render(
        request,
        "portal/guide.html",
        {
            "item": item,
            "guide": version,
            "materials": version.materials.order_by("order", "id"),
            "steps": version.steps.order_by("order", "id"),
            "fees": version.fees.order_by("order", "id"),
            "faqs": version.faqs.order_by("order", "id"),
            "centers": centers,
            "center": center,
            "person": _person(request),
        },
    )
    if center is not None and request.GET.get("center"):
        response.set_cookie("bm_center", center.region.code, max_age=365 * 86400, samesite="Lax")
    return response


def _chosen_center(request, centers: list[Center]) -> Center | None:
    """The center asked for, else the last one used in this browser, else the citizen's last
    application's."""
    code = (
        request.GET.get("center") or request.POST.get("center") or request.COOKIES.get("bm_center")
    )
    chosen = next((c for c in centers if c.region.code == code), None)
    user = request.user
    if chosen is None and user.is_authenticated and getattr(user, "role", "") == "citizen":
        last = Application.objects.filter(user=user).order_by("-pk").values("center_id").first()
        if last:
            chosen = next((c for c in centers if c.pk == last["center_id"]), None)
    return chosen


# --- Login ---------------------------------------------------------------------------------------


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return reverse("portal:mine")


def _labelled(files):
    """Each file named by its material (older online files carry only the uploaded name)."""
    out = []
    for f in files:
        material = f.material.name if f.material_id else ""
        f.label = (
            f.name if not material or f.name.startswith(material) else f"{material}（{f.name}）"
        )
        out.append(f)
    return out


def login_view(request):
    errors: dict = {}
    step = "mobile"
    mobile = (request.POST.get("mobile") or "").strip()
    if request.method == "GET":
        # A code already sent stays the next step: a reload (or coming back from the SMS app)
        # shows where to type it, with a link to change the number.
        pending = request.session.get("portal_pending_mobile")
        at = request.session.get("portal_pending_at", 0)
        if request.GET.get("change") or timezone.now().timestamp() - at > 10 * 60:
            request.session.pop("portal_pending_mobile", None)
            request.session.pop("portal_pending_at", None)
        elif pending:
            step, mobile = "code", pending
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "send":
                services.request_code(mobile, ip=_ip(request))
                request.session["portal_pending_mobile"] = mobile
                request.session["portal_pending_at"] = timezone.now().timestamp()
                step = "code"
                messages.success(request, _("A code was sent by SMS. It is valid for 10 minutes."))
            elif action == "verify":
                step = "code"
                verified = services.verify_code(
                    mobile, request.POST.get("code", ""), ip=_ip(request)
                )
                request.session.pop("portal_pending_mobile", None)
                request.session.pop("portal_pending_at", None)
                if verified.user is None:
                    request.session["portal_verified_mobile"] = verified.mobile
                    request.session["portal_verified_at"] = timezone.now().timestamp()
                    return redirect(reverse("portal:register") + "?next=" + _next(request))
                login(request, verified.user, backend=BACKEND)
                return redirect(_next(request))
        except ValidationError as error:
            errors = _errors(error)
    return render(
        request,
        "portal/login.html",
        {"errors": errors, "step": step, "mobile": mobile, "next": _next(request)},
        status=400 if errors else 200,
    )


def register(request):
    mobile = request.session.get("portal_verified_mobile")
    at = request.session.get("portal_verified_at", 0)
    if not mobile or timezone.now().timestamp() - at > 15 * 60:
        return redirect("portal:login")
    errors: dict = {}
    if request.method == "POST":
        try:
            user = services.register_citizen(
                mobile=mobile,
                name=request.POST.get("name", ""),
                id_number=request.POST.get("id_number", ""),
            )
            request.session.pop("portal_verified_mobile", None)
            login(request, user, backend=BACKEND)
            return redirect(_next(request))
        except ValidationError as error:
            errors = _errors(error)
    return render(
        request,
        "portal/register.html",
        {"errors": errors, "next": _next(request), "name": request.POST.get("name", "")},
        status=400 if errors else 200,
    )


@require_POST
def logout_view(request):
    logout(request)
    return redirect("portal:home")


# --- My affairs ------------------------------------------------------------------------------------


@_citizen_required
def mine(request):
    person = _person(request)
    cases = (
        Case.objects.filter(person=person)
        .select_related("item", "center")
        .order_by("-received_at")[:50]
    )
    today = timezone.localdate()
    return render(
        request,
        "portal/mine.html",
        {
            "person": person,
            "drafts": Application.objects.filter(
                user=request.user, status=Application.Status.DRAFT
            ).select_related("item", "center"),
            "cases": [(c, machine.State(c.state).label) for c in cases],
            "tickets": Ticket.objects.filter(person=person, day=today).select_related("center"),
            "appointments": Appointment.objects.filter(person=person, slot__day__gte=today)
            .select_related("slot__center")
            .order_by("slot__day", "slot__starts"),
            "feedback": feedback_links(),
        },
    )


@_citizen_required
@require_POST
def apply(request, code: str):
    item = _item(code)
    center = Center.objects.filter(region__code=request.POST.get("center", "")).first()
    if center is None:
        messages.error(request, _("Center: choose the center that will handle your application."))
        return redirect(reverse("portal:guide", args=[code]) + "#apply")
    try:
        application = services.start_application(request.user, item=item, center=center)
    except ValidationError as error:
        messages.error(request, " ".join(_errors(error).values()))
        return redirect(reverse("portal:guide", args=[code]) + "#apply")
    return redirect("portal:application", pk=application.pk)


def _application(request, pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("item", "center", "case"), pk=pk, user=request.user
    )
    return application


@_citizen_required
def application(request, pk: int):
    """The draft: centre, note and one upload field per material of the guide. Every post first
    saves the text, then stores each chosen file (each on its own: a refused file leaves the
    draft and the other files as they were), then does the button's action."""
    app = _application(request, pk)
    if app.status == Application.Status.SUBMITTED:
        return redirect("portal:case", number=app.case.number)
    errors: dict = {}
    failed_material = None
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if "upload" in request.POST:
            action = "upload"
        if "remove" in request.POST:
            action = "remove"
        try:
            if action == "discard":
                services.discard_application(request.user, app)
                messages.success(request, _("Draft deleted."))
                return redirect("portal:mine")
            center = Center.objects.filter(region__code=request.POST.get("center", "")).first()
            services.save_application(
                request.user, app, note=request.POST.get("note", app.note), center=center
            )
            uploaded_any = False
            for key in sorted(request.FILES):
                if not key.startswith("file_"):
                    continue
                failed_material = key[5:]
                for f in request.FILES.getlist(key):
                    services.add_file(request.user, app, material=failed_material, uploaded=f)
                    uploaded_any = True
            failed_material = None
            if action == "upload":
                if not uploaded_any:
                    failed_material = request.POST.get("upload")
                    raise ValidationError({"file": [_("File: choose a file to upload.")]})
                messages.success(request, _("Uploaded and saved in your draft."))
                return redirect(
                    reverse("portal:application", args=[app.pk]) + f"#m{request.POST['upload']}"
                )
            if action == "remove":
                services.remove_file(request.user, app, int(request.POST.get("remove") or 0))
                messages.success(request, _("File removed."))
                return redirect("portal:application", pk=app.pk)
            if action == "submit":
                case = services.submit_application(request.user, app)
                messages.success(
                    request,
                    _(
                        "Submitted. Your case number is %(number)s; the center will check your "
                        "materials."
                    )
                    % {"number": case.number},
                )
                return redirect("portal:case", number=case.number)
            messages.success(request, _("Draft saved. You can come back to it at any time."))
            return redirect("portal:application", pk=app.pk)
        except ValidationError as error:
            errors = _errors(error)
        app.refresh_from_db()
    materials = services.guide_materials(app)
    files = list(app.files.all())
    rows = [
        {
            "material": m,
            "files": [f for f in files if f.material_id == m.pk],
            "error": errors.get("file") if str(m.pk) == str(failed_material) else "",
        }
        for m in materials
    ]
    if errors.get("file") and not any(r["error"] for r in rows):
        errors.setdefault("all", errors["file"])
    missing = [
        r["material"] for r in rows if r["material"].necessity == "required" and not r["files"]
    ]
    return render(
        request,
        "portal/application.html",
        {
            "app": app,
            "rows": rows,
            "missing": missing,
            "errors": errors,
            "centers": services.online_centers(app.item),
            "max_mb": services.uploads.max_bytes() // (1024 * 1024),
        },
        status=400 if errors else 200,
    )


def _my_case(request, number: str) -> Case:
    case = (
        Case.objects.select_related("item", "center", "guide")
        .prefetch_related("events", "notices", "files")
        .filter(number=number, person=_person(request))
        .first()
    )
    if case is None:
        raise Http404
    return case


@_citizen_required
def case(request, number: str):
    case = _my_case(request, number)
    errors: dict = {}
    if request.method == "POST":
        by_material: dict[int, list] = {}
        for key in request.FILES:
            if key.startswith("file_"):
                try:
                    by_material[int(key[5:])] = request.FILES.getlist(key)
                except ValueError:
                    continue
        try:
            services.answer_notice(request.user, case, by_material)
            messages.success(
                request, _("Thank you. The materials were sent; the center will check them.")
            )
            return redirect("portal:case", number=case.number)
        except (ValidationError, PermissionDenied) as error:
            errors = _errors(error) if isinstance(error, ValidationError) else {"all": str(error)}
    notice = None
    if case.state == machine.State.NOTICE_ISSUED:
        notice = OneTimeNotice.objects.filter(case=case).order_by("-number").first()
    return render(
        request,
        "portal/case.html",
        {
            "case": case,
            "state_label": machine.State(case.state).label,
            "steps": case_selectors.progress_steps(case),
            "clock_text": case_selectors.clock_text(case),
            "notice": notice,
            "files": _labelled(case.files.select_related("material")),
            "errors": errors,
            "rate_url": _rate_url(case),
            "feedback": feedback_links(),
        },
        status=400 if errors else 200,
    )


def _rate_url(case: Case) -> str:
    """The rating page (/rate/<token>/) of a finished case, through the ratings app's service;
    empty while the case is not finished or when that app is absent."""
    try:
        from bianmin.feedback import services as feedback  # noqa: PLC0415
    except ImportError:
        return ""
    try:
        if not feedback.case_is_finished(case):
            return ""
        invitation = feedback.invitation_for_case(case)
        return reverse("feedback:rate", args=[invitation.token])
    except (ValidationError, AttributeError, NoReverseMatch):
        return ""


# --- Tickets and bookings from afar -----------------------------------------------------------


@_citizen_required
@require_POST
def take_ticket(request, code: str):
    item = _item(code)
    center = Center.objects.filter(region__code=request.POST.get("center", "")).first()
    if center is None:
        messages.error(request, _("Center: choose where you will go."))
        return redirect(reverse("portal:guide", args=[code]) + "#visit")
    opening = hall_selectors.opening_status(center, timezone.now())
    if opening.closed_for_the_day:
        # A number now is for people on their way; a booking is the way to come another day.
        messages.error(request, hall_selectors.closed_message(opening))
        return redirect(
            reverse("portal:guide", args=[code]) + f"?center={center.region.code}#visit"
        )
    try:
        ticket = services.take_ticket(request.user, center=center, item=item)
    except (ValidationError, PermissionDenied) as error:
        messages.error(
            request,
            " ".join(_errors(error).values()) if isinstance(error, ValidationError) else str(error),
        )
        return redirect(reverse("portal:guide", args=[code]) + "#visit")
    return redirect("queueing:ticket", public_id=ticket.public_id)


@_citizen_required
def book(request, code: str):
    item = _item(code)
    centers = services.online_centers(item)
    center = next((c for c in centers if c.region.code == request.GET.get("center")), None)
    if center is None:
        center = next((c for c in centers if c.region.code == request.POST.get("center")), None)
    if center is None:
        messages.error(request, _("Center: choose where you will go."))
        return redirect(reverse("portal:guide", args=[code]) + "#visit")
    today = timezone.localdate()
    days, cursor = [], today
    while len(days) < 7:
        if is_workday(cursor):
            days.append(cursor)
        cursor += dt.timedelta(days=1)
    day = parse_date(request.GET.get("day") or "") or days[0]
    errors: dict = {}
    booking = None
    if request.method == "POST":
        slot = AppointmentSlot.objects.filter(
            center=center, pk=request.POST.get("slot") or 0
        ).first()
        if slot is None:
            errors = {"slot": _("Slot: choose a time.")}
        else:
            day = slot.day
            try:
                booking = services.book(
                    request.user,
                    slot=slot,
                    item=item,
                    idempotency_key=request.POST.get("idempotency_key", ""),
                )
            except (ValidationError, PermissionDenied) as error:
                text = (
                    " ".join(_errors(error).values())
                    if isinstance(error, ValidationError)
                    else str(error)
                )
                errors = {"all": text}
    now = timezone.now()
    slots = [
        s
        for s in queue_selectors.open_slots(center, day)
        if timezone.make_aware(dt.datetime.combine(s.day, s.starts)) > now
    ]
    return render(
        request,
        "portal/book.html",
        {
            "item": item,
            "center": center,
            "days": days,
            "day": day,
            "slots": slots,
            "booking": booking,
            "errors": errors,
            "idempotency_key": secrets.token_hex(8),
        },
        status=400 if errors else 200,
    )


# --- Progress lookup (no login) ----------------------------------------------------------------


def _progress_context(case: Case) -> dict:
    return {
        "case": case,
        "masked_name": case_selectors.mask_name(case.applicant_name),
        "steps": case_selectors.progress_steps(case),
        "clock_text": case_selectors.clock_text(case),
        "state_label": machine.State(case.state).label,
        "county_wait": case_selectors.county_wait(case),  # 转报: who decides now, and by when
    }


def _lookup(request, template: str, extra: dict):
    errors: dict = {}
    if request.method == "POST":
        try:
            case = services.lookup_case(
                number=request.POST.get("number", ""),
                secret=request.POST.get("secret", ""),
                ip=_ip(request),
            )
            response = render(
                request, template, {**extra, **_progress_context(case), "found": True}
            )
            response["X-Robots-Tag"] = "noindex"
            return response
        except ValidationError as error:
            errors = _errors(error)
    return render(
        request,
        template,
        {**extra, "errors": errors, "number": request.POST.get("number", "")},
        status=400 if errors else 200,
    )


def progress(request):
    return _lookup(request, "portal/progress.html", {})


def report(request):
    links = feedback_links()
    if links.get("report"):
        return redirect(links["report"])
    return render(request, "portal/report.html", {})


# --- The kiosk ----------------------------------------------------------------------------------


def _kiosk_center(code: str) -> Center:
    return get_object_or_404(Center.objects.select_related("region"), region__code=code)


def _kiosk_ctx(center: Center, **extra) -> dict:
    return {"center": center, "kiosk": True, "idle_seconds": 90, **extra}


def kiosk_home(request, code: str):
    center = _kiosk_center(code)
    opening = hall_selectors.opening_status(center, timezone.now())
    return render(
        request,
        "portal/kiosk/home.html",
        _kiosk_ctx(
            center,
            events=LifeEvent.objects.order_by("name")[:12],
            closed_message=hall_selectors.closed_message(opening)
            if opening.closed_for_the_day
            else "",
        ),
    )


def kiosk_guides(request, code: str):
    center = _kiosk_center(code)
    q = (request.GET.get("q") or "").strip()[:60]
    event = request.GET.get("event", "")
    items = search_items(SearchFilters(q=q, life_event=event, center=center), limit=40)
    return render(
        request,
        "portal/kiosk/guides.html",
        _kiosk_ctx(
            center, items=items, q=q, event=event, events=LifeEvent.objects.order_by("name")
        ),
    )


def kiosk_guide(request, code: str, item_code: str):
    center = _kiosk_center(code)
    item = _item(item_code)
    version = published_guide(item)
    if version is None:
        raise Http404
    return render(
        request,
        "portal/kiosk/guide.html",
        _kiosk_ctx(
            center,
            item=item,
            guide=version,
            materials=version.materials.order_by("order", "id"),
        ),
    )


def kiosk_progress(request, code: str):
    center = _kiosk_center(code)
    return _lookup(request, "portal/kiosk/progress.html", _kiosk_ctx(center))


def kiosk_mine(request, code: str):
    """At the kiosk: identity number and name show one's cases for a few minutes."""
    center = _kiosk_center(code)
    errors: dict = {}
    person = None
    session = request.session.get("portal_kiosk")
    if request.method == "POST":
        if request.POST.get("action") == "end":
            request.session.pop("portal_kiosk", None)
            return redirect("portal:kiosk", code=code)
        try:
            person = services.kiosk_identify(
                id_number=request.POST.get("id_number", ""),
                name=request.POST.get("name", ""),
                ip=_ip(request),
            )
            request.session["portal_kiosk"] = {
                "person": person.pk,
                "at": timezone.now().timestamp(),
            }
        except ValidationError as error:
            errors = _errors(error)
    elif session and timezone.now().timestamp() - session.get("at", 0) < KIOSK_SESSION_SECONDS:
        person = Person.objects.filter(pk=session["person"]).first()
    cases = []
    if person is not None:
        cases = [
            (c, machine.State(c.state).label)
            for c in Case.objects.filter(person=person)
            .select_related("item", "center")
            .order_by("-received_at")[:20]
        ]
    return render(
        request,
        "portal/kiosk/mine.html",
        _kiosk_ctx(
            center,
            person=person,
            masked_name=case_selectors.mask_name(person.name) if person else "",
            cases=cases,
            errors=errors,
        ),
        status=400 if errors else 200,
    )
