"""Every change to the catalogue: items, guide versions, entries per center, bundles, imports.

Each function runs in one transaction, checks the permission (``identity.permissions``) and the
rules (``rules``), changes the rows and appends a ``CatalogEvent``. A refused change raises
``ValidationError`` (field → Chinese messages) or ``PermissionDenied`` and leaves everything as
it was.

The guide lifecycle::

    start_draft ──► draft ──review_guide──► reviewed ──publish_guide──► published ──► retired
                     ▲  │ save_draft            │ return_to_draft           (the next publication,
                     │  └─ discard_draft        ▼                            or cancelling the item)
                     └──────────────────────── draft

One published version per item; publishing retires the previous one. Reviewing and publishing
refuse a guide with any missing or wrong element and list them all. The reviewer is not the last
person who edited the draft (four eyes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from bianmin.identity.permissions import Action, authorize
from bianmin.org.models import Center, Department, Region

from . import rules
from .content import (
    BUNDLE_FIELDS,
    DOMAIN_FIELDS,
    GUIDE_SCALARS,
    MATERIAL_FIELDS,
    guide_content,
    item_fields,
    normalize_catalogue,
    normalize_guide,
    normalize_item,
)
from .models import (
    FAQ,
    Bundle,
    BundleItem,
    CatalogEvent,
    Domain,
    Fee,
    GuideVersion,
    ItemEntry,
    LifeEvent,
    Material,
    ServiceItem,
    Step,
)
from .search import search_keys, split_keywords

State = GuideVersion.State
Kind = CatalogEvent.Kind


def _event(kind: str, *, actor=None, item=None, version=None, center=None, reason="", detail=None):
    return CatalogEvent.objects.create(
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        item=item,
        version=version,
        center=center,
        reason=(reason or "")[:300],
        detail=detail or {},
        effective_on=timezone.localdate(),
    )


def _as_aware(value) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, dt.date):
        return timezone.make_aware(dt.datetime.combine(value, dt.time()))
    return None


# --- Search keys and life events -----------------------------------------------------------------


def refresh_search_keys(item: ServiceItem, life_event_names: list[str] | None = None) -> None:
    """Recompute the item's search columns (name, other names, domain, life events, pinyin)."""
    if life_event_names is None:
        life_event_names = [e.name for e in item.life_events.all()] if item.pk else []
    extra = [*split_keywords(item.keywords), item.domain.name, *life_event_names]
    item.search_keys, item.name_initials = search_keys(item.name, *extra)


def _life_events(names: set[str]) -> dict[str, LifeEvent]:
    existing = {e.name: e for e in LifeEvent.objects.filter(name__in=names)}
    missing = [
        LifeEvent(name=n, pinyin=search_keys(n)[0]) for n in sorted(names) if n not in existing
    ]
    if missing:
        LifeEvent.objects.bulk_create(missing)
        existing = {e.name: e for e in LifeEvent.objects.filter(name__in=names)}
    return existing


# --- Writing a guide's content ------------------------------------------------------------------


def _write_children(versions_and_guides: list[tuple[GuideVersion, dict]]) -> None:
    """Replace the materials, steps, fees and questions of each version (bulk)."""
    ids = [v.pk for v, _g in versions_and_guides]
    Material.objects.filter(guide_id__in=ids).delete()
    Step.objects.filter(guide_id__in=ids).delete()
    Fee.objects.filter(guide_id__in=ids).delete()
    FAQ.objects.filter(guide_id__in=ids).delete()
    materials, steps, fees, faqs = [], [], [], []
    for version, guide in versions_and_guides:
        for i, m in enumerate(guide["materials"]):
            materials.append(Material(guide=version, order=i, **{k: m[k] for k in MATERIAL_FIELDS}))
        for i, s in enumerate(guide["steps"]):
            steps.append(
                Step(
                    guide=version,
                    order=i,
                    special=False,
                    name=s["name"],
                    description=s["description"],
                    days=s["days"],
                    counts_in_limit=True,
                )
            )
        for i, s in enumerate(guide["special_steps"]):
            steps.append(
                Step(
                    guide=version,
                    order=i,
                    special=True,
                    name=s["name"],
                    description=s["description"],
                    days=s["days"],
                    counts_in_limit=bool(s["counts_in_limit"]),
                )
            )
        for i, f in enumerate(guide["fees"]):
            fees.append(Fee(guide=version, order=i, **f))
        for i, q in enumerate(guide["faq"]):
            faqs.append(FAQ(guide=version, order=i, **q))
    Material.objects.bulk_create(materials, batch_size=500)
    Step.objects.bulk_create(steps, batch_size=500)
    Fee.objects.bulk_create(fees, batch_size=500)
    FAQ.objects.bulk_create(faqs, batch_size=500)


def _set_scalars(version: GuideVersion, guide: dict) -> None:
    for key in GUIDE_SCALARS:
        setattr(version, key, guide[key])


