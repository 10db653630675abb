"""The catalogue as plain data: one shape for the seed file, Excel, the API, diffs and the audit.

The shape is ``data/FORMAT.md``'s, plus the national elements the seed file leaves out
(implementation code, implementing body, other names, status, time-limit note, online address,
attached files). ``normalize_*`` fill the defaults so that two dicts describing the same guide
compare equal; ``guide_content`` and ``item_data`` read the database into the same shape.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from .models import (
    CHANNELS,
    Bundle,
    Domain,
    GuideVersion,
    ServiceItem,
)

MATERIAL_FIELDS: dict[str, Any] = {
    "name": "",
    "necessity": "required",
    "condition_note": "",
    "form": "",
    "paper_copies": 0,
    "specification": "",
    "source_channel": "applicant",
    "source_note": "",
    "acceptance_standard": "",
    "basis": "",
    "notes": "",
    "deferrable": False,
    "blank_form": "",
    "sample": "",
}
STEP_FIELDS: dict[str, Any] = {"name": "", "description": "", "days": None}
SPECIAL_STEP_FIELDS: dict[str, Any] = {**STEP_FIELDS, "counts_in_limit": False}
FEE_FIELDS: dict[str, Any] = {"name": "", "standard": "", "basis": "", "exemption": ""}
FAQ_FIELDS: dict[str, Any] = {"question": "", "answer": ""}
GUIDE_SCALARS: dict[str, Any] = {
    "conditions": "",
    "statutory_days": None,
    "promised_days": None,
    "time_limit_note": "",
    "allows_deferral": False,
    "visits": None,
    "result_type": "",
    "result_name": "",
    "result_sample": "",
    "online_url": "",
}
GUIDE_LISTS = {
    "materials": MATERIAL_FIELDS,
    "steps": STEP_FIELDS,
    "special_steps": SPECIAL_STEP_FIELDS,
    "fees": FEE_FIELDS,
    "faq": FAQ_FIELDS,
}
ITEM_FIELDS: dict[str, Any] = {
    "basic_code": "",
    "implementation_code": "",
    "name": "",
    "domain": "",
    "item_type": "",
    "legal_basis": "",
    "implementing_body": "",
    "handling_level": "",
    "frequency": "",
    "service_object": ["person"],
    "channels": ["window"],
    "supports_appointment": False,
    "supports_express": False,
    "supports_online_payment": False,
    "cross_region": "",
    "life_events": [],
    "keywords": "",
    "status": "active",
    "cancelled_at": None,
    "cancel_reason": "",
}
DOMAIN_FIELDS: dict[str, Any] = {
    "code": "",
    "name": "",
    "full_name": "",
    "department_suffix": "",
    "window_group": "other",
}
BUNDLE_FIELDS: dict[str, Any] = {
    "code": "",
    "name": "",
    "life_event": "",
    "description": "",
    "items": [],
}


def _clean(value: Any, default: Any) -> Any:
    if value is None:
        return default if not isinstance(default, list) else list(default)
    if isinstance(default, str) and isinstance(value, str):
        return value.strip()
    if isinstance(default, list):
        return list(value)
    return value


def _fill(raw: dict, fields: dict[str, Any]) -> dict:
    return {key: _clean(raw.get(key), default) for key, default in fields.items()}


def normalize_guide(raw: dict | None) -> dict:
    raw = raw or {}
    out = _fill(raw, GUIDE_SCALARS)
    for key, fields in GUIDE_LISTS.items():
        out[key] = [_fill(row or {}, fields) for row in (raw.get(key) or [])]
    return out


def normalize_item(raw: dict) -> dict:
    out = _fill(raw, ITEM_FIELDS)
    out["guide"] = normalize_guide(raw.get("guide")) if raw.get("guide") is not None else None
    if "guide_version" in raw:
        out["guide_version"] = raw.get("guide_version")
    return out


def normalize_catalogue(raw: dict) -> dict:
    return {
        "version": raw.get("version", 1),
        "source_note": raw.get("source_note", ""),
        "domains": [_fill(d or {}, DOMAIN_FIELDS) for d in raw.get("domains") or []],
        "items": [normalize_item(i or {}) for i in raw.get("items") or []],
        "bundles": [_fill(b or {}, BUNDLE_FIELDS) for b in raw.get("bundles") or []],
    }


# --- Reading the database into the shape ---------------------------------------------------------


def guide_content(version: GuideVersion) -> dict:
    """A guide version as the canonical dict (uses prefetched children when present)."""
    out = {key: getattr(version, key) for key in GUIDE_SCALARS}
    out["result_sample"] = version.result_sample.name or ""
    out["materials"] = [
        {
            **{k: getattr(m, k) for k in MATERIAL_FIELDS if k not in ("blank_form", "sample")},
            "blank_form": m.blank_form.name or "",
            "sample": m.sample.name or "",
        }
        for m in version.materials.all()
    ]
    steps = list(version.steps.all())
    out["steps"] = [{k: getattr(s, k) for k in STEP_FIELDS} for s in steps if not s.special]
    out["special_steps"] = [
        {k: getattr(s, k) for k in SPECIAL_STEP_FIELDS} for s in steps if s.special
    ]
    out["fees"] = [{k: getattr(f, k) for k in FEE_FIELDS} for f in version.fees.all()]
    out["faq"] = [{k: getattr(f, k) for k in FAQ_FIELDS} for f in version.faqs.all()]
    return normalize_guide(out)


def item_fields(item: ServiceItem) -> dict:
    """The item's own elements (without its guide)."""
    return {
        "basic_code": item.basic_code,
        "implementation_code": item.implementation_code,
        "name": item.name,
        "domain": item.domain.code,
        "item_type": item.item_type,
        "legal_basis": item.legal_basis,
        "implementing_body": item.implementing_body,
        "handling_level": item.handling_level,
        "frequency": item.frequency,
        "service_object": item.service_objects,
        "channels": item.channels,
        "supports_appointment": item.supports_appointment,
        "supports_express": item.supports_express,
        "supports_online_payment": item.supports_online_payment,
        "cross_region": item.cross_region,
        "life_events": sorted(e.name for e in item.life_events.all()),
        "keywords": item.keywords,
        "status": item.status,
        "cancelled_at": item.cancelled_at,
        "cancel_reason": item.cancel_reason,
    }


