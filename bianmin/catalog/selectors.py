"""Reads of the catalogue shared by pages, the API, reports and other apps.

Other apps use: ``entered_items(center)`` (what a center handles), ``published_guide(item)``
(the version a case is accepted under), ``is_applicable(item)`` (a cancelled item cannot be
applied for from the moment it is cancelled).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from bianmin.identity.permissions import Action, can
from bianmin.org.models import Center, Region

from .content import prefetch_versions
from .models import (
    Bundle,
    CatalogEvent,
    Domain,
    GuideVersion,
    ItemEntry,
    LifeEvent,
    Material,
    ServiceItem,
)
from .search import normalize_query, rank

CENTER_HOURS_DEFAULT = "周一至周五 上午8:30—12:00，下午14:30—17:30（法定节假日除外）"


def entered_items(center: Center, on: dt.date | None = None) -> QuerySet[ServiceItem]:
    """Active items entered at ``center`` and not withdrawn (on ``on``, default today)."""
    on = on or timezone.localdate()
    return (
        ServiceItem.objects.filter(
            status=ServiceItem.Status.ACTIVE,
            entries__center=center,
            entries__withdrawn_on__isnull=True,
            entries__entered_on__lte=on,
        )
        .select_related("domain")
        .order_by("domain__order", "domain__code", "basic_code")
    )


def active_entries(center: Center) -> QuerySet[ItemEntry]:
    return (
        ItemEntry.objects.filter(center=center, withdrawn_on__isnull=True)
        .select_related("item", "item__domain")
        .order_by("item__domain__order", "item__basic_code")
    )


def published_guide(item: ServiceItem) -> GuideVersion | None:
    return (
        prefetch_versions(
            GuideVersion.objects.filter(item=item, state=GuideVersion.State.PUBLISHED)
        )
        .select_related("item", "item__domain")
        .first()
    )


def is_applicable(item: ServiceItem, at: dt.datetime | None = None) -> bool:
    """May someone apply for ``item`` at ``at``? Not once it is cancelled; not without a guide."""
    at = at or timezone.now()
    if item.status == ServiceItem.Status.CANCELLED and item.cancelled_at <= at:
        return False
    return GuideVersion.objects.filter(item=item, state=GuideVersion.State.PUBLISHED).exists()


def domains() -> QuerySet[Domain]:
    return Domain.objects.annotate(
        n_items=Count("items", filter=Q(items__status=ServiceItem.Status.ACTIVE))
    ).order_by("order", "code")


def life_events() -> QuerySet[LifeEvent]:
    return LifeEvent.objects.annotate(
        n_items=Count("items", filter=Q(items__status=ServiceItem.Status.ACTIVE), distinct=True)
    ).order_by("name")


def versions_of(item: ServiceItem) -> QuerySet[GuideVersion]:
    return (
        GuideVersion.objects.filter(item=item)
        .select_related("created_by", "edited_by", "reviewed_by", "published_by")
        .order_by("-number")
    )


def open_draft(item: ServiceItem) -> GuideVersion | None:
    return GuideVersion.objects.filter(
        item=item, state__in=[GuideVersion.State.DRAFT, GuideVersion.State.REVIEWED]
    ).first()


def may_see_version(user, version: GuideVersion) -> bool:
    """Published and retired versions are public; drafts are for the catalogue's editors."""
    if version.state in (GuideVersion.State.PUBLISHED, GuideVersion.State.RETIRED):
        return True
    return can(user, Action.EDIT_CATALOGUE)


# --- Search -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilters:
    q: str = ""
    domain: str = ""  # Domain.code
    life_event: str = ""  # LifeEvent.name
    channel: str = ""  # window | online | kiosk | post
    frequency: str = ""
    handling_level: str = ""
    include_cancelled: bool = False
    center: Center | None = None  # only items entered at this center


def search_items(f: SearchFilters, *, limit: int | None = 50) -> list[ServiceItem]:
    """Items matching every word of ``q`` (Chinese, pinyin, initials, other names) and the filters.

    The keys are precomputed (``ServiceItem.search_keys``), so this is one indexed-table scan of
    short strings: fast enough to run on every keystroke. Ranked: name starting with the query,
    name containing it, initials starting with it, then the rest.
    """
    qs = ServiceItem.objects.select_related("domain").only(
        "id",
        "name",
        "basic_code",
        "frequency",
        "handling_level",
        "status",
        "name_initials",
        "domain__name",
        "domain__code",
        "channel_window",
        "channel_online",
        "channel_kiosk",
        "channel_post",
    )
    if not f.include_cancelled:
        qs = qs.filter(status=ServiceItem.Status.ACTIVE)
    words = normalize_query(f.q)
    for word in words:
        qs = qs.filter(search_keys__contains=word)
    if f.domain:
        qs = qs.filter(domain__code=f.domain)
    if f.life_event:
        qs = qs.filter(life_events__name=f.life_event)
    if f.channel in ("window", "online", "kiosk", "post"):
        qs = qs.filter(**{f"channel_{f.channel}": True})
    if f.frequency:
        qs = qs.filter(frequency=f.frequency)
    if f.handling_level:
        qs = qs.filter(handling_level=f.handling_level)
    if f.center is not None:
        qs = qs.filter(
            entries__center=f.center,
            entries__withdrawn_on__isnull=True,
        )
    if not words:
        found = qs.order_by("domain__order", "domain__code", "basic_code")
        return list(found[:limit] if limit else found)
    # Rank on three short columns, then load only the rows shown: a one-letter query may match
    # hundreds of items, and building a model object for each would cost more than the query.
    candidates = sorted(
        qs.values_list("id", "name", "name_initials", "frequency").distinct(),
        key=lambda row: rank(row[1], row[2], words, row[3]),
    )
    ids = [row[0] for row in (candidates[:limit] if limit else candidates)]
    by_id = qs.model.objects.select_related("domain").in_bulk(ids)
    return [by_id[i] for i in ids]


