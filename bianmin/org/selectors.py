"""Reads of regions and centers shared by pages, the API and reports."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Center, Region


def counties() -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.COUNTY).order_by("code")


def centers_in(region: Region | None) -> QuerySet[Center]:
    """Centers inside a region: a township's own, a county's townships', or all for the city."""
    qs = Center.objects.select_related("region", "region__parent").order_by("region__code")
    if region is None or region.level == Region.Level.CITY:
        return qs
    if region.level == Region.Level.COUNTY:
        return qs.filter(region__parent=region)
    return qs.filter(region=region)
