"""Case pages: the clerk's workbench, the officer's queue, intake, one case with its actions,
printed notices, the case file, materials on file, overdue lists, the dishonesty list, and the
applicant's progress page. Thin: parse, call a service or selector, render."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from bianmin.catalog.models import Material
from bianmin.catalog.selectors import entered_items
from bianmin.identity.permissions import Action, authorize, can
from bianmin.identity.roles import Role
from bianmin.queueing.models import Ticket, Visit

from . import deadlines, files, forms, notices, selectors, services
from .machine import INTAKE_STATES, Act, State
from .models import Case, MaterialFile
from .notifications import inbox
from .steps import back_office_steps

# --- Lists --------------------------------------------------------------------------------------


@login_required
def index(request):
    user = request.user
    if user.role == Role.BACK_OFFICE_OFFICER:
        return queue(request)
    if user.center_id and can(user, Action.VIEW_CENTER, center=user.center):
        return workbench(request)
    if can(user, Action.VIEW_CENTER):
        return overdue_list(request)
    raise PermissionDenied(_("Your role may not see cases."))


def _list_context(request, page) -> dict:
    now = timezone.now()
    for row in page.rows:
        row.level = deadlines.level(row, now)
    return {"page": page, "now": now}


def workbench(request):
    user = request.user
    center = user.center
    authorize(user, Action.VIEW_CENTER, center=center)
    tab = request.GET.get("tab") or selectors.Tab.INTAKE
    q = request.GET.get("q", "")
    page = selectors.paginate(
        selectors.center_cases(center.pk, tab, q=q), request.GET.get("page") or 1
    )
    if tab == selectors.Tab.OVERDUE:
        for row in page.rows:
            row.holder = _holder(row)
            row.waiting = _why_waiting(row)
    context = {
        **_list_context(request, page),
        "holders": tab == selectors.Tab.OVERDUE,
        "center": center,
        "tab": tab,
        "q": q,
        "tabs": [
            (selectors.Tab.INTAKE, _("Intake")),
            (selectors.Tab.RUNNING, _("In progress")),
            (selectors.Tab.RESULTS, _("Results")),
            (selectors.Tab.OVERDUE, _("Overdue")),
            (selectors.Tab.CLOSED, _("Closed")),
        ],
        "can_open": can(user, Action.SERVE_AT_WINDOW, center=center),
        "serving": Ticket.objects.filter(clerk=user, status__in=Ticket.OPEN_STATUSES)
        .select_related("visit", "item")
        .first(),
        "inbox": list(inbox(user, limit=8)),
        "extensions": list(
            Case.objects.filter(center=center, extension_status="requested")
            .select_related("item")
            .only("number", "item__name", "extension_requested_days", "extension_reason")[:20]
        )
        if user.role == Role.CENTER_MANAGER
        else [],
    }
    if request.headers.get("HX-Request"):
        return render(request, "cases/_list.html", context)
    return render(request, "cases/workbench.html", context)


def queue(request):
    user = request.user
    view = request.GET.get("view") or selectors.Queue.WAITING
    page = selectors.paginate(selectors.department_queue(user, view), request.GET.get("page") or 1)
    context = {
        **_list_context(request, page),
        "view": view,
        "department": user.department,
        "views": [
            (selectors.Queue.WAITING, _("Waiting to be claimed")),
            (selectors.Queue.MINE, _("Mine")),
            (selectors.Queue.FORWARDED, _("Forwarded")),
            (selectors.Queue.DECIDED, _("Decided")),
            (selectors.Queue.OVERDUE, _("Overdue")),
        ],
        "inbox": list(inbox(user, limit=8)),
    }
    if request.headers.get("HX-Request"):
        return render(request, "cases/_list.html", context)
    return render(request, "cases/queue.html", context)


@login_required
def overdue_list(request):
    user = request.user
    if not (can(user, Action.VIEW_CENTER) or can(user, Action.DECIDE_CASE)):
        raise PermissionDenied(_("Your role may not see cases."))
    page = selectors.paginate(selectors.overdue_in_scope(user), request.GET.get("page") or 1)
    for row in page.rows:
        row.holder = _holder(row)
        row.waiting = _why_waiting(row)
    return render(request, "cases/overdue.html", {**_list_context(request, page), "holders": True})


def _holder(case: Case) -> str:
    """Who holds the case: the officer who claimed it, else the clerk who received it."""
    for user, role in (
        (case.officer, pgettext("case holder", "officer")),
        (case.received_by, pgettext("case holder", "clerk")),
    ):
        if user is not None:
            return f"{user.full_name or user.username}（{role}）"
    return ""


def _why_waiting(case: Case) -> str:
    """Why the case waits, in the manager's words."""
    if case.state == "in_back_office":
        return _("In the back office, step %(n)s") % {"n": case.steps_done + 1}
    if case.state == "forwarded":
        return _("Forwarded to %(to)s") % {"to": case.forwarded_to or _("county level")}
    if case.state == "accepted":
        return _("Accepted, waiting for the department to claim it")
    if case.state == "returned":
        return _("Returned to the window for more work")
    return case.get_state_display()


