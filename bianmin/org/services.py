"""Changes to regions and centers. Loading the official divisions is idempotent."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import Center, Region
from .validators import center_name_for

DIVISIONS_CSV = Path(__file__).resolve().parent / "data" / "luan_divisions.csv"
# Development zones and similar statistical units are not administrative townships and have
# no service center of their own.
SKIPPED_KINDS = {"other_statistical_unit"}


@dataclass(frozen=True)
class LoadResult:
    regions_created: int
    regions_updated: int
    centers_created: int
    skipped: int


def read_divisions(path: Path = DIVISIONS_CSV) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@transaction.atomic
def load_divisions(
    path: Path = DIVISIONS_CSV, progress: Callable[[int, int], None] | None = None
) -> LoadResult:
    """Load (or refresh) the divisions and give every township its center.

    Rows are processed parents first (city, county, township), so a row's parent already exists.
    Running it twice changes nothing the second time.
    """
    rows = read_divisions(path)
    order = {"city": 0, "county": 1, "township": 2}
    rows.sort(key=lambda r: (order[r["level"]], r["code"]))
    by_code = {r.code: r for r in Region.objects.all()}
    created = updated = centers = skipped = 0
    for index, row in enumerate(rows, start=1):
        if progress:
            progress(index, len(rows))
        if row["kind"] in SKIPPED_KINDS:
            skipped += 1
            continue
        parent = by_code.get(row["parent_code"])
        fields = {"name": row["name"], "level": row["level"], "kind": row["kind"], "parent": parent}
        region = by_code.get(row["code"])
        if region is None:
            region = Region(code=row["code"], **fields)
            region.full_clean()
            region.save()
            by_code[region.code] = region
            created += 1
        elif any(getattr(region, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(region, k, v)
            region.full_clean()
            region.save()
            updated += 1
        if region.level == Region.Level.TOWNSHIP:
            center = Center.objects.filter(region=region).first()
            if center is None:
                Center.objects.create(region=region, name=center_name_for(region.name))
                centers += 1
            elif center.name != center_name_for(region.name):
                # The township was renamed: the hall's name follows it (policy 二1).
                center.name = center_name_for(region.name)
                center.save()
    return LoadResult(created, updated, centers, skipped)
