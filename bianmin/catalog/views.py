"""Catalogue pages: public search and guides (no login), the editors' pages, entries, the audit.

Views parse input, call a service or selector and render; rules and permissions live in
``services`` (and ``identity.permissions``).
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from bianmin.identity.permissions import Action, authorize, can, centers_in_scope
from bianmin.org.models import Center, Region

from . import audit as guide_audit
from . import excel, rules, selectors, services
from .content import GUIDE_SCALARS, guide_content, item_fields, prefetch_versions
from .diff import diff_versions
from .forms import (
    GUIDE_FORMSETS,
    BundleForm,
    GuideForm,
    ImportForm,
    ItemForm,
    ReasonForm,
)
from .models import (
    AuditFinding,
    AuditRun,
    Bundle,
    GuideVersion,
    ItemEntry,
    LifeEvent,
    Material,
    ServiceItem,
)
from .place import place_for
from .reports import findings_workbook, run_findings, scores

SEARCH_LIMIT = 30


def _filters_from(request) -> selectors.SearchFilters:
    g = request.GET
    return selectors.SearchFilters(
        q=g.get("q", "")[:100],
        domain=g.get("domain", ""),
        life_event=g.get("life_event", ""),
        channel=g.get("channel", ""),
        frequency=g.get("frequency", ""),
    )


def _search_context(request) -> dict:
    f = _filters_from(request)
    filtered = any((f.q, f.domain, f.life_event, f.channel, f.frequency))
    results = selectors.search_items(f, limit=SEARCH_LIMIT if f.q else None)
    return {"filters": f, "results": results, "filtered": filtered, "count": len(results)}


def index(request):
    """服务事项与指南: search as one types, browse by domain, life event and channel; bundles."""
    user = request.user
    context = _search_context(request)
    context.update(
        domains=selectors.domains(),
        life_events=selectors.life_events(),
        bundles=selectors.bundles(),
        channels=[
            ("window", pgettext("catalogue", "At the window")),
            ("online", pgettext("catalogue", "Online")),
            ("kiosk", _("Self-service kiosk")),
            ("post", pgettext("catalogue", "By post")),
        ],
        frequencies=ServiceItem.Frequency.choices,
        can_edit=can(user, Action.EDIT_CATALOGUE),
        can_audit=guide_audit.may_run_audit(user) or bool(getattr(user, "center_id", None)),
        own_center=getattr(user, "center", None) if user.is_authenticated else None,
        can_manage_center=bool(getattr(user, "center_id", None))
        and can(user, Action.MANAGE_CENTER, center=user.center),
    )
    return render(request, "catalog/index.html", context)


def search(request):
    """The results fragment the search box swaps in on each keystroke (HTMX)."""
    return render(request, "catalog/_results.html", _search_context(request))


# --- Guides -------------------------------------------------------------------------------------


def _center_choice(request) -> Center | None:
    code = request.GET.get("center", "")
    if code:
        return (
            Center.objects.select_related("region", "region__parent")
            .filter(region__code=code)
            .first()
        )
    user = request.user
    if user.is_authenticated and getattr(user, "center_id", None):
        return user.center
    return None


def _centers_by_county():
    counties = {}
    for c in Center.objects.select_related("region", "region__parent").order_by("region__code"):
        counties.setdefault(c.region.parent, []).append(c)
    return list(counties.items())


def _guide_context(request, item: ServiceItem, version: GuideVersion | None) -> dict:
    center = _center_choice(request)
    user = request.user
    return {
        "item": item,
        "version": version,
        "center": center,
        "place": place_for(center) if center else None,
        "centers_by_county": _centers_by_county(),
        "applicable": selectors.is_applicable(item),
        "can_edit": can(user, Action.EDIT_CATALOGUE),
        "open_draft": selectors.open_draft(item) if can(user, Action.EDIT_CATALOGUE) else None,
        "life_events": list(item.life_events.all()),
        "bundles": list(item.bundles.filter(active=True)),
        "entered_here": center is not None
        and ItemEntry.objects.filter(center=center, item=item, withdrawn_on__isnull=True).first(),
        "today": timezone.localdate(),
    }


def _item(code: str) -> ServiceItem:
    return get_object_or_404(ServiceItem.objects.select_related("domain"), basic_code=code)


def item(request, code: str):
    """The published guide of an item (public). ``?center=`` shows that center's place and phones."""
    obj = _item(code)
    version = selectors.published_guide(obj)
    if version is None and obj.status == ServiceItem.Status.CANCELLED:
        version = (
            prefetch_versions(
                GuideVersion.objects.filter(item=obj, state=GuideVersion.State.RETIRED)
            )
            .order_by("-number")
            .first()
        )
    return render(request, "catalog/item.html", _guide_context(request, obj, version))