# --- Intake -------------------------------------------------------------------------------------


def _intake_context(request, center, *, errors=None, posted=None, item=None) -> dict:
    items = list(entered_items(center).only("id", "name", "domain__name"))
    rows = []
    if item is not None:
        guide = services._published(item, timezone.now())
        posted = posted or {}
        for m in guide.materials.order_by("order", "id"):
            default = "provided" if m.necessity == Material.Necessity.REQUIRED else "not_needed"
            rows.append(
                {
                    "material": m,
                    "deferrable": m.deferrable and guide.allows_deferral,
                    "status": posted.get(f"status_{m.pk}") or default,
                    "seen": bool(posted.get(f"seen_{m.pk}")) if posted else True,
                    "copies": posted.get(f"copies_{m.pk}") or m.paper_copies or 0,
                    "reason": posted.get(f"reason_{m.pk}", ""),
                }
            )
    return {
        "center": center,
        "items": items,
        "item": item,
        "rows": rows,
        "errors": errors or {},
        "posted": posted or {},
        "statuses": _status_choices(),
    }


def _status_choices():
    return [
        (services.LineStatus.PROVIDED, _("provided")),
        (services.LineStatus.MISSING, _("missing")),
        (services.LineStatus.DEFECTIVE, _("defective")),
        (services.LineStatus.DEFERRED, _("deferred (pledge)")),
        (services.LineStatus.NOT_NEEDED, _("not needed")),
    ]


def _clerk_center(request):
    user = request.user
    if not user.center_id:
        raise PermissionDenied(_("Only the staff of a center take applications."))
    authorize(user, Action.SERVE_AT_WINDOW, center=user.center)
    return user.center


def _visit(request, center) -> Visit | None:
    """The visit of the called ticket the clerk serves (``?visit=``), if any."""
    pk = request.POST.get("visit") or request.GET.get("visit")
    if not pk or not str(pk).isdigit():
        return None
    return (
        Visit.objects.select_related("person", "first_responder", "ticket__item")
        .filter(pk=pk, center=center)
        .first()
    )


@login_required
def new_case(request):
    center = _clerk_center(request)
    visit = _visit(request, center)
    item = None
    item_id = request.POST.get("item") or request.GET.get("item")
    if (
        not item_id
        and visit is not None
        and getattr(visit, "ticket", None)
        and visit.ticket.item_id
    ):
        item_id = visit.ticket.item_id
    if item_id:
        item = entered_items(center).filter(pk=item_id).first()
    if request.method == "POST":
        if item is None:
            context = _intake_context(
                request,
                center,
                errors={"item": _("Item: choose the service item applied for.")},
                posted=request.POST,
            )
            context["visit"] = visit
            return render(request, "cases/new.html", context, status=400)
        try:
            materials = list(
                Material.objects.filter(guide__item=item, guide__state="published").values_list(
                    "pk", flat=True
                )
            )
            case = services.open_case(
                request.user,
                center=center,
                item=item,
                applicant=forms.applicant_from(request.POST),
                proxy=forms.proxy_from(request.POST),
                checklist=forms.lines_from(request.POST, materials),
                application_note=request.POST.get("application_note", ""),
                visit=visit,
            )
        except ValidationError as error:
            context = _intake_context(
                request,
                center,
                errors=forms.template_errors(error),
                posted=request.POST,
                item=item,
            )
            context["visit"] = visit
            return render(request, "cases/new.html", context, status=400)
        messages.success(request, _("Case %(number)s received.") % {"number": case.number})
        return redirect("cases:detail", number=case.number)
    known = services.known_person(visit)
    context = _intake_context(request, center, item=item)
    context["visit"] = visit
    context["known_person"] = known
    if known is not None:  # the name is prefilled; the identity number stays on file, masked
        context["posted"] = {**(context.get("posted") or {}), "applicant.name": known.name}
    if request.headers.get("HX-Request"):
        return render(request, "cases/_checklist_new.html", context)
    return render(request, "cases/new.html", context)


