"""Catalogue API under /api/v1/catalog/: read the published catalogue (no login), edit it (editors).

Items are addressed by their basic code, centers by their township's division code.
Errors answer in Chinese and name the field (see bianmin.core.api).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile

from bianmin.identity.auth import session_auth
from bianmin.identity.permissions import Action, authorize, can
from bianmin.org.models import Center, Region

from . import audit as guide_audit
from . import excel, selectors, services
from .content import guide_content, item_fields, prefetch_versions
from .diff import as_dict as diff_as_dict
from .diff import diff_versions
from .models import AuditFinding, AuditRun, Bundle, GuideVersion, ServiceItem
from .place import place_for
from .reports import findings_workbook, latest_run, run_findings

router = Router(tags=["catalog"])


# --- Schemas --------------------------------------------------------------------------------------


class DomainOut(Schema):
    code: str
    name: str
    full_name: str
    window_group: str
    items: int


class ItemSummary(Schema):
    basic_code: str
    name: str
    domain: str
    domain_code: str
    frequency: str
    handling_level: str
    channels: list[str]
    status: str
    url: str


class MaterialSchema(Schema):
    name: str
    necessity: str = "required"
    condition_note: str = ""
    form: str = ""
    paper_copies: int = 0
    specification: str = ""
    source_channel: str = "applicant"
    source_note: str = ""
    acceptance_standard: str = ""
    basis: str = ""
    notes: str = ""
    deferrable: bool = False
    blank_form: str = ""
    sample: str = ""


class StepSchema(Schema):
    name: str
    description: str = ""
    days: int | None = None


class SpecialStepSchema(StepSchema):
    counts_in_limit: bool = False


class FeeSchema(Schema):
    name: str
    standard: str = ""
    basis: str = ""
    exemption: str = ""


class FAQSchema(Schema):
    question: str
    answer: str = ""


class GuideSchema(Schema):
    conditions: str = ""
    materials: list[MaterialSchema] = []
    steps: list[StepSchema] = []
    special_steps: list[SpecialStepSchema] = []
    statutory_days: int | None = None
    promised_days: int | None = None
    time_limit_note: str = ""
    allows_deferral: bool = False
    fees: list[FeeSchema] = []
    visits: int | None = None
    result_type: str = ""
    result_name: str = ""
    result_sample: str = ""
    online_url: str = ""
    faq: list[FAQSchema] = []


class PlaceOut(Schema):
    center: str
    center_code: str
    address: str
    hours: str
    phone: str
    complaint_phone: str


class VersionSummary(Schema):
    id: int
    number: int
    state: str
    state_label: str
    change_note: str
    created_at: dt.datetime
    reviewed_at: dt.datetime | None
    published_at: dt.datetime | None
    retired_at: dt.datetime | None


class ItemDetail(Schema):
    basic_code: str
    implementation_code: str
    name: str
    domain: str
    domain_name: str
    item_type: str
    legal_basis: str
    implementing_body: str
    handling_level: str
    frequency: str
    service_object: list[str]
    channels: list[str]
    supports_appointment: bool
    supports_express: bool
    supports_online_payment: bool
    cross_region: str
    life_events: list[str]
    keywords: str
    status: str
    cancelled_at: dt.datetime | None
    cancel_reason: str
    applicable: bool
    version: VersionSummary | None
    guide: GuideSchema | None
    place: PlaceOut | None


class VersionDetail(VersionSummary):
    item: str
    guide: GuideSchema
    problems: list[str]


class FieldChangeOut(Schema):
    key: str
    label: str
    old: str
    new: str
    segments: list[dict]


class EntryChangeOut(Schema):
    kind: str
    name: str
    fields: list[FieldChangeOut]


class SectionOut(Schema):
    key: str
    label: str
    reordered: bool
    entries: list[EntryChangeOut]


class DiffOut(Schema):
    old_version: int | None
    new_version: int | None
    changes: int
    fields: list[FieldChangeOut]
    sections: list[SectionOut]


class MergedMaterialOut(Schema):
    name: str
    necessity: str
    forms: list[str]
    paper_copies: int
    deferrable: bool
    items: list[str]
    shared: bool


class BundleOut(Schema):
    code: str
    name: str
    life_event: str
    description: str
    items: list[ItemSummary]


class BundleDetail(BundleOut):
    materials: list[MergedMaterialOut]


class FindingOut(Schema):
    severity: str
    code: str
    message: str
    item: str | None
    item_code: str | None
    center: str | None
    center_code: str | None


class AuditOut(Schema):
    id: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    region: str | None
    items_checked: int
    centers_checked: int
    score: float | None
    findings_count: int
    findings: list[FindingOut]


class AuditIn(Schema):
    county: str | None = None


class ExcelErrorOut(Schema):
    sheet: str
    row: int | None
    column: str | None
    title: str | None
    message: str
    text: str


class ImportOut(Schema):
    ok: bool
    errors: list[ExcelErrorOut]
    changes: dict


class TransitionIn(Schema):
    note: str = ""


class SaveDraftIn(Schema):
    guide: GuideSchema
    change_note: str = ""


# --- Helpers --------------------------------------------------------------------------------------


def _summary(item: ServiceItem) -> dict:
    from django.urls import reverse

    return {
        "basic_code": item.basic_code,
        "name": item.name,
        "domain": item.domain.name,
        "domain_code": item.domain.code,
        "frequency": item.frequency,
        "handling_level": item.handling_level,
        "channels": item.channels,
        "status": item.status,
        "url": reverse("catalog:item", args=[item.basic_code]),
    }


def _version_summary(v: GuideVersion) -> dict:
    return {
        "id": v.pk,
        "number": v.number,
        "state": v.state,
        "state_label": str(v.get_state_display()),
        "change_note": v.change_note,
        "created_at": v.created_at,
        "reviewed_at": v.reviewed_at,
        "published_at": v.published_at,
        "retired_at": v.retired_at,
    }


def _item(code: str) -> ServiceItem:
    return get_object_or_404(ServiceItem.objects.select_related("domain"), basic_code=code)


def _center(code: str | None) -> Center | None:
    if not code:
        return None
    return get_object_or_404(Center.objects.select_related("region"), region__code=code)


def _user(request):
    return request.user if getattr(request, "user", None) is not None else None


def _place(center: Center | None) -> dict | None:
    if center is None:
        return None
    p = place_for(center)
    return {
        "center": p.name,
        "center_code": center.region.code,
        "address": p.address,
        "hours": p.hours,
        "phone": p.phone,
        "complaint_phone": p.complaint_phone,
    }


# --- Reading ------------------------------------------------------------------------------------


@router.get(
    "/domains", response=list[DomainOut], auth=None, summary="Domains and their item counts"
)
def domains(request):
    return [
        {
            "code": d.code,
            "name": d.name,
            "full_name": d.full_name,
            "window_group": d.window_group,
            "items": d.n_items,
        }
        for d in selectors.domains()
    ]


class ItemQuery(Schema):
    q: str = ""
    domain: str = ""
    life_event: str = ""
    channel: str = ""
    frequency: str = ""
    handling_level: str = ""
    center: str = ""
    include_cancelled: bool = False
    limit: int = 200


def _filters(params: ItemQuery) -> selectors.SearchFilters:
    return selectors.SearchFilters(
        q=params.q,
        domain=params.domain,
        life_event=params.life_event,
        channel=params.channel,
        frequency=params.frequency,
        handling_level=params.handling_level,
        include_cancelled=params.include_cancelled,
        center=_center(params.center),
    )


@router.get(
    "/items",
    response=list[ItemSummary],
    auth=None,
    summary="Items, filtered by domain, life event, channel, frequency, level or center",
)
def items(request, params: Query[ItemQuery]):
    limit = max(1, min(params.limit, 1000))
    return [_summary(i) for i in selectors.search_items(_filters(params), limit=limit)]


@router.get(
    "/search",
    response=list[ItemSummary],
    auth=None,
    summary="Search as one types: name, pinyin, pinyin initials (ylbx → 养老保险), other names",
)
def search(request, q: str, limit: int = 10):
    found = selectors.search_items(selectors.SearchFilters(q=q), limit=max(1, min(limit, 50)))
    return [_summary(i) for i in found]


@router.get(
    "/items/{code}",
    response=ItemDetail,
    auth=None,
    summary="An item with its published guide; with ?center=<division code>, that center's place, hours and phones",
)
def item_detail(request, code: str, center: str = ""):
    item = _item(code)
    version = selectors.published_guide(item)
    data = item_fields(item)
    data.update(
        domain_name=item.domain.name,
        applicable=selectors.is_applicable(item),
        version=_version_summary(version) if version else None,
        guide=guide_content(version) if version else None,
        place=_place(_center(center)),
    )
    return data


@router.get(
    "/items/{code}/versions",
    response=list[VersionSummary],
    auth=None,
    summary="The item's guide versions (drafts only for catalogue editors)",
)
def versions(request, code: str):
    item = _item(code)
    user = _user(request)
    return [
        _version_summary(v)
        for v in selectors.versions_of(item)
        if selectors.may_see_version(user, v)
    ]


def _version(request, version_id: int) -> GuideVersion:
    version = get_object_or_404(
        prefetch_versions(GuideVersion.objects.select_related("item", "item__domain")),
        pk=version_id,
    )
    if not selectors.may_see_version(_user(request), version):
        raise Http404
    return version


@router.get(
    "/versions/{version_id}", response=VersionDetail, auth=None, summary="One guide version"
)
def version_detail(request, version_id: int):
    version = _version(request, version_id)
    problems = services.guide_problems(version) if version.state in ("draft", "reviewed") else []
    return {
        **_version_summary(version),
        "item": version.item.basic_code,
        "guide": guide_content(version),
        "problems": [p.message for p in problems],
    }


@router.get(
    "/items/{code}/diff",
    response=DiffOut,
    auth=None,
    summary="What changed between two versions (a, b are version numbers; default: the last two)",
)
def diff(request, code: str, a: int | None = None, b: int | None = None):
    item = _item(code)
    visible = [
        v for v in selectors.versions_of(item) if selectors.may_see_version(_user(request), v)
    ]
    by_number = {v.number: v for v in visible}
    if a is None or b is None:
        if len(visible) < 2:
            raise ValidationError({"a": _("Versions: this item has only one version.")})
        new, old = visible[0], visible[1]
    else:
        if a not in by_number:
            raise ValidationError({"a": _("Version %(n)s: no such version.") % {"n": a}})
        if b not in by_number:
            raise ValidationError({"b": _("Version %(n)s: no such version.") % {"n": b}})
        old, new = by_number[a], by_number[b]
    return diff_as_dict(diff_versions(old, new))


@router.get("/bundles", response=list[BundleOut], auth=None, summary="Bundles (一件事)")
def bundles(request):
    return [
        {
            "code": b.code,
            "name": b.name,
            "life_event": b.life_event.name,
            "description": b.description,
            "items": [_summary(bi.item) for bi in b.bundle_items.all()],
        }
        for b in selectors.bundles()
    ]


@router.get(
    "/bundles/{code}",
    response=BundleDetail,
    auth=None,
    summary="A bundle with its merged material list (a material needed by several items once)",
)
def bundle_detail(request, code: str):
    bundle = get_object_or_404(Bundle.objects.select_related("life_event"), code=code)
    members = selectors.bundle_items(bundle)
    return {
        "code": bundle.code,
        "name": bundle.name,
        "life_event": bundle.life_event.name,
        "description": bundle.description,
        "items": [_summary(i) for i in members],
        "materials": [
            {
                "name": m.name,
                "necessity": m.necessity,
                "forms": m.forms,
                "paper_copies": m.paper_copies,
                "deferrable": m.deferrable,
                "items": [i.basic_code for i in m.items],
                "shared": m.shared,
            }
            for m in selectors.merged_materials(members)
        ],
    }


@router.get(
    "/centers/{center_code}/items",
    response=list[ItemSummary],
    auth=None,
    summary="The items a center handles (entered and in force)",
)
def center_items(request, center_code: str):
    center = _center(center_code)
    return [_summary(i) for i in selectors.entered_items(center)]


# --- Audit ----------------------------------------------------------------------------------------


def _finding(f: AuditFinding) -> dict:
    return {
        "severity": f.severity,
        "code": f.code,
        "message": f.message,
        "item": f.item.name if f.item_id else None,
        "item_code": f.item.basic_code if f.item_id else None,
        "center": f.center.name if f.center_id else None,
        "center_code": f.center.region.code if f.center_id else None,
    }


def _audit_out(run: AuditRun, findings) -> dict:
    findings = list(findings)
    return {
        "id": run.pk,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "region": run.region.name if run.region_id else None,
        "items_checked": run.items_checked,
        "centers_checked": run.centers_checked,
        "score": float(run.score) if run.score is not None else None,
        "findings_count": len(findings),
        "findings": [_finding(f) for f in findings],
    }


def _audit_scope(user, county: str | None, center: str | None):
    """(region, center) the user may see findings for; refuses what is outside their scope."""
    if not center and not guide_audit.may_run_audit(user) and getattr(user, "center_id", None):
        center = user.center.region.code
    if center:
        c = _center(center)
        if not (can(user, Action.VIEW_CENTER, center=c) or can(user, Action.EDIT_CATALOGUE)):
            authorize(user, Action.VIEW_CENTER, center=c)
        return None, c
    if not guide_audit.may_run_audit(user):
        raise PermissionDenied(_("Only supervisors and catalogue editors see the whole audit."))
    return _county_in_scope(user, county), None


def _county_in_scope(user, code: str | None) -> Region | None:
    """A county supervisor works on her county only; the city and the administrator on any."""
    own = user.region if getattr(user, "region_id", None) else None
    if own is not None and own.level == Region.Level.COUNTY:
        if code and code != own.code:
            raise PermissionDenied(_("This county is outside your scope."))
        return own
    return get_object_or_404(Region, code=code, level=Region.Level.COUNTY) if code else None


@router.get(
    "/audit",
    response=AuditOut,
    auth=session_auth,
    summary="The latest guide audit's findings (?county= or ?center= narrows them)",
)
def audit(request, county: str | None = None, center: str | None = None, severity: str = ""):
    region, c = _audit_scope(request.auth, county, center)
    run = latest_run()
    if run is None:
        raise Http404
    return _audit_out(run, run_findings(run, region=region, center=c, severity=severity))


@router.post("/audit", response=AuditOut, auth=session_auth, summary="Run the guide audit now")
def audit_run(request, payload: AuditIn):
    if not guide_audit.may_run_audit(request.auth):
        raise PermissionDenied(_("Only supervisors and catalogue editors run the guide audit."))
    region = _county_in_scope(request.auth, payload.county)
    result = guide_audit.run_audit(request.auth, region=region)
    return _audit_out(result.run, run_findings(result.run))


@router.get(
    "/audit/{run_id}/findings.xlsx",
    auth=session_auth,
    summary="A run's findings as an Excel workbook",
    response={200: None},
)
def audit_export(request, run_id: int, county: str | None = None, center: str | None = None):
    region, c = _audit_scope(request.auth, county, center)
    run = get_object_or_404(AuditRun, pk=run_id)
    response = HttpResponse(
        findings_workbook(run, region=region, center=c), content_type=excel.XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="guide-audit-{run.pk}.xlsx"'
    return response


# --- Excel ----------------------------------------------------------------------------------------


@router.get(
    "/export",
    auth=None,
    summary="The whole catalogue as an Excel workbook (?template=true: the empty template)",
    response={200: None},
)
def export(request, template: bool = False):
    content = excel.export_workbook(template_only=template)
    name = (
        "catalogue-template.xlsx" if template else f"catalogue-{timezone.localdate():%Y%m%d}.xlsx"
    )
    response = HttpResponse(content, content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.post(
    "/import",
    response=ImportOut,
    auth=session_auth,
    summary="Import a catalogue workbook: every error by sheet, row and column; all or nothing",
)
def import_(request, file: File[UploadedFile]):
    outcome = services.import_workbook(request.auth, file.read(), filename=file.name or "")
    return {
        "ok": outcome.ok,
        "errors": [e.as_dict() for e in outcome.errors],
        "changes": outcome.result.as_dict() if outcome.result else {},
    }


# --- Editing guides -------------------------------------------------------------------------------


def _editable(request, version_id: int) -> GuideVersion:
    authorize(request.auth, Action.EDIT_CATALOGUE)
    return get_object_or_404(GuideVersion.objects.select_related("item"), pk=version_id)


@router.post(
    "/items/{code}/drafts",
    response=VersionSummary,
    auth=session_auth,
    summary="Start a new draft from the published guide",
)
def start_draft(request, code: str):
    return _version_summary(services.start_draft(request.auth, _item(code)))


@router.put(
    "/versions/{version_id}",
    response=VersionDetail,
    auth=session_auth,
    summary="Replace a draft's content (malformed values refused, missing ones listed)",
)
def save_draft(request, version_id: int, payload: SaveDraftIn):
    version = services.save_draft(
        request.auth,
        _editable(request, version_id),
        payload.guide.dict(),
        change_note=payload.change_note,
    )
    return version_detail(request, version.pk)


@router.post(
    "/versions/{version_id}/review",
    response=VersionSummary,
    auth=session_auth,
    summary="Review a complete draft (not by its last editor)",
)
def review(request, version_id: int, payload: TransitionIn):
    return _version_summary(
        services.review_guide(request.auth, _editable(request, version_id), note=payload.note)
    )


@router.post(
    "/versions/{version_id}/return",
    response=VersionSummary,
    auth=session_auth,
    summary="Return a reviewed version to draft",
)
def return_(request, version_id: int, payload: TransitionIn):
    return _version_summary(
        services.return_to_draft(request.auth, _editable(request, version_id), reason=payload.note)
    )


@router.post(
    "/versions/{version_id}/publish",
    response=VersionSummary,
    auth=session_auth,
    summary="Publish a reviewed version (refused, with the list, when anything is missing)",
)
def publish(request, version_id: int):
    return _version_summary(services.publish_guide(request.auth, _editable(request, version_id)))