def item_print(request, code: str):
    """The printable A4 guide, with the chosen center's place, hours and phones."""
    obj = _item(code)
    version = selectors.published_guide(obj)
    if version is None:
        raise Http404
    return render(request, "catalog/print.html", _guide_context(request, obj, version))


def versions(request, code: str):
    obj = _item(code)
    visible = [v for v in selectors.versions_of(obj) if selectors.may_see_version(request.user, v)]
    return render(
        request,
        "catalog/versions.html",
        {
            "item": obj,
            "versions": visible,
            "history": selectors.item_history(obj)[:50],
            "can_edit": can(request.user, Action.EDIT_CATALOGUE),
        },
    )


def version(request, pk: int):
    """One version (published and retired ones are public; drafts are for editors)."""
    obj = get_object_or_404(
        prefetch_versions(GuideVersion.objects.select_related("item", "item__domain")), pk=pk
    )
    if not selectors.may_see_version(request.user, obj):
        raise Http404
    user = request.user
    problems = []
    if obj.state in (GuideVersion.State.DRAFT, GuideVersion.State.REVIEWED):
        problems = services.guide_problems(obj, notices=True)
    editor_id = obj.edited_by_id or obj.created_by_id
    context = _guide_context(request, obj.item, obj)
    context.update(
        problems=[p for p in problems if p.kind in rules.BLOCKING],
        notices=[p for p in problems if p.kind == rules.NOTICE],
        showing_version=True,
        may_review=can(user, Action.EDIT_CATALOGUE)
        and obj.state == GuideVersion.State.DRAFT
        and (editor_id is None or editor_id != user.pk),
        last_editor_is_me=editor_id is not None and editor_id == user.pk,
        reason_form=ReasonForm(),
    )
    return render(request, "catalog/version.html", context)


def diff(request, code: str):
    obj = _item(code)
    visible = [v for v in selectors.versions_of(obj) if selectors.may_see_version(request.user, v)]
    by_number = {v.number: v for v in visible}
    try:
        a = int(request.GET.get("a", ""))
        b = int(request.GET.get("b", ""))
    except ValueError:
        a = visible[1].number if len(visible) > 1 else None
        b = visible[0].number if visible else None
    old, new = by_number.get(a), by_number.get(b)
    result = None
    error = ""
    if old is None or new is None:
        error = _("Versions: choose two versions of this item.")
    else:
        old = prefetch_versions(GuideVersion.objects).get(pk=old.pk)
        new = prefetch_versions(GuideVersion.objects).get(pk=new.pk)
        result = diff_versions(old, new)
    return render(
        request,
        "catalog/diff.html",
        {"item": obj, "versions": visible, "a": a, "b": b, "diff": result, "error": error},
    )