def prefetch_versions(qs):
    return qs.prefetch_related("materials", "steps", "fees", "faqs")


def current_version(item: ServiceItem) -> GuideVersion | None:
    """The published version; for a cancelled item, the last one that was published."""
    versions = [v for v in item.guide_versions.all()]
    published = [v for v in versions if v.state == GuideVersion.State.PUBLISHED]
    if published:
        return published[0]
    if item.status == ServiceItem.Status.CANCELLED:
        retired = [v for v in versions if v.state == GuideVersion.State.RETIRED]
        return max(retired, key=lambda v: v.number) if retired else None
    return None


def catalogue_data(*, include_cancelled: bool = True) -> dict:
    """The whole catalogue (domains, items with their current guide, bundles) as one dict."""
    items = ServiceItem.objects.select_related("domain").prefetch_related(
        "life_events",
        Prefetch(
            "guide_versions",
            queryset=prefetch_versions(
                GuideVersion.objects.filter(
                    state__in=[GuideVersion.State.PUBLISHED, GuideVersion.State.RETIRED]
                ).order_by("-number")
            ),
        ),
    )
    if not include_cancelled:
        items = items.filter(status=ServiceItem.Status.ACTIVE)
    out_items = []
    for item in items.order_by("domain__order", "domain__code", "basic_code"):
        data = item_fields(item)
        version = current_version(item)
        data["guide"] = guide_content(version) if version else None
        data["guide_version"] = version.number if version else None
        out_items.append(data)
    bundles = Bundle.objects.select_related("life_event").prefetch_related("bundle_items__item")
    return {
        "version": 1,
        "source_note": "",
        "domains": [
            {k: getattr(d, k) for k in DOMAIN_FIELDS}
            for d in Domain.objects.order_by("order", "code")
        ],
        "items": out_items,
        "bundles": [
            {
                "code": b.code,
                "name": b.name,
                "life_event": b.life_event.name,
                "description": b.description,
                "items": [bi.item.basic_code for bi in b.bundle_items.all()],
            }
            for b in bundles.order_by("code")
        ],
    }


def channels_of(item_data: dict) -> dict[str, bool]:
    return {f"channel_{c}": c in item_data["channels"] for c in CHANNELS}
