"""Regions and centers are public reference data: no login needed to read them."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from .models import Center, Region
from .selectors import centers_in

router = Router(tags=["regions and centers"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None


class CenterOut(Schema):
    name: str
    region_code: str
    township: str
    county: str
    county_code: str
    address: str
    phone: str


def _region(r: Region) -> dict:
    return {
        "code": r.code,
        "name": r.name,
        "level": r.level,
        "kind": r.kind,
        "parent_code": r.parent.code if r.parent_id else None,
    }


def _center(c: Center) -> dict:
    return {
        "name": c.name,
        "region_code": c.region.code,
        "township": c.region.name,
        "county": c.region.parent.name,
        "county_code": c.region.parent.code,
        "address": c.address,
        "phone": c.phone,
    }


@router.get(
    "/regions",
    response=list[RegionOut],
    auth=None,
    summary="Regions, optionally by level or parent",
)
def regions(request, level: str | None = None, parent: str | None = None):
    qs = Region.objects.select_related("parent").order_by("code")
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent__code=parent)
    return [_region(r) for r in qs]


@router.get(
    "/centers",
    response=list[CenterOut],
    auth=None,
    summary="Township service centers, optionally in one county",
)
def centers(request, county: str | None = None):
    region = get_object_or_404(Region, code=county) if county else None
    return [_center(c) for c in centers_in(region)]


@router.get(
    "/centers/{code}",
    response=CenterOut,
    auth=None,
    summary="One center by its township's division code",
)
def center(request, code: str):
    c = get_object_or_404(
        Center.objects.select_related("region", "region__parent"), region__code=code
    )
    return _center(c)