def material_file(request, pk: int, kind: str):
    """A material's blank form or filled sample, or a guide's result sample (public downloads)."""
    if kind == "result":
        obj = get_object_or_404(GuideVersion, pk=pk)
        if not selectors.may_see_version(request.user, obj):
            raise Http404
        file = obj.result_sample
    else:
        obj = get_object_or_404(Material.objects.select_related("guide"), pk=pk)
        if not selectors.may_see_version(request.user, obj.guide):
            raise Http404
        file = {"blank": obj.blank_form, "sample": obj.sample}.get(kind)
    if not file or not file.name or not default_storage.exists(file.name):
        raise Http404
    name = PurePosixPath(file.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(
        default_storage.open(file.name, "rb"),
        as_attachment=True,
        filename=name,
        content_type=content_type,
    )


def bundles(request):
    return render(request, "catalog/bundles.html", {"bundles": selectors.bundles()})


def bundle(request, code: str):
    obj = get_object_or_404(Bundle.objects.select_related("life_event"), code=code)
    members = selectors.bundle_items(obj)
    merged = selectors.merged_materials(members)
    total = sum(
        len(v.materials.all())
        for v in GuideVersion.objects.filter(
            item__in=members, state=GuideVersion.State.PUBLISHED
        ).prefetch_related("materials")
    )
    return render(
        request,
        "catalog/bundle.html",
        {
            "bundle": obj,
            "items": members,
            "materials": merged,
            "separate_total": total,
            "can_edit": can(request.user, Action.EDIT_CATALOGUE),
        },
    )


def changes(request):
    """The catalogue change log: items added and cancelled, guides published, imports."""
    from django.core.paginator import Paginator

    page = Paginator(selectors.item_changes(), 50).get_page(request.GET.get("page"))
    return render(request, "catalog/changes.html", {"page": page})


def center_items(request, code: str):
    center = get_object_or_404(
        Center.objects.select_related("region", "region__parent"), region__code=code
    )
    return render(
        request,
        "catalog/center_items.html",
        {
            "center": center,
            "place": place_for(center),
            "entries": selectors.active_entries(center).filter(
                item__status=ServiceItem.Status.ACTIVE
            ),
            "can_manage": can(request.user, Action.MANAGE_CENTER, center=center),
        },
    )


# --- Editors: items -------------------------------------------------------------------------------


def _require_editor(user) -> None:
    if not user.is_authenticated:
        raise PermissionDenied(_("Please log in first."))
    authorize(user, Action.EDIT_CATALOGUE)


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for key, errs in error.error_dict.items():
            field = key if key in form.fields else None
            for e in errs:
                for message in e.messages:
                    form.add_error(field, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@login_required
def manage(request):
    """The editors' desk: drafts to finish, versions to review and publish, items without guides."""
    _require_editor(request.user)
    open_versions = GuideVersion.objects.filter(
        state__in=[GuideVersion.State.DRAFT, GuideVersion.State.REVIEWED]
    ).select_related("item", "item__domain", "edited_by", "created_by", "reviewed_by")
    without_guide = (
        ServiceItem.objects.filter(status=ServiceItem.Status.ACTIVE)
        .exclude(guide_versions__state=GuideVersion.State.PUBLISHED)
        .select_related("domain")
    )
    stale_before = timezone.now() - guide_audit.STALE_AFTER
    stale = (
        GuideVersion.objects.filter(state=GuideVersion.State.PUBLISHED)
        .filter(Q(confirmed_at__lt=stale_before) | Q(confirmed_at__isnull=True))
        .select_related("item")
    )
    return render(
        request,
        "catalog/manage.html",
        {
            "drafts": [v for v in open_versions if v.state == GuideVersion.State.DRAFT],
            "reviewed": [v for v in open_versions if v.state == GuideVersion.State.REVIEWED],
            "without_guide": without_guide,
            "stale": stale,
            "items": ServiceItem.objects.select_related("domain").order_by(
                "domain__order", "basic_code"
            ),
        },
    )


@login_required
def item_new(request):
    _require_editor(request.user)
    form = ItemForm(request.POST or None)
    reason = ReasonForm(request.POST or None, prefix="why")
    if request.method == "POST" and form.is_valid() & reason.is_valid():
        try:
            obj = services.create_item(
                request.user, form.item_data(), reason=reason.cleaned_data["reason"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("Added: %(item)s. Now draft its guide.") % {"item": obj.name}
            )
            return redirect("catalog:item_edit", code=obj.basic_code)
    return render(request, "catalog/item_form.html", {"form": form, "reason": reason, "new": True})


@login_required
def item_edit(request, code: str):
    _require_editor(request.user)
    obj = _item(code)
    data = item_fields(obj)
    initial = {**data, "domain": obj.domain, "life_events": "、".join(data["life_events"])}
    form = ItemForm(request.POST or None, initial=initial)
    form.fields["basic_code"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(request.user, obj, form.item_data())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Saved: %(item)s.") % {"item": obj.name})
            return redirect("catalog:item_edit", code=obj.basic_code)
    return render(
        request,
        "catalog/item_form.html",
        {
            "form": form,
            "item": obj,
            "cancel_form": ReasonForm(prefix="cancel"),
            "versions": selectors.versions_of(obj),
            "open_draft": selectors.open_draft(obj),
        },
    )


@login_required
@require_POST
def item_cancel(request, code: str):
    _require_editor(request.user)
    obj = _item(code)
    form = ReasonForm(request.POST, prefix="cancel")
    if form.is_valid():
        try:
            services.cancel_item(request.user, obj, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Cancelled: %(item)s. Nobody can apply for it from now on.") % {"item": obj.name},
            )
            return redirect("catalog:item", code=obj.basic_code)
    else:
        messages.error(request, _("Reason for cancelling: say why the item is cancelled."))
    return redirect("catalog:item_edit", code=obj.basic_code)


# --- Editors: guide versions --------------------------------------------------------------------


@login_required
@require_POST
def draft_start(request, code: str):
    _require_editor(request.user)
    obj = _item(code)
    try:
        draft = services.start_draft(request.user, obj)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("catalog:item_edit", code=code)
    messages.success(
        request, _("Version %(n)s drafted from the published guide.") % {"n": draft.number}
    )
    return redirect("catalog:draft_edit", pk=draft.pk)


def _bound_formsets(request, version: GuideVersion):
    guide = guide_content(version)
    out = {}
    for key, (formset_class, prefix) in GUIDE_FORMSETS.items():
        initial = [{**row, "ORDER": i + 1} for i, row in enumerate(guide[key])]
        if request.method == "POST":
            out[key] = formset_class(request.POST, request.FILES, prefix=prefix, initial=initial)
        else:
            out[key] = formset_class(prefix=prefix, initial=initial)
    return guide, out


@login_required
def draft_edit(request, pk: int):
    """The guide editor: every element of the 办事指南 on one page."""
    _require_editor(request.user)
    obj = get_object_or_404(
        prefetch_versions(GuideVersion.objects.select_related("item", "item__domain")), pk=pk
    )
    if obj.state != GuideVersion.State.DRAFT:
        messages.error(
            request,
            _("Version %(n)s is %(state)s and can no longer be edited.")
            % {"n": obj.number, "state": obj.get_state_display()},
        )
        return redirect("catalog:version", pk=obj.pk)
    guide, formsets = _bound_formsets(request, obj)
    initial = {k: guide[k] for k in GUIDE_SCALARS} | {"change_note": obj.change_note}
    form = GuideForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        valid = form.is_valid()
        valid = all([fs.is_valid() for fs in formsets.values()]) and valid
        if valid:
            data, owners = _guide_from_forms(form, formsets)
            try:
                services.save_draft(
                    request.user, obj, data, change_note=form.cleaned_data["change_note"]
                )
            except ValidationError as error:
                _apply_guide_errors(error, form, owners)
            else:
                messages.success(request, _("Draft saved."))
                return redirect("catalog:draft_edit", pk=obj.pk)
    problems = [p for p in services.guide_problems(obj, notices=True)]
    return render(
        request,
        "catalog/draft_edit.html",
        {
            "version": obj,
            "item": obj.item,
            "form": form,
            "formsets": formsets,
            "problems": [p for p in problems if p.kind in rules.BLOCKING],
            "notices": [p for p in problems if p.kind == rules.NOTICE],
        },
    )


def _guide_from_forms(form, formsets):
    """The guide dict from the bound forms, and which form each list row came from."""
    data = {k: form.cleaned_data.get(k) for k in GUIDE_SCALARS}
    for key in (
        "conditions",
        "time_limit_note",
        "result_type",
        "result_name",
        "online_url",
        "result_sample",
    ):
        data[key] = data[key] or ""
    data["allows_deferral"] = bool(data["allows_deferral"])
    upload = form.cleaned_data.get("result_sample_upload")
    if upload:
        data["result_sample"] = services.store_upload(upload, "results")
    owners: dict[str, list] = {}
    for key, formset in formsets.items():
        rows, row_forms = [], []
        for f in formset.ordered_forms:
            row = {
                k: v
                for k, v in f.cleaned_data.items()
                if k not in ("ORDER", "DELETE") and not k.endswith("_upload")
            }
            for name in ("blank_form", "sample"):
                if name in row:
                    upload = f.cleaned_data.get(f"{name}_upload")
                    if upload:
                        row[name] = services.store_upload(
                            upload, "forms" if name == "blank_form" else "samples"
                        )
            if "paper_copies" in row and row["paper_copies"] is None:
                row["paper_copies"] = 0
            rows.append(row)
            row_forms.append(f)
        data[key] = rows
        owners[key] = row_forms
    return data, owners


def _apply_guide_errors(error: ValidationError, form, owners) -> None:
    for key, errs in error.message_dict.items():
        parts = key.split(".")
        if parts[0] in owners and len(parts) >= 2 and parts[1].isdigit():
            row_form = owners[parts[0]][int(parts[1])]
            field = parts[2] if len(parts) > 2 and parts[2] in row_form.fields else None
            for message in errs:
                row_form.add_error(field, message)
                if field is None:
                    form.add_error(None, message)
        else:
            field = parts[0] if parts[0] in form.fields else None
            for message in errs:
                form.add_error(field, message)


VERSION_ACTIONS = {"review", "return", "publish", "discard", "confirm"}


@login_required
@require_POST
def version_action(request, pk: int, action: str):
    _require_editor(request.user)
    if action not in VERSION_ACTIONS:
        raise Http404
    obj = get_object_or_404(GuideVersion.objects.select_related("item"), pk=pk)
    note = (request.POST.get("reason") or request.POST.get("note") or "").strip()
    try:
        if action == "review":
            services.review_guide(request.user, obj, note=note)
            messages.success(
                request, _("Version %(n)s reviewed. It can be published now.") % {"n": obj.number}
            )
        elif action == "return":
            services.return_to_draft(request.user, obj, reason=note)
            messages.success(request, _("Version %(n)s returned to draft.") % {"n": obj.number})
        elif action == "publish":
            services.publish_guide(request.user, obj)
            messages.success(
                request,
                _("Version %(n)s published; the previous version is retired.") % {"n": obj.number},
            )
            return redirect("catalog:item", code=obj.item.basic_code)
        elif action == "discard":
            services.discard_draft(request.user, obj)
            messages.success(request, _("Draft discarded."))
            return redirect("catalog:item_edit", code=obj.item.basic_code)
        elif action == "confirm":
            services.confirm_guide(request.user, obj, note=note)
            messages.success(request, _("Confirmed: the guide is still accurate."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("catalog:version", pk=obj.pk)


# --- Editors: bundles, Excel ----------------------------------------------------------------------


@login_required
def bundle_edit(request, code: str | None = None):
    _require_editor(request.user)
    obj = get_object_or_404(Bundle, code=code) if code else None
    initial = {}
    if obj is not None:
        initial = {
            "code": obj.code,
            "name": obj.name,
            "life_event": obj.life_event.name,
            "description": obj.description,
            "items": [i.basic_code for i in selectors.bundle_items(obj)],
        }
    form = BundleForm(request.POST or None, initial=initial)
    if obj is not None:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["items"] = [i.basic_code for i in data["items"]]
        try:
            saved = services.save_bundle(request.user, data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Saved: %(bundle)s.") % {"bundle": saved.name})
            return redirect("catalog:bundle", code=saved.code)
    return render(
        request,
        "catalog/bundle_form.html",
        {"form": form, "bundle": obj, "life_events": LifeEvent.objects.all()},
    )


@login_required
def import_catalogue(request):
    """Upload a workbook: every error by sheet, row and column, or a summary of what changed."""
    _require_editor(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        outcome = services.import_workbook(request.user, upload.read(), filename=upload.name)
        if outcome.ok:
            messages.success(request, _("Imported %(file)s.") % {"file": upload.name})
    return render(
        request,
        "catalog/import.html",
        {"form": form, "outcome": outcome, "sheets": excel.SHEETS, "choices": excel.CHOICES},
    )


def export_catalogue(request):
    """The whole catalogue (published guides) as a workbook; ?template=1 for the empty template."""
    template = request.GET.get("template") == "1"
    content = excel.export_workbook(template_only=template)
    name = (
        "catalogue-template.xlsx" if template else f"catalogue-{timezone.localdate():%Y%m%d}.xlsx"
    )
    response = HttpResponse(content, content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Entries and coverage -----------------------------------------------------------------------


@login_required
def entries(request, code: str):
    """A center's items (进驻): the manager enters, changes the mode of, or withdraws items."""
    center = get_object_or_404(
        Center.objects.select_related("region", "region__parent"), region__code=code
    )
    authorize(request.user, Action.VIEW_CENTER, center=center)
    active = {e.item_id: e for e in selectors.active_entries(center)}
    items = ServiceItem.objects.filter(status=ServiceItem.Status.ACTIVE).select_related("domain")
    rows = [(i, active.get(i.pk)) for i in items]
    return render(
        request,
        "catalog/entries.html",
        {
            "center": center,
            "rows": rows,
            "modes": ItemEntry.Mode.choices,
            "entered": len(active),
            "can_manage": can(request.user, Action.MANAGE_CENTER, center=center),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def entry_action(request, code: str, item_code: str, action: str):
    center = get_object_or_404(Center, region__code=code)
    obj = _item(item_code)
    entry = ItemEntry.objects.filter(center=center, item=obj, withdrawn_on__isnull=True).first()
    try:
        if action == "enter":
            services.enter_item(request.user, center, obj, mode=request.POST.get("mode", ""))
            messages.success(request, _("Entered: %(item)s.") % {"item": obj.name})
        elif action == "mode" and entry is not None:
            services.change_entry_mode(request.user, entry, mode=request.POST.get("mode", ""))
            messages.success(request, _("Mode changed: %(item)s.") % {"item": obj.name})
        elif action == "withdraw" and entry is not None:
            services.withdraw_entry(request.user, entry, reason=request.POST.get("reason", ""))
            messages.success(request, _("Withdrawn: %(item)s.") % {"item": obj.name})
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(reverse("catalog:entries", args=[code]) + f"#item-{obj.basic_code}")


def _counties_for(user):
    centers = centers_in_scope(user)
    return (
        Region.objects.filter(level=Region.Level.COUNTY, children__center__in=centers)
        .distinct()
        .order_by("code")
    )


@login_required
def coverage(request):
    """Which catalogue items each center handles, per county."""
    counties = list(_counties_for(request.user))
    if not counties:
        raise PermissionDenied(_("Your role has no centers to compare."))
    code = request.GET.get("county") or counties[0].code
    county = next((c for c in counties if c.code == code), None)
    if county is None:
        raise PermissionDenied(_("This county is outside your scope."))
    result = selectors.coverage(county)
    in_scope = set(centers_in_scope(request.user).values_list("pk", flat=True))
    centers = [c for c in result.centers if c.pk in in_scope]
    rows = [
        (item, result.per_item[item.pk], [result.cells.get((item.pk, c.pk)) for c in centers])
        for item in result.items
    ]
    return render(
        request,
        "catalog/coverage.html",
        {
            "counties": counties,
            "county": county,
            "centers": centers,
            "rows": rows,
            "totals": [result.per_center[c.pk] for c in centers],
        },
    )


# --- Audit ----------------------------------------------------------------------------------------


def _audit_scope(user):
    """(region of the audit the user sees, the user's own center or None)."""
    if guide_audit.may_run_audit(user):
        region = user.region if getattr(user, "region_id", None) else None
        if region is not None and region.level == Region.Level.CITY:
            region = None
        return region, None
    center = getattr(user, "center", None)
    if center is not None and can(user, Action.VIEW_CENTER, center=center):
        return center.region.parent, center
    raise PermissionDenied(
        _("Only supervisors, catalogue editors and center staff see the guide audit.")
    )


def _latest_for(region: Region | None) -> AuditRun | None:
    qs = AuditRun.objects.filter(finished_at__isnull=False).select_related("region", "actor")
    if region is None:
        return qs.filter(region__isnull=True).first() or qs.first()
    return qs.filter(Q(region__isnull=True) | Q(region=region)).first()


@login_required
def audit(request):
    """The guide audit: scores per county, center and item, and every finding, for one's scope."""
    region, center = _audit_scope(request.user)
    county_filter = request.GET.get("county", "")
    if region is None and county_filter:
        region = Region.objects.filter(code=county_filter, level=Region.Level.COUNTY).first()
    run = _latest_for(region if center is None else region)
    severity = request.GET.get("severity", "")
    context = {
        "run": run,
        "region": region,
        "own_center": center,
        "may_run": guide_audit.may_run_audit(request.user),
        "severity": severity,
        "severities": AuditFinding.Severity.choices,
        "counties": Region.objects.filter(level=Region.Level.COUNTY).order_by("code")
        if not getattr(request.user, "region_id", None)
        or request.user.region.level == Region.Level.CITY
        else [],
        "county_filter": county_filter,
        "penalties": guide_audit.PENALTY,
    }
    if run is not None:
        from django.core.paginator import Paginator

        findings = run_findings(run, region=region, center=center, severity=severity)
        context["page"] = Paginator(findings, 100).get_page(request.GET.get("page"))
        table = scores(run, region=region)
        if center is not None:
            table["centers"] = [s for s in table["centers"] if s.obj.pk == center.pk]
            table["counties"] = []
        context["scores"] = table
        context["run_score_in_scope"] = (
            next((s.score for s in table["centers"]), None)
            if center is not None
            else next((s.score for s in table["counties"]), None)
            if region is not None
            else run.score
        )
    return render(request, "catalog/audit.html", context)


@login_required
@require_POST
def audit_run(request):
    if not guide_audit.may_run_audit(request.user):
        raise PermissionDenied(_("Only supervisors and catalogue editors run the guide audit."))
    region, _center = _audit_scope(request.user)
    result = guide_audit.run_audit(request.user, region=region)
    messages.success(
        request,
        _("Audit finished: %(items)s items and %(centers)s centers checked, %(findings)s findings.")
        % {
            "items": result.run.items_checked,
            "centers": result.run.centers_checked,
            "findings": len(result.findings),
        },
    )
    return redirect("catalog:audit")


@login_required
def audit_export(request, pk: int):
    region, center = _audit_scope(request.user)
    run = get_object_or_404(AuditRun, pk=pk)
    response = HttpResponse(
        findings_workbook(run, region=region, center=center), content_type=excel.XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="guide-audit-{run.pk}.xlsx"'
    return response