# --- Bundles ----------------------------------------------------------------------------------


@dataclass
class MergedMaterial:
    """A material of a bundle's merged list: asked once even when several items need it."""

    name: str
    necessity: str
    forms: list[str]
    paper_copies: int
    specification: str
    deferrable: bool
    items: list[ServiceItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def shared(self) -> bool:
        return len(self.items) > 1


_NECESSITY_RANK = {
    Material.Necessity.REQUIRED: 0,
    Material.Necessity.CONDITIONAL: 1,
    Material.Necessity.OPTIONAL: 2,
}


def material_key(name: str) -> str:
    """Two materials are the same when their names are, ignoring spaces and brackets' content
    style differences (居民身份证 and 居民身份证 （原件） are the same document)."""
    import re

    base = re.sub(r"[（(].*?[)）]", "", name)
    return re.sub(r"\s+", "", base)


def merged_materials(items: list[ServiceItem]) -> list[MergedMaterial]:
    """The materials of the items' published guides, each document once, in first-seen order.

    The strictest terms win: required beats conditional beats optional; the largest number of
    copies; deferrable only when every item allows it to be deferred.
    """
    versions = {
        v.item_id: v
        for v in GuideVersion.objects.filter(
            item__in=items, state=GuideVersion.State.PUBLISHED
        ).prefetch_related("materials")
    }
    merged: OrderedDict[str, MergedMaterial] = OrderedDict()
    for item in items:
        version = versions.get(item.pk)
        if version is None:
            continue
        for m in version.materials.all():
            key = material_key(m.name)
            entry = merged.get(key)
            if entry is None:
                entry = merged[key] = MergedMaterial(
                    name=key or m.name,
                    necessity=m.necessity,
                    forms=[],
                    paper_copies=0,
                    specification=m.specification,
                    deferrable=m.deferrable and version.allows_deferral,
                )
            elif _NECESSITY_RANK[m.necessity] < _NECESSITY_RANK[entry.necessity]:
                entry.necessity = m.necessity
            if m.form and m.get_form_display() not in entry.forms:
                entry.forms.append(str(m.get_form_display()))
            entry.paper_copies = max(entry.paper_copies, m.paper_copies)
            entry.specification = entry.specification or m.specification
            entry.deferrable = entry.deferrable and m.deferrable and version.allows_deferral
            if item not in entry.items:
                entry.items.append(item)
            if m.necessity == Material.Necessity.CONDITIONAL and m.condition_note:
                entry.notes.append(f"{item.name}：{m.condition_note}")
    return list(merged.values())


def bundles() -> QuerySet[Bundle]:
    return (
        Bundle.objects.filter(active=True)
        .select_related("life_event")
        .prefetch_related(
            Prefetch("bundle_items", queryset=_bundle_items_qs()),
        )
        .order_by("code")
    )


def _bundle_items_qs():
    from .models import BundleItem

    return BundleItem.objects.select_related("item", "item__domain").order_by("order", "id")


def bundle_items(bundle: Bundle) -> list[ServiceItem]:
    return [bi.item for bi in _bundle_items_qs().filter(bundle=bundle)]


# --- Coverage and history ------------------------------------------------------------------------


@dataclass
class Coverage:
    county: Region
    centers: list[Center]
    items: list[ServiceItem]
    cells: dict[tuple[int, int], str]  # (item id, center id) → entry mode
    per_center: dict[int, int]
    per_item: dict[int, int]


def coverage(county: Region) -> Coverage:
    """Which active catalogue items each center of ``county`` handles, and how (mode)."""
    centers = list(
        Center.objects.filter(region__parent=county)
        .select_related("region")
        .order_by("region__code")
    )
    items = list(
        ServiceItem.objects.filter(status=ServiceItem.Status.ACTIVE)
        .select_related("domain")
        .order_by("domain__order", "domain__code", "basic_code")
    )
    cells: dict[tuple[int, int], str] = {}
    per_center: dict[int, int] = {c.pk: 0 for c in centers}
    per_item: dict[int, int] = {i.pk: 0 for i in items}
    for item_id, center_id, mode in ItemEntry.objects.filter(
        center__in=centers, withdrawn_on__isnull=True, item__status=ServiceItem.Status.ACTIVE
    ).values_list("item_id", "center_id", "mode"):
        cells[(item_id, center_id)] = mode
        per_center[center_id] = per_center.get(center_id, 0) + 1
        per_item[item_id] = per_item.get(item_id, 0) + 1
    return Coverage(county, centers, items, cells, per_center, per_item)


def item_changes() -> QuerySet[CatalogEvent]:
    """Items added and cancelled, newest first (the catalogue change log)."""
    return (
        CatalogEvent.objects.filter(
            kind__in=[
                CatalogEvent.Kind.ITEM_ADDED,
                CatalogEvent.Kind.ITEM_CANCELLED,
                CatalogEvent.Kind.GUIDE_PUBLISHED,
                CatalogEvent.Kind.IMPORTED,
            ]
        )
        .select_related("item", "actor", "version")
        .order_by("-at", "-id")
    )


def item_history(item: ServiceItem) -> QuerySet[CatalogEvent]:
    return (
        CatalogEvent.objects.filter(item=item)
        .select_related("actor", "version", "center")
        .order_by("-at", "-id")
    )