def _next_number(item: ServiceItem) -> int:
    return (GuideVersion.objects.filter(item=item).aggregate(n=Max("number"))["n"] or 0) + 1


def store_upload(upload, folder: str) -> str:
    """Save an uploaded blank form, sample or result sample; returns its storage name."""
    return default_storage.save(f"catalog/{folder}/{upload.name}", upload)


# --- Items ----------------------------------------------------------------------------------------


def _item_attrs(data: dict, domains: dict[str, Domain]) -> dict:
    return {
        "domain": domains[data["domain"]],
        "name": data["name"],
        "implementation_code": data["implementation_code"],
        "item_type": data["item_type"],
        "legal_basis": data["legal_basis"],
        "implementing_body": data["implementing_body"],
        "handling_level": data["handling_level"],
        "frequency": data["frequency"],
        "for_person": "person" in data["service_object"],
        "for_organisation": "organisation" in data["service_object"],
        "channel_window": "window" in data["channels"],
        "channel_online": "online" in data["channels"],
        "channel_kiosk": "kiosk" in data["channels"],
        "channel_post": "post" in data["channels"],
        "supports_appointment": bool(data["supports_appointment"]),
        "supports_express": bool(data["supports_express"]),
        "supports_online_payment": bool(data["supports_online_payment"]),
        "cross_region": data["cross_region"],
        "keywords": data["keywords"],
    }


def _check_item(data: dict, *, new: bool) -> None:
    problems = rules.item_form_problems(
        data, domain_codes=set(Domain.objects.values_list("code", flat=True))
    )
    if (
        new
        and data["basic_code"]
        and ServiceItem.objects.filter(basic_code=data["basic_code"]).exists()
    ):
        problems.append(
            rules.Problem(
                ("basic_code",),
                rules.FORM,
                "duplicate",
                _("Basic code: %(code)s is already used by another item.")
                % {"code": data["basic_code"]},
            )
        )
    rules.raise_if(problems)


@transaction.atomic
def create_item(actor, data: dict, *, reason: str) -> ServiceItem:
    """Add an item to the catalogue (its guide is drafted next). The reason is recorded."""
    authorize(actor, Action.EDIT_CATALOGUE)
    data = normalize_item({**data, "status": "active", "cancelled_at": None, "cancel_reason": ""})
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Reason: say why the item is added (e.g. the provincial list changed).")}
        )
    _check_item(data, new=True)
    domains = {d.code: d for d in Domain.objects.all()}
    item = ServiceItem(basic_code=data["basic_code"], **_item_attrs(data, domains))
    refresh_search_keys(item, data["life_events"])
    item.save()
    item.life_events.set(_life_events(set(data["life_events"])).values())
    _event(Kind.ITEM_ADDED, actor=actor, item=item, reason=reason.strip())
    return item


@transaction.atomic
def update_item(actor, item: ServiceItem, data: dict) -> ServiceItem:
    """Change an item's elements (not its basic code, which identifies it)."""
    authorize(actor, Action.EDIT_CATALOGUE)
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    if item.status != ServiceItem.Status.ACTIVE:
        raise ValidationError({"status": _("Status: a cancelled item can no longer be changed.")})
    current = item_fields(item)
    data = normalize_item({**current, **data, "basic_code": item.basic_code, "status": item.status})
    _check_item(data, new=False)
    domains = {d.code: d for d in Domain.objects.all()}
    attrs = _item_attrs(data, domains)
    changed = [k for k, v in attrs.items() if getattr(item, k) != v]
    if sorted(data["life_events"]) != current["life_events"]:
        changed.append("life_events")
    if not changed:
        return item
    for k, v in attrs.items():
        setattr(item, k, v)
    item.life_events.set(_life_events(set(data["life_events"])).values())
    refresh_search_keys(item, data["life_events"])
    item.save()
    _event(Kind.ITEM_CHANGED, actor=actor, item=item, detail={"fields": changed})
    return item


def _cancel(item: ServiceItem, *, actor, reason: str, at: dt.datetime) -> None:
    item.status = ServiceItem.Status.CANCELLED
    item.cancelled_at = at
    item.cancel_reason = reason
    item.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    GuideVersion.objects.filter(item=item, state=State.PUBLISHED).update(
        state=State.RETIRED, retired_at=at
    )
    today = timezone.localdate(at)
    for entry in ItemEntry.objects.filter(item=item, withdrawn_on__isnull=True):
        entry.withdrawn_on = max(today, entry.entered_on)
        entry.withdraw_reason = _("The item was cancelled.")
        entry.save(update_fields=["withdrawn_on", "withdraw_reason"])
    _event(Kind.ITEM_CANCELLED, actor=actor, item=item, reason=reason)