# --- One case -----------------------------------------------------------------------------------


def _case(request, number: str) -> Case:
    case = selectors.case_detail(number)
    if case is None or not selectors.may_view(request.user, case):
        raise Http404
    return case


def _detail_context(request, case: Case, *, errors=None, posted=None, action="") -> dict:
    now = timezone.now()
    steps = back_office_steps(case.guide)
    pending_pledge = [
        line
        for line in case.checklist
        if line["material"] in (case.pledge_materials or []) and line["status"] == "deferred"
    ]
    allowed = set(services.allowed_actions(case, request.user, now))
    return {
        "case": case,
        "stuck": _why_stuck(case, request.user, allowed, now),
        "level": deadlines.level(case, now),
        "clock_text": selectors.clock_text(case, now),
        "county_wait": selectors.county_wait(case),
        "allowed": allowed,
        "may_reveal": can(request.user, Action.REVEAL_PERSONAL_DATA),
        "notices": [
            (kind, number, notices.KINDS[kind].title) for kind, number in notices.available(case)
        ],
        "steps": [(s, i < case.steps_done) for i, s in enumerate(steps)],
        "events": list(case.events.all()),
        "errors": errors or {},
        "posted": posted or {},
        "failed_action": action,
        "statuses": _status_choices(),
        "pending_pledge": pending_pledge,
        "progress_url": notices.progress_url(case, request.build_absolute_uri("/")),
        "qr": notices.qr_data_uri(notices.progress_url(case, request.build_absolute_uri("/"))),
        "intake_warning_day": selectors.intake_warning_day(case),
        "action_labels": dict(Act.choices),
        "is_forwarded_item": case.item.is_forwarded,
        "back_office_step_count": len(steps),
        "today": timezone.localdate(),
    }


def _why_stuck(case: Case, user, allowed: set[str], now) -> list[str]:
    """At intake the clerk either accepts or issues the one-time notice. When neither is
    possible, the page says why (a reason missing for a missing material, a material that the
    first notice did not name …) instead of silently showing neither button."""
    if case.state not in INTAKE_STATES or {Act.ACCEPT, Act.ISSUE_NOTICE} & allowed:
        return []
    if Act.UPDATE_CHECKLIST not in allowed:
        return []  # not the clerk's case to take further
    if case.state == State.RECEIVED:
        actions = (Act.ACCEPT, Act.ISSUE_NOTICE)
    elif any(line["status"] in ("missing", "defective") for line in case.checklist):
        actions = (Act.ISSUE_NOTICE,)  # a further notice (else: record the correction)
    else:
        return []
    reasons = []
    for action in actions:
        why = services.refusal(case, user, action, now)
        if why:
            reasons.append(f"{dict(Act.choices)[action]}：{why}")
    return reasons


@login_required
def detail(request, number: str):
    case = _case(request, number)
    return render(request, "cases/detail.html", _detail_context(request, case))


def _material_ids(case: Case) -> list[int]:
    return [int(line["material"]) for line in case.checklist]


