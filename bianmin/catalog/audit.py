"""The guide audit (完整性、准确性排查): every published guide, every center that handles it.

Checks come from two places:

- this app's own: each published guide against ``rules`` (completeness and accuracy), each active
  item for a published guide and a legal basis, and each center for the record a guide shows
  (address, phones) and for items entered without a guide;
- checks other apps plug in with ``register_check``: the hall app adds "an entered item that no
  window will serve". A check is ``fn(center_or_None) -> Iterable[Finding]``; ``None`` means
  "every center".

Scores (0–100), explained in docs/catalog.md:

- an item: 100 − 25 per incompleteness − 10 per inaccuracy − 2 per notice (0 without a
  published guide);
- a center: the mean over its entered items of the item's score less that center's own findings
  about the item, less the center's findings about itself;
- a county: the mean of its centers; the run: the mean of the centers checked (of the items when
  no center is in scope).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bianmin.identity.permissions import Action, authorize, can
from bianmin.org.models import Center, Region
from bianmin.org.validators import malformed_phones

from . import rules
from .content import guide_content, item_fields, prefetch_versions
from .models import AuditFinding, AuditRun, GuideVersion, ItemEntry, ServiceItem

Severity = AuditFinding.Severity
PENALTY = {Severity.ERROR: 25, Severity.WARNING: 10, Severity.NOTICE: 2}
STALE_AFTER = dt.timedelta(days=365)
KIND_SEVERITY = {
    rules.FORM: Severity.WARNING,
    rules.MISSING: Severity.ERROR,
    rules.ACCURACY: Severity.WARNING,
    rules.NOTICE: Severity.NOTICE,
}


@dataclass(frozen=True)
class Finding:
    """One thing the audit found. ``center`` is None for a finding about the guide itself."""

    item: ServiceItem | None
    center: Center | None
    severity: str
    code: str
    message: str


Check = Callable[[Center | None], Iterable[Finding]]
_CHECKS: list[Check] = []

# What each rule code means, in words a reader of the findings understands (the Excel export's
# 规则 column, the page). ``missing_<element>`` codes are named from the element's label.
RULE_NAMES: dict[str, str] = {
    # form (stored data that the editor would refuse today)
    "not_a_number": gettext_lazy("Not a number"),
    "out_of_range": gettext_lazy("Number out of range"),
    "bad_choice": gettext_lazy("Not one of the choices"),
    "bad_url": gettext_lazy("Malformed web address"),
    "too_long": gettext_lazy("Text too long"),
    # missing elements
    "no_published_guide": gettext_lazy("No published guide"),
    "missing_material_name": gettext_lazy("Material without a name"),
    "missing_condition_note": gettext_lazy("Conditional material without its case"),
    "missing_step_name": gettext_lazy("Step without a name"),
    "missing_special_step_days": gettext_lazy("Special step without its time"),
    "missing_fee_name": gettext_lazy("Fee without a name"),
    "missing_fee_standard": gettext_lazy("Fee without its standard"),
    "missing_faq_text": gettext_lazy("Question without question or answer"),
    # accuracy
    "promised_over_statutory": gettext_lazy("Promised limit above the statutory limit"),
    "fee_without_basis": gettext_lazy("Fee without basis"),
    "material_without_form": gettext_lazy("Material without its form"),
    "material_without_copies": gettext_lazy("Copy without the number of copies"),
    "electronic_with_copies": gettext_lazy("Electronic material with paper copies"),
    "deferral_forbidden": gettext_lazy("Deferrable material where deferral is not allowed"),
    "not_reviewed_12_months": gettext_lazy("Guide not reviewed for 12 months"),
    # suggestions
    "no_faq": gettext_lazy("No common questions"),
    "form_without_blank": gettext_lazy("Form without its blank form"),
    "no_statutory_limit_note": gettext_lazy("No statutory limit and no note"),
    "steps_exceed_limit": gettext_lazy("Steps longer than the promised limit"),
    # the center
    "center_record_incomplete": gettext_lazy("Center's record incomplete"),
    "center_malformed_phone": gettext_lazy("Malformed consultation phone"),
    "center_malformed_complaint_phone": gettext_lazy("Malformed complaint phone"),
    "no_items_entered": gettext_lazy("No item entered"),
    "cancelled_item_entered": gettext_lazy("Cancelled item still entered"),
    "entered_without_guide": gettext_lazy("Item entered without a guide"),
    "forwarded_entered_as_delegated": gettext_lazy("Forwarded item entered as delegated"),
}


def rule_name(code: str) -> str:
    """The rule's name for people: 「承诺时限超过法定时限」, 「要素缺失：受理条件」."""
    if code in RULE_NAMES:
        return str(RULE_NAMES[code])
    if code.startswith("missing_"):
        return _("Missing element: %(element)s") % {
            "element": rules.field_label((code.removeprefix("missing_"),))
        }
    return code