@transaction.atomic
def cancel_item(actor, item: ServiceItem, *, reason: str) -> ServiceItem:
    """Cancel an item from this moment: its guide is retired, its entries withdrawn, nobody can
    apply for it any more. Accepted cases keep their guide version."""
    authorize(actor, Action.EDIT_CATALOGUE)
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Reason: say why the item is cancelled.")})
    if item.status == ServiceItem.Status.CANCELLED:
        raise ValidationError({"status": _("Status: this item is already cancelled.")})
    _cancel(item, actor=actor, reason=reason, at=timezone.now().replace(microsecond=0))
    return item


# --- Guide versions --------------------------------------------------------------------------------


def _locked(version: GuideVersion) -> GuideVersion:
    return GuideVersion.objects.select_for_update().select_related("item").get(pk=version.pk)


def _refuse_state(version: GuideVersion, allowed: tuple[str, ...], doing: str) -> None:
    if version.state not in allowed:
        raise ValidationError(
            {
                "state": _("State: version %(n)s is %(state)s; it cannot be %(doing)s.")
                % {"n": version.number, "state": version.get_state_display(), "doing": doing}
            }
        )


@transaction.atomic
def start_draft(
    actor, item: ServiceItem, *, from_version: GuideVersion | None = None
) -> GuideVersion:
    """A new draft, copied from ``from_version`` or the published guide (empty for a new item)."""
    authorize(actor, Action.EDIT_CATALOGUE)
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    if item.status != ServiceItem.Status.ACTIVE:
        raise ValidationError({"status": _("Status: a cancelled item gets no new guide.")})
    open_draft = GuideVersion.objects.filter(
        item=item, state__in=[State.DRAFT, State.REVIEWED]
    ).first()
    if open_draft is not None:
        raise ValidationError(
            {
                "state": _(
                    "State: version %(n)s is still open (%(state)s); finish or discard it first."
                )
                % {"n": open_draft.number, "state": open_draft.get_state_display()}
            }
        )
    source = from_version or GuideVersion.objects.filter(item=item, state=State.PUBLISHED).first()
    guide = guide_content(source) if source is not None else normalize_guide({})
    now = timezone.now()
    version = GuideVersion(
        item=item,
        number=_next_number(item),
        state=State.DRAFT,
        created_by=actor,
        edited_by=actor,
        edited_at=now,
    )
    _set_scalars(version, guide)
    version.save()
    _write_children([(version, guide)])
    _event(
        Kind.GUIDE_DRAFTED,
        actor=actor,
        item=item,
        version=version,
        detail={"from": source.number if source else None},
    )
    return version


@transaction.atomic
def save_draft(actor, version: GuideVersion, guide: dict, *, change_note: str = "") -> GuideVersion:
    """Replace a draft's content. Malformed values are refused (nothing is saved); missing
    elements are allowed in a draft and listed by ``missing_elements``."""
    authorize(actor, Action.EDIT_CATALOGUE)
    version = _locked(version)
    _refuse_state(version, (State.DRAFT,), pgettext("guide action", "edited"))
    guide = normalize_guide(guide)
    rules.raise_if(rules.guide_form_problems(guide))
    _set_scalars(version, guide)
    version.change_note = (change_note or version.change_note)[:300]
    version.edited_by = actor
    version.edited_at = timezone.now()
    version.save()
    _write_children([(version, guide)])
    _event(Kind.GUIDE_EDITED, actor=actor, item=version.item, version=version)
    return version


def guide_problems(version: GuideVersion, *, notices: bool = False) -> list[rules.Problem]:
    """Everything that stops ``version`` from being reviewed or published (and notices)."""
    guide = guide_content(version)
    problems = rules.guide_problems(guide, notices=notices)
    problems += rules.item_completeness_problems(item_fields(version.item))
    return problems


def _refuse_incomplete(version: GuideVersion, doing: str) -> None:
    blocking = [p for p in guide_problems(version) if p.kind in rules.BLOCKING]
    if blocking:
        raise ValidationError(
            {
                "__all__": [
                    _("This guide cannot be %(doing)s: %(n)s elements are missing or wrong.")
                    % {"doing": doing, "n": len(blocking)}
                ]
                + [p.message for p in blocking]
            }
        )


@transaction.atomic
def review_guide(actor, version: GuideVersion, *, note: str = "") -> GuideVersion:
    """A second supervisor confirms a complete draft (four eyes)."""
    authorize(actor, Action.EDIT_CATALOGUE)
    version = _locked(version)
    _refuse_state(version, (State.DRAFT,), pgettext("guide action", "reviewed"))
    editor = version.edited_by_id or version.created_by_id
    if editor is not None and editor == actor.pk:
        raise ValidationError(
            {
                "reviewed_by": _(
                    "Reviewer: you edited this draft last; another supervisor must review it."
                )
            }
        )
    _refuse_incomplete(version, pgettext("guide action", "reviewed"))
    version.state = State.REVIEWED
    version.reviewed_by = actor
    version.reviewed_at = timezone.now()
    version.review_note = (note or "")[:300]
    version.save()
    _event(Kind.GUIDE_REVIEWED, actor=actor, item=version.item, version=version, reason=note)
    return version