def _do(request, case: Case, action: str):
    """Call the service of ``action`` with the posted fields."""
    post = request.POST
    user = request.user
    text = post.get
    if action == "save_checklist":
        return services.update_checklist(user, case, forms.lines_from(post, _material_ids(case)))
    if action == Act.RECORD_CORRECTION:
        return services.record_correction(user, case, forms.lines_from(post, _material_ids(case)))
    if action == Act.AMEND:
        return services.amend_application(user, case, note=text("note", ""))
    if action == Act.ISSUE_NOTICE:
        return services.issue_notice(user, case)
    if action == Act.ACCEPT:
        return services.accept(user, case, pledge=forms.pledge_from(post))
    if action == Act.REJECT:
        return services.reject(
            user, case, reason=text("reason", ""), legal_basis=text("legal_basis", "")
        )
    if action == Act.CLAIM:
        return services.claim(user, case)
    if action == Act.RELEASE:
        return services.release(user, case, reason=text("reason", ""))
    if action == Act.COMPLETE_STEP:
        return services.complete_step(user, case, note=text("note", ""))
    if action == Act.RETURN_TO_INTAKE:
        return services.return_to_intake(user, case, comment=text("comment", ""))
    if action == Act.RESUBMIT:
        return services.resubmit(user, case, note=text("note", ""))
    if action == Act.FORWARD:
        return services.forward(user, case, authority=text("authority", ""), note=text("note", ""))
    if action in (Act.COUNTY_APPROVE, Act.COUNTY_DENY):
        return services.record_county_result(
            user,
            case,
            approved=action == Act.COUNTY_APPROVE,
            reason=text("reason", ""),
            legal_basis=text("legal_basis", ""),
            result_note=text("result_note", ""),
        )
    if action == Act.APPROVE:
        return services.approve(
            user, case, note=text("note", ""), result_note=text("result_note", "")
        )
    if action == Act.DENY:
        return services.deny(
            user, case, reason=text("reason", ""), legal_basis=text("legal_basis", "")
        )
    if action == Act.PREPARE_RESULT:
        return services.prepare_result(user, case, result_note=text("result_note", ""))
    if action == Act.HAND_OUT:
        return services.hand_out(user, case, forms.handout_from(post))
    if action == Act.SEND_BY_POST:
        return services.send_by_post(user, case, forms.delivery_from(post))
    if action == Act.CONFIRM_DELIVERY:
        return services.confirm_delivery(user, case)
    if action == Act.DELIVERY_RETURNED:
        return services.delivery_returned(user, case, reason=text("reason", ""))
    if action == Act.SUSPEND:
        return services.suspend(user, case, reason=text("reason", ""))
    if action == Act.RESUME:
        return services.resume(user, case, note=text("note", ""))
    if action == Act.TERMINATE:
        return services.terminate(user, case, reason=text("reason", ""))
    if action == Act.WITHDRAW:
        return services.withdraw(user, case, reason=text("reason", ""))
    if action == Act.REQUEST_EXTENSION:
        return services.request_extension(
            user, case, days=text("days", "0"), reason=text("reason", "")
        )
    if action == Act.APPROVE_EXTENSION:
        return services.approve_extension(user, case)
    if action == Act.REFUSE_EXTENSION:
        return services.refuse_extension(user, case, reason=text("reason", ""))
    if action == Act.SUPPLY_DEFERRED:
        return services.supply_deferred(user, case, material=text("material", ""))
    if action == Act.ATTACH_FILE:
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": [_("File: choose a file to upload.")]})
        return services.attach_file(
            user,
            case,
            content=upload.read(),
            name=upload.name,
            material=text("material") or None,
            source=text("source") or MaterialFile.Source.SCAN,
        )
    raise Http404


@login_required
@require_POST
def act(request, number: str, action: str):
    case = _case(request, number)
    try:
        _do(request, case, action)
    except ValidationError as error:
        context = _detail_context(
            request,
            _case(request, number),
            errors=forms.template_errors(error),
            posted=request.POST,
            action=action,
        )
        return render(request, "cases/detail.html", context, status=400)
    label = (
        _("Checklist saved.")
        if action == "save_checklist"
        else _("Done: %(action)s.") % {"action": dict(Act.choices).get(action, action)}
    )
    messages.success(request, label)
    return redirect("cases:detail", number=number)


# --- Documents ----------------------------------------------------------------------------------


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def notice_pdf(request, number: str, kind: str):
    case = _case(request, number)
    n = request.GET.get("n")
    wanted = (kind, int(n) if n and n.isdigit() else None)
    if kind not in notices.KINDS or wanted not in notices.available(case):
        raise Http404
    pdf = notices.notice_pdf(case, kind, wanted[1], request.build_absolute_uri("/"))
    return _pdf_response(pdf, f"{case.number}-{kind}.pdf")


@login_required
def archive_pdf(request, number: str):
    case = _case(request, number)
    pdf = notices.archive_pdf(case, request.build_absolute_uri("/"))
    _log_document(request, case, _("Case file %(number)s (PDF)") % {"number": case.number})
    return _pdf_response(pdf, f"{case.number}-archive.pdf")


def _log_document(request, case: Case, purpose: str) -> None:
    services.log_document_view(request.user, case, purpose, request.META.get("REMOTE_ADDR"))