def register_check(fn: Check, *, names: dict[str, str] | None = None) -> Check:
    """Add a check the audit runs with its own (adding twice is harmless), with the names of
    the rule codes its findings carry (``{"hall_unserved_item": gettext_lazy("…")}``)."""
    if fn not in _CHECKS:
        _CHECKS.append(fn)
    RULE_NAMES.update(names or {})
    return fn


def registered_checks() -> list[Check]:
    return list(_CHECKS)


# --- The catalogue's own checks ---------------------------------------------------------------


def item_findings(
    item: ServiceItem, version: GuideVersion | None, now: dt.datetime
) -> list[Finding]:
    """Findings about one item and its published guide (the same at every center)."""
    out: list[Finding] = []
    data = item_fields(item)
    for p in rules.item_completeness_problems(data):
        out.append(Finding(item, None, KIND_SEVERITY[p.kind], p.code, p.message))
    if version is None:
        out.append(
            Finding(
                item,
                None,
                Severity.ERROR,
                "no_published_guide",
                _("No published guide: citizens cannot read how to apply."),
            )
        )
        return out
    guide = guide_content(version)
    problems = (
        rules.guide_completeness_problems(guide)
        + rules.guide_accuracy_problems(guide)
        + rules.guide_notices(guide)
        + [p for p in rules.guide_form_problems(guide) if p.code != "promised_over_statutory"]
    )
    for p in problems:
        out.append(Finding(item, None, KIND_SEVERITY[p.kind], p.code, p.message))
    checked = version.confirmed_at or version.reviewed_at or version.published_at
    if checked is None or now - checked > STALE_AFTER:
        out.append(
            Finding(
                item,
                None,
                Severity.WARNING,
                "not_reviewed_12_months",
                _("The guide has not been reviewed for 12 months (last: %(date)s).")
                % {"date": f"{timezone.localtime(checked):%Y-%m-%d}" if checked else "—"},
            )
        )
    return out


def center_findings(center: Center, entries: list[ItemEntry], published: set[int]) -> list[Finding]:
    """The center's record as guides show it, and the items entered at the center."""
    out: list[Finding] = []
    labels = {
        "address": _("address"),
        "phone": _("consultation phone"),
        "complaint_phone": _("complaint phone"),
    }
    missing = [str(label) for field, label in labels.items() if not getattr(center, field)]
    if missing:
        out.append(
            Finding(
                None,
                center,
                Severity.ERROR,
                "center_record_incomplete",
                _("The center's record has no %(fields)s: guides shown or printed here lack them.")
                % {"fields": "、".join(missing)},
            )
        )
    for field in ("phone", "complaint_phone"):
        value = getattr(center, field)
        # The consultation phone is the center's own line; the complaint line may be a hotline.
        if value and malformed_phones(value, hotline=field == "complaint_phone"):
            out.append(
                Finding(
                    None,
                    center,
                    Severity.WARNING,
                    f"center_malformed_{field}",
                    _("The center's %(field)s “%(value)s” is not a well-formed phone number.")
                    % {"field": labels[field], "value": value},
                )
            )
    if not entries:
        out.append(
            Finding(
                None,
                center,
                Severity.ERROR,
                "no_items_entered",
                _("No catalogue item is entered at this center."),
            )
        )
    for entry in entries:
        item = entry.item
        if item.status != ServiceItem.Status.ACTIVE:
            out.append(
                Finding(
                    item,
                    center,
                    Severity.ERROR,
                    "cancelled_item_entered",
                    _("“%(item)s” was cancelled but is still entered here.") % {"item": item},
                )
            )
        elif item.is_forwarded and entry.mode == ItemEntry.Mode.DELEGATED:
            out.append(
                Finding(
                    item,
                    center,
                    Severity.WARNING,
                    "forwarded_entered_as_delegated",
                    _(
                        "“%(item)s” is forwarded to the county but entered here by delegated "
                        "authority: change the mode to assisted service or commissioned."
                    )
                    % {"item": item},
                )
            )
        if item.status == ServiceItem.Status.ACTIVE and item.pk not in published:
            out.append(
                Finding(
                    item,
                    center,
                    Severity.ERROR,
                    "entered_without_guide",
                    _("“%(item)s” is entered here but has no published guide.") % {"item": item},
                )
            )
    return out


# --- Running ------------------------------------------------------------------------------------


@dataclass
class AuditResult:
    run: AuditRun
    findings: list[Finding]
    item_scores: dict[int, float]
    center_scores: dict[int, float]
    county_scores: dict[int, float]


def _score(findings: Iterable[Finding], start: float = 100.0) -> float:
    return max(0.0, start - sum(PENALTY[f.severity] for f in findings))