@transaction.atomic
def return_to_draft(actor, version: GuideVersion, *, reason: str) -> GuideVersion:
    """Send a reviewed version back for more editing."""
    authorize(actor, Action.EDIT_CATALOGUE)
    version = _locked(version)
    _refuse_state(version, (State.REVIEWED,), pgettext("guide action", "returned to draft"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Reason: say what must change.")})
    version.state = State.DRAFT
    version.reviewed_by = None
    version.reviewed_at = None
    version.save()
    _event(Kind.GUIDE_RETURNED, actor=actor, item=version.item, version=version, reason=reason)
    return version


@transaction.atomic
def publish_guide(actor, version: GuideVersion) -> GuideVersion:
    """Publish a reviewed version; the previously published one is retired in the same moment."""
    authorize(actor, Action.EDIT_CATALOGUE)
    version = _locked(version)
    _refuse_state(version, (State.REVIEWED,), pgettext("guide action", "published"))
    item = ServiceItem.objects.select_for_update().get(pk=version.item_id)
    if item.status != ServiceItem.Status.ACTIVE:
        raise ValidationError(
            {"status": _("Status: the item is cancelled; its guide cannot be published.")}
        )
    _refuse_incomplete(version, pgettext("guide action", "published"))
    now = timezone.now()
    previous = list(GuideVersion.objects.filter(item=item, state=State.PUBLISHED))
    for old in previous:
        old.state = State.RETIRED
        old.retired_at = now
        old.save(update_fields=["state", "retired_at"])
        _event(Kind.GUIDE_RETIRED, actor=actor, item=item, version=old)
    version.state = State.PUBLISHED
    version.published_by = actor
    version.published_at = now
    version.confirmed_at = now
    version.save()
    _event(
        Kind.GUIDE_PUBLISHED,
        actor=actor,
        item=item,
        version=version,
        reason=version.change_note,
        detail={"retired": [o.number for o in previous]},
    )
    return version


@transaction.atomic
def discard_draft(actor, version: GuideVersion) -> None:
    authorize(actor, Action.EDIT_CATALOGUE)
    version = _locked(version)
    _refuse_state(version, (State.DRAFT,), pgettext("guide action", "discarded"))
    _event(Kind.GUIDE_DISCARDED, actor=actor, item=version.item, detail={"number": version.number})
    version.delete()


@transaction.atomic
def confirm_guide(actor, version: GuideVersion, *, note: str = "") -> GuideVersion:
    """The yearly check: the published guide was read and is still accurate."""
    authorize(actor, Action.EDIT_CATALOGUE)
    version = _locked(version)
    _refuse_state(version, (State.PUBLISHED,), pgettext("guide action", "confirmed"))
    version.confirmed_at = timezone.now()
    version.save(update_fields=["confirmed_at"])
    _event(Kind.GUIDE_CONFIRMED, actor=actor, item=version.item, version=version, reason=note)
    return version


# --- Item entries (进驻) ---------------------------------------------------------------------------


@transaction.atomic
def enter_item(
    actor, center: Center, item: ServiceItem, *, mode: str, entered_on: dt.date | None = None
) -> ItemEntry:
    """Bring an item into a center's hall."""
    authorize(actor, Action.MANAGE_CENTER, center=center)
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    if mode not in ItemEntry.Mode.values:
        raise ValidationError(
            {"mode": _("Mode: choose delegated authority, commissioned or assisted service.")}
        )
    if item.status != ServiceItem.Status.ACTIVE:
        raise ValidationError(
            {"item": _("Item: %(item)s is cancelled and cannot be entered.") % {"item": item}}
        )
    _check_mode_fits(item, mode)
    today = timezone.localdate()
    entered_on = entered_on or today
    if entered_on > today + dt.timedelta(days=366):
        raise ValidationError({"entered_on": _("Entered on: at most a year ahead.")})
    if ItemEntry.objects.filter(center=center, item=item, withdrawn_on__isnull=True).exists():
        raise ValidationError(
            {"item": _("Item: %(item)s is already entered at this center.") % {"item": item}}
        )
    entry = ItemEntry.objects.create(center=center, item=item, mode=mode, entered_on=entered_on)
    _event(Kind.ENTRY_ADDED, actor=actor, item=item, center=center, detail={"mode": mode})
    return entry


def mode_fits(item: ServiceItem, mode: str) -> bool:
    """Delegated authority means the center decides; a forwarded item (转报) or a county-level
    item is decided by the county department, so the center can only receive it (assisted
    service) or handle it on the department's behalf (commissioned)."""
    return not (mode == ItemEntry.Mode.DELEGATED and item.is_forwarded)


def _check_mode_fits(item: ServiceItem, mode: str) -> None:
    if not mode_fits(item, mode):
        raise ValidationError(
            {
                "mode": _(
                    "Mode: “%(item)s” is a forwarded item, decided by the county department "
                    "(the center receives and forwards it), so it cannot be entered by "
                    "delegated authority. Choose assisted service or commissioned."
                )
                % {"item": item.name}
            }
        )


@transaction.atomic
def change_entry_mode(actor, entry: ItemEntry, *, mode: str) -> ItemEntry:
    authorize(actor, Action.MANAGE_CENTER, center=entry.center)
    if mode not in ItemEntry.Mode.values:
        raise ValidationError(
            {"mode": _("Mode: choose delegated authority, commissioned or assisted service.")}
        )
    entry = ItemEntry.objects.select_for_update().select_related("item").get(pk=entry.pk)
    if entry.withdrawn_on is not None:
        raise ValidationError({"mode": _("Mode: this entry was withdrawn.")})
    _check_mode_fits(entry.item, mode)
    if entry.mode != mode:
        old = entry.mode
        entry.mode = mode
        entry.save(update_fields=["mode"])
        _event(
            Kind.ENTRY_CHANGED,
            actor=actor,
            item=entry.item,
            center=entry.center,
            detail={"from": old, "to": mode},
        )
    return entry


@transaction.atomic
def withdraw_entry(actor, entry: ItemEntry, *, reason: str) -> ItemEntry:
    """The center stops handling the item from today."""
    authorize(actor, Action.MANAGE_CENTER, center=entry.center)
    entry = ItemEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.withdrawn_on is not None:
        raise ValidationError(
            {"withdrawn_on": _("Withdrawn on: this entry was already withdrawn.")}
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Reason: say why the center stops handling the item.")})
    entry.withdrawn_on = max(timezone.localdate(), entry.entered_on)
    entry.withdraw_reason = reason.strip()[:300]
    entry.save(update_fields=["withdrawn_on", "withdraw_reason"])
    _event(Kind.ENTRY_WITHDRAWN, actor=actor, item=entry.item, center=entry.center, reason=reason)
    return entry


# --- Bundles -----------------------------------------------------------------------------------


@transaction.atomic
def save_bundle(actor, data: dict) -> Bundle:
    """Create or change a bundle (一件事) by its code: name, life event, description, ≥ 2 items."""
    authorize(actor, Action.EDIT_CATALOGUE)
    data = {k: data.get(k, v) for k, v in BUNDLE_FIELDS.items()}
    problems = _bundle_problems(
        data, known=set(ServiceItem.objects.values_list("basic_code", flat=True))
    )
    rules.raise_if(problems)
    bundle = _upsert_bundle(
        data, {i.basic_code: i for i in ServiceItem.objects.filter(basic_code__in=data["items"])}
    )
    _event(Kind.BUNDLE_SAVED, actor=actor, detail={"code": bundle.code})
    return bundle


def _bundle_problems(data: dict, *, known: set[str], prefix: tuple = ()) -> list[rules.Problem]:
    out = []
    from .validators import validate_domain_code

    for key in ("code", "name", "life_event"):
        if not data[key]:
            out.append(
                rules._p(
                    prefix + (key,), rules.FORM, f"missing_{key}", _("this field is required.")
                )
            )
    if data["code"]:
        try:
            validate_domain_code(data["code"])
        except ValidationError:
            out.append(
                rules._p(
                    prefix + ("code",),
                    rules.FORM,
                    "bad_code",
                    _("use lowercase letters, digits and _ only, starting with a letter."),
                )
            )
    codes = list(data["items"])
    if len(set(codes)) < 2:
        out.append(
            rules._p(
                prefix + ("items",),
                rules.FORM,
                "too_few_items",
                _("a bundle groups at least two different items."),
            )
        )
    for j, code in enumerate(codes):
        if code not in known:
            out.append(
                rules._p(
                    prefix + ("items", j),
                    rules.FORM,
                    "unknown_item",
                    _("no item with the basic code %(codes)s.") % {"codes": code},
                )
            )
    return out


def _upsert_bundle(data: dict, items_by_code: dict[str, ServiceItem]) -> Bundle:
    events = _life_events({data["life_event"]})
    bundle = Bundle.objects.filter(code=data["code"]).first() or Bundle(code=data["code"])
    bundle.name = data["name"]
    bundle.life_event = events[data["life_event"]]
    bundle.description = data["description"]
    bundle.save()
    codes = list(dict.fromkeys(data["items"]))
    current = [
        bi.item.basic_code
        for bi in bundle.bundle_items.select_related("item").order_by("order", "id")
    ]
    if current != codes:
        bundle.bundle_items.all().delete()
        BundleItem.objects.bulk_create(
            [BundleItem(bundle=bundle, item=items_by_code[c], order=i) for i, c in enumerate(codes)]
        )
    return bundle


# --- Departments ---------------------------------------------------------------------------------


def ensure_departments(domains: list[Domain] | None = None) -> int:
    """Each domain's county department in every county: <county> + department suffix."""
    domains = domains if domains is not None else list(Domain.objects.all())
    counties = list(Region.objects.filter(level=Region.Level.COUNTY))
    existing = set(Department.objects.filter(region__in=counties).values_list("region_id", "name"))
    missing = []
    for county in counties:
        for domain in domains:
            if not domain.department_suffix:
                continue
            name = f"{county.name}{domain.department_suffix}"
            if (county.pk, name) not in existing:
                missing.append(Department(region=county, name=name, domain=domain.name))
                existing.add((county.pk, name))
    Department.objects.bulk_create(missing)
    return len(missing)


# --- The whole catalogue at once: seed file and Excel import ---------------------------------------


@dataclass
class ApplyResult:
    domains_created: int = 0
    domains_updated: int = 0
    items_created: int = 0
    items_updated: int = 0
    items_cancelled: int = 0
    guides_published: int = 0
    bundles_saved: int = 0
    departments_created: int = 0
    entries_created: int = 0
    problems: list[rules.Problem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.domains_created,
                self.domains_updated,
                self.items_created,
                self.items_updated,
                self.items_cancelled,
                self.guides_published,
                self.bundles_saved,
                self.entries_created,
            )
        )

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "problems"}


def catalogue_problems(data: dict) -> list[rules.Problem]:
    """Every problem of a whole catalogue (normalized), with paths like ("items", 3, "guide", …)."""
    out: list[rules.Problem] = []
    file_domains = [d["code"] for d in data["domains"]]
    db_domains = dict(Domain.objects.values_list("code", "name"))
    seen: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for i, d in enumerate(data["domains"]):
        prefix = ("domains", i)
        out += rules.domain_form_problems(d, prefix)
        if d["code"] in seen:
            out.append(
                _duplicate(
                    prefix + ("code",),
                    _("the code %(code)s appears twice.") % {"code": d["code"]},
                )
            )
        seen[d["code"]] = i
        if d["name"] in seen_names:
            out.append(
                _duplicate(
                    prefix + ("name",),
                    _("the name %(name)s appears twice.") % {"name": d["name"]},
                )
            )
        seen_names[d["name"]] = i
        for code, name in db_domains.items():
            if name == d["name"] and code != d["code"] and code not in file_domains:
                out.append(
                    _duplicate(
                        prefix + ("name",),
                        _("the name %(name)s is already used by the domain %(code)s.")
                        % {"name": name, "code": code},
                    )
                )
    domain_codes = set(file_domains) | set(db_domains)
    codes: dict[str, int] = {}
    for i, item in enumerate(data["items"]):
        prefix = ("items", i)
        out += rules.item_form_problems(item, domain_codes=domain_codes, prefix=prefix)
        out += rules.item_completeness_problems(item, prefix)
        if item["basic_code"] in codes:
            out.append(
                _duplicate(
                    prefix + ("basic_code",),
                    _("the basic code %(code)s appears twice.") % {"code": item["basic_code"]},
                )
            )
        codes[item["basic_code"]] = i
        if item["guide"] is not None:
            out += rules.guide_problems(item["guide"], prefix=prefix + ("guide",))
    cancelled = {
        i.basic_code: i
        for i in ServiceItem.objects.filter(
            status=ServiceItem.Status.CANCELLED, basic_code__in=list(codes)
        )
        .select_related("domain")
        .prefetch_related("life_events")
    }
    for i, item in enumerate(data["items"]):
        db_item = cancelled.get(item["basic_code"])
        if db_item is None:
            continue
        if item["status"] != ServiceItem.Status.CANCELLED:
            out.append(
                rules._p(
                    ("items", i, "status"),
                    rules.FORM,
                    "cancelled_item_restored",
                    _("this item was cancelled; a cancelled item is not restored by an import."),
                )
            )
            continue
        current = item_fields(db_item)
        changed = [k for k in current if k != "status" and current[k] != item[k]]
        if changed:
            out.append(
                rules._p(
                    ("items", i, changed[0]),
                    rules.FORM,
                    "cancelled_item_changed",
                    _("this item was cancelled and can no longer be changed."),
                )
            )
    known = set(codes) | set(ServiceItem.objects.values_list("basic_code", flat=True))
    bundle_codes: set[str] = set()
    for i, b in enumerate(data["bundles"]):
        prefix = ("bundles", i)
        out += _bundle_problems(b, known=known, prefix=prefix)
        if b["code"] in bundle_codes:
            out.append(
                _duplicate(
                    prefix + ("code",),
                    _("the code %(code)s appears twice.") % {"code": b["code"]},
                )
            )
        bundle_codes.add(b["code"])
    return [p for p in out if p.kind in rules.BLOCKING]


def _duplicate(path: tuple, message: str) -> rules.Problem:
    """A code or name given twice (in the file, or already used by another row)."""
    return rules._p(path, rules.FORM, "duplicate", message)


def _apply_catalogue(data: dict, *, actor, source: str, progress=None) -> ApplyResult:
    """Bring the database to ``data`` (already validated): an idempotent, bulk upsert.

    Items absent from ``data`` are left alone (cancelling needs a reason: ``cancel_item``). A guide
    whose content differs from the published one becomes a new published version; an equal one
    changes nothing.
    """
    result = ApplyResult()
    now = timezone.now()
    total = len(data["items"]) or 1

    # Domains.
    domains = {d.code: d for d in Domain.objects.all()}
    for order, d in enumerate(data["domains"]):
        values = {k: d[k] for k in DOMAIN_FIELDS if k != "code"} | {"order": order}
        existing = domains.get(d["code"])
        if existing is None:
            domains[d["code"]] = Domain.objects.create(code=d["code"], **values)
            result.domains_created += 1
        elif any(getattr(existing, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(existing, k, v)
            existing.save()
            result.domains_updated += 1
    result.departments_created = ensure_departments(list(domains.values()))

    # Life events.
    names = {n for i in data["items"] for n in i["life_events"]} | {
        b["life_event"] for b in data["bundles"]
    }
    events = _life_events(names)

    # Items.
    existing_items = {
        i.basic_code: i
        for i in ServiceItem.objects.select_related("domain").prefetch_related(
            "life_events", "guide_versions"
        )
    }
    new_items: list[ServiceItem] = []
    new_events: list[CatalogEvent] = []
    today = timezone.localdate()
    for data_item in data["items"]:
        attrs = _item_attrs(data_item, domains)
        item = existing_items.get(data_item["basic_code"])
        if item is None:
            item = ServiceItem(basic_code=data_item["basic_code"], **attrs)
            if data_item["status"] == ServiceItem.Status.CANCELLED:
                item.status = ServiceItem.Status.CANCELLED
                item.cancelled_at = _as_aware(data_item["cancelled_at"])
                item.cancel_reason = data_item["cancel_reason"]
            refresh_search_keys(item, data_item["life_events"])
            new_items.append(item)
            existing_items[item.basic_code] = item
            continue
        changed = [k for k, v in attrs.items() if getattr(item, k) != v]
        current_events = sorted(e.name for e in item.life_events.all())
        if changed or current_events != sorted(data_item["life_events"]):
            for k, v in attrs.items():
                setattr(item, k, v)
            refresh_search_keys(item, data_item["life_events"])
            item.save()
            item.life_events.set([events[n] for n in data_item["life_events"]])
            new_events.append(
                CatalogEvent(
                    kind=Kind.ITEM_CHANGED,
                    item=item,
                    actor=actor,
                    reason=source[:300],
                    detail={"fields": changed or ["life_events"]},
                    effective_on=today,
                )
            )
            result.items_updated += 1
        if (
            data_item["status"] == ServiceItem.Status.CANCELLED
            and item.status == ServiceItem.Status.ACTIVE
        ):
            _cancel(
                item,
                actor=actor,
                reason=data_item["cancel_reason"],
                at=_as_aware(data_item["cancelled_at"]) or now,
            )
            result.items_cancelled += 1
    ServiceItem.objects.bulk_create(new_items, batch_size=500)
    through = ServiceItem.life_events.through
    new_codes = {i.basic_code for i in new_items}
    through.objects.bulk_create(
        [
            through(serviceitem_id=existing_items[d["basic_code"]].pk, lifeevent_id=events[n].pk)
            for d in data["items"]
            if d["basic_code"] in new_codes
            for n in d["life_events"]
        ],
        batch_size=500,
    )
    for item in new_items:
        new_events.append(
            CatalogEvent(
                kind=Kind.ITEM_ADDED,
                item=item,
                actor=actor,
                reason=source[:300],
                effective_on=today,
            )
        )
    result.items_created = len(new_items)

    # Guides: a new published version wherever the content differs.
    new_versions: list[tuple[GuideVersion, dict]] = []
    retire_ids: list[int] = []
    for index, data_item in enumerate(data["items"], start=1):
        if progress:
            progress(index, total)
        guide = data_item["guide"]
        if guide is None:
            continue
        item = existing_items[data_item["basic_code"]]
        versions = [] if item in new_items else list(item.guide_versions.all())
        cancelled = item.status == ServiceItem.Status.CANCELLED
        if cancelled and versions:
            continue
        published = [v for v in versions if v.state == State.PUBLISHED]
        if published:
            current = GuideVersion.objects.prefetch_related(
                "materials", "steps", "fees", "faqs"
            ).get(pk=published[0].pk)
            if guide_content(current) == guide:
                continue
            retire_ids.append(current.pk)
        number = (
            max((v.number for v in versions), default=0) + 1
            if versions
            else (data_item.get("guide_version") or 1)
        )
        version = GuideVersion(
            item=item,
            number=number,
            state=State.RETIRED if cancelled else State.PUBLISHED,
            created_by=actor,
            published_by=actor,
            published_at=now,
            confirmed_at=now,
            reviewed_at=now,
            reviewed_by=actor,
            retired_at=item.cancelled_at if cancelled else None,
            change_note=source[:300],
        )
        _set_scalars(version, guide)
        new_versions.append((version, guide))
    if retire_ids:
        GuideVersion.objects.filter(pk__in=retire_ids).update(state=State.RETIRED, retired_at=now)
    GuideVersion.objects.bulk_create([v for v, _g in new_versions], batch_size=500)
    if any(v.pk is None for v, _g in new_versions):  # databases that return no ids
        by_key = {
            (v.item_id, v.number): v.pk
            for v in GuideVersion.objects.filter(item__in=[v.item for v, _g in new_versions])
        }
        for v, _g in new_versions:
            v.pk = v.id = by_key[(v.item_id, v.number)]
    _write_children(new_versions)
    for version, _g in new_versions:
        if version.state == State.PUBLISHED:
            new_events.append(
                CatalogEvent(
                    kind=Kind.GUIDE_PUBLISHED,
                    item=version.item,
                    version=version,
                    actor=actor,
                    reason=source[:300],
                    effective_on=today,
                )
            )
    result.guides_published = sum(1 for v, _g in new_versions if v.state == State.PUBLISHED)

    # Bundles.
    by_code = {i.basic_code: i for i in existing_items.values()}
    existing_bundles = {
        b.code: b
        for b in Bundle.objects.select_related("life_event").prefetch_related("bundle_items__item")
    }
    for b in data["bundles"]:
        current = existing_bundles.get(b["code"])
        if current is not None and (
            current.name == b["name"]
            and current.life_event.name == b["life_event"]
            and current.description == b["description"]
            and [bi.item.basic_code for bi in current.bundle_items.all()]
            == list(dict.fromkeys(b["items"]))
        ):
            continue
        _upsert_bundle(b, by_code)
        result.bundles_saved += 1

    if new_events:
        CatalogEvent.objects.bulk_create(new_events, batch_size=1000)
    return result


@transaction.atomic
def apply_catalogue(actor, raw: dict, *, source: str, progress=None) -> ApplyResult:
    """Validate and apply a whole catalogue (Excel import, API). All or nothing."""
    if actor is not None:
        authorize(actor, Action.EDIT_CATALOGUE)
    data = normalize_catalogue(raw)
    problems = catalogue_problems(data)
    if problems:
        result = ApplyResult(problems=problems)
        return result
    result = _apply_catalogue(data, actor=actor, source=source, progress=progress)
    if result.changed:
        _event(Kind.IMPORTED, actor=actor, reason=source, detail=result.as_dict())
    return result


@transaction.atomic
def enter_everywhere(progress: Callable[[int, int], None] | None = None) -> int:
    """Enter every active item at every center that lacks it (the demo's full coverage):
    delegated authority for township items, assisted service for forwarded ones."""
    items = list(ServiceItem.objects.filter(status=ServiceItem.Status.ACTIVE))
    centers = list(Center.objects.order_by("region__code"))
    existing = set(
        ItemEntry.objects.filter(withdrawn_on__isnull=True).values_list("center_id", "item_id")
    )
    today = timezone.localdate()
    created = 0
    for index, center in enumerate(centers, start=1):
        batch = [
            ItemEntry(
                center=center,
                item=item,
                mode=ItemEntry.Mode.ASSISTED if item.is_forwarded else ItemEntry.Mode.DELEGATED,
                entered_on=today,
            )
            for item in items
            if (center.pk, item.pk) not in existing
        ]
        ItemEntry.objects.bulk_create(batch, batch_size=1000)
        created += len(batch)
        if progress:
            progress(index, len(centers))
    return created


@dataclass
class ImportOutcome:
    """An Excel import: every error by sheet, row and column, or what changed."""

    errors: list
    result: ApplyResult | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def import_workbook(actor, content: bytes, *, filename: str = "") -> ImportOutcome:
    """Import a catalogue workbook. A workbook with any error changes nothing (all or nothing)."""
    from .excel import read_catalogue

    authorize(actor, Action.EDIT_CATALOGUE)
    data, errors = read_catalogue(content)
    if errors:
        return ImportOutcome(errors)
    source = _("Excel import %(file)s") % {"file": filename} if filename else _("Excel import")
    with transaction.atomic():
        result = _apply_catalogue(data, actor=actor, source=source)
        if result.changed:
            _event(Kind.IMPORTED, actor=actor, reason=source, detail=result.as_dict())
    return ImportOutcome([], result)