@login_required
def file_view(request, number: str, pk: int):
    case = _case(request, number)
    record = get_object_or_404(MaterialFile, pk=pk, case=case)
    content = files.read(record.path, record.sha256)
    _log_document(
        request,
        case,
        _("Case %(number)s: file %(name)s") % {"number": case.number, "name": record.name},
    )
    response = HttpResponse(content, content_type=record.content_type)
    response["Content-Disposition"] = (
        f'inline; filename="{record.pk}{files.ALLOWED_TYPES[record.content_type]}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def delivery_address(request, number: str, pk: int):
    """Where a result was posted, in full (HTMX fragment): logged like an unmasked number."""
    case = _case(request, number)
    delivery = get_object_or_404(case.deliveries, pk=pk)
    address = services.reveal_delivery_address(
        request.user, case, delivery, request.META.get("REMOTE_ADDR")
    )
    return render(
        request, "cases/_delivery_address.html", {"case": case, "d": delivery, "address": address}
    )


# --- The dishonesty list ------------------------------------------------------------------------


def _rows_from_upload(upload) -> list[dict]:
    """CSV (UTF-8) or Excel: 姓名/名称, 证件号码/统一社会信用代码, 原因, 列入日期, 移出日期."""
    name = (upload.name or "").lower()
    content = upload.read()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content), read_only=True).active
        raw = [["" if c is None else c for c in row] for row in sheet.iter_rows(values_only=True)]
    else:
        import csv

        raw = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    if not raw:
        return []
    keys = ["name", "number", "reason", "listed_on", "until"]
    start = 1 if raw and str(raw[0][0]).strip() in ("姓名", "名称", "姓名/名称", "name") else 0
    rows = []
    for r in raw[start:]:
        if not any(str(c).strip() for c in r):
            continue
        values = [(r[i] if i < len(r) else "") for i in range(5)]
        rows.append(
            {
                k: (v if isinstance(v, dt.date) else str(v).strip())
                for k, v in zip(keys, values, strict=True)
            }
        )
    return rows


@login_required
def dishonest(request):
    user = request.user
    if not user.center_id:
        raise PermissionDenied(_("Only a center's manager keeps its dishonesty list."))
    center = user.center
    authorize(user, Action.MANAGE_CENTER, center=center)
    result = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("File: choose a CSV or Excel file."))
        else:
            result = services.import_dishonesty_list(
                user, center, _rows_from_upload(upload), replace=bool(request.POST.get("replace"))
            )
            if not result.errors:
                messages.success(
                    request,
                    _("Imported: %(added)d added, %(updated)d updated.")
                    % {"added": result.added, "updated": result.updated},
                )
                return redirect("cases:dishonest")
    entries = center.dishonest_entries.select_related("person").order_by("name")[:500]
    return render(
        request,
        "cases/dishonest.html",
        {"center": center, "entries": entries, "result": result},
        status=400 if result and result.errors else 200,
    )


# --- Progress for the applicant (public) --------------------------------------------------------


def _progress_context(case: Case) -> dict:
    return {
        "case": case,
        "masked_name": selectors.mask_name(case.applicant_name),
        "steps": selectors.progress_steps(case),
        "clock_text": selectors.clock_text(case),
        "state_label": selectors.progress_state_label(case),
        "county_wait": selectors.county_wait(case),
    }


def progress(request, token: str):
    case = (
        Case.objects.select_related("item", "center", "guide")
        .prefetch_related("events", "notices")
        .filter(progress_token=token)
        .first()
    )
    if case is None:
        raise Http404
    response = render(request, "cases/progress.html", _progress_context(case))
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def progress_lookup(request):
    """Case number + phone or identity number: the same answer for a wrong number and a wrong
    case number, and a limit on attempts, so nothing is learnt by guessing."""
    error = ""
    number = (request.POST.get("number") or "").strip()
    secret = (request.POST.get("secret") or "").strip()
    if request.method == "POST" and not (number and secret):
        # An empty field is not a guess: say which one, and count nothing.
        error = (
            _("Case number: please fill it in (it is on your acceptance notice).")
            if not number
            else _("Mobile number or identity number: please fill in one of them.")
        )
    elif request.method == "POST":
        found = selectors.look_up_progress(request.META.get("REMOTE_ADDR", ""), number, secret)
        if found.case is not None:
            return redirect("cases:progress", token=found.case.progress_token)
        error = (
            _("Too many attempts. Please try again in 15 minutes.")
            if found.limited
            else _(
                "No case matches this case number and phone or identity number. Check both and "
                "try again."
            )
        )
    return render(
        request,
        "cases/progress_lookup.html",
        {"error": error, "number": request.POST.get("number", "")},
        status=400 if error else 200,
    )