def audit_centers(region: Region | None):
    qs = Center.objects.select_related("region", "region__parent").order_by("region__code")
    if region is None or region.level == Region.Level.CITY:
        return qs
    if region.level == Region.Level.COUNTY:
        return qs.filter(region__parent=region)
    return qs.filter(region=region)


def may_run_audit(user) -> bool:
    return can(user, Action.SUPERVISE) or can(user, Action.EDIT_CATALOGUE)


def run_audit(
    actor=None,
    *,
    region: Region | None = None,
    progress: Callable[[int, int], None] | None = None,
    now: dt.datetime | None = None,
) -> AuditResult:
    """Check every active item's published guide and every center in ``region`` (all: None).

    ``actor`` None is the system (the management command). Saves the run, its scores and its
    findings in one transaction.
    """
    if actor is not None and not may_run_audit(actor):
        authorize(actor, Action.SUPERVISE)
    now = now or timezone.now()
    items = list(
        ServiceItem.objects.filter(status=ServiceItem.Status.ACTIVE)
        .select_related("domain")
        .prefetch_related(
            "life_events",
            Prefetch(
                "guide_versions",
                queryset=prefetch_versions(
                    GuideVersion.objects.filter(state=GuideVersion.State.PUBLISHED)
                ),
                to_attr="published_versions",
            ),
        )
    )
    centers = list(audit_centers(region))
    entries_by_center: dict[int, list[ItemEntry]] = defaultdict(list)
    today = timezone.localdate(now)
    for entry in (
        ItemEntry.objects.filter(
            center__in=[c.pk for c in centers] if region is not None else Center.objects.all(),
            withdrawn_on__isnull=True,
            entered_on__lte=today,
        )
        .select_related("item")
        .order_by("center_id", "item_id")
    ):
        entries_by_center[entry.center_id].append(entry)

    total = len(items) + len(centers) + len(_CHECKS)
    done = 0
    findings: list[Finding] = []
    by_item: dict[int, list[Finding]] = {}
    published: set[int] = set()
    for item in items:
        version = item.published_versions[0] if item.published_versions else None
        if version is not None:
            published.add(item.pk)
        found = item_findings(item, version, now)
        by_item[item.pk] = found
        findings.extend(found)
        done += 1
        if progress:
            progress(done, total)
    item_scores = {pk: (_score(found) if pk in published else 0.0) for pk, found in by_item.items()}

    center_found: dict[int, list[Finding]] = defaultdict(list)
    for center in centers:
        found = center_findings(center, entries_by_center.get(center.pk, []), published)
        center_found[center.pk].extend(found)
        done += 1
        if progress:
            progress(done, total)
    center_ids = {c.pk for c in centers}
    for check in _CHECKS:
        scope = centers[0] if region is not None and len(centers) == 1 else None
        for f in check(scope):
            if f.center is not None:
                if f.center.pk in center_ids:
                    center_found[f.center.pk].append(f)
            else:
                findings.append(f)
        done += 1
        if progress:
            progress(done, total)

    center_scores: dict[int, float] = {}
    for center in centers:
        own = center_found[center.pk]
        findings.extend(own)
        per_item: dict[int, list[Finding]] = defaultdict(list)
        about_center = []
        for f in own:
            (per_item[f.item.pk] if f.item is not None else about_center).append(f)
        entered = entries_by_center.get(center.pk, [])
        if entered:
            scores = [
                _score(per_item.get(e.item_id, []), item_scores.get(e.item_id, 0.0))
                for e in entered
            ]
            base = sum(scores) / len(scores)
        else:
            base = 0.0
        center_scores[center.pk] = round(_score(about_center, base), 1)

    by_county: dict[int, list[float]] = defaultdict(list)
    for center in centers:
        by_county[center.region.parent_id].append(center_scores[center.pk])
    county_scores = {pk: round(sum(v) / len(v), 1) for pk, v in by_county.items()}
    if center_scores:
        overall = sum(center_scores.values()) / len(center_scores)
    elif item_scores:
        overall = sum(item_scores.values()) / len(item_scores)
    else:
        overall = 0.0

    with transaction.atomic():
        run = AuditRun.objects.create(
            actor=actor,
            region=region,
            items_checked=len(items),
            centers_checked=len(centers),
            score=Decimal(str(round(overall, 1))),
            scores={
                "items": {str(k): round(v, 1) for k, v in item_scores.items()},
                "centers": {str(k): v for k, v in center_scores.items()},
                "counties": {str(k): v for k, v in county_scores.items()},
            },
        )
        AuditFinding.objects.bulk_create(
            [
                AuditFinding(
                    run=run,
                    item=f.item,
                    center=f.center,
                    severity=f.severity,
                    code=f.code,
                    message=f.message[:500],
                )
                for f in findings
            ],
            batch_size=1000,
        )
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
    return AuditResult(run, findings, item_scores, center_scores, county_scores)
