"""The demo catalogue: the real township items of ``data/catalogue.json``, entered at every center.

``load_catalogue_demo`` is idempotent (a second run changes nothing) and bulk-writes, so that
``make demo`` stays fast: about 8,400 item entries for 140 centers in well under a few seconds.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from . import rules
from .content import normalize_catalogue
from .models import CatalogEvent
from .services import ApplyResult, _apply_catalogue, _event, catalogue_problems, enter_everywhere

CATALOGUE_JSON = Path(__file__).resolve().parent / "data" / "catalogue.json"
SOURCE = "种子目录 catalogue.json"


@dataclass(frozen=True)
class DemoCatalogueResult:
    domains: int
    items: int
    bundles: int
    applied: ApplyResult


def read_catalogue(path: Path = CATALOGUE_JSON) -> dict:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


@transaction.atomic
def load_catalogue_demo(
    progress: Callable[[int, int], None] | None = None, *, path: Path = CATALOGUE_JSON
) -> DemoCatalogueResult:
    """Load the seed catalogue, publish every guide, create the county departments and enter
    every active item at every center (delegated for township items, assisted for forwarded).

    ``progress(done, total)`` is called as items are applied and centers are filled.
    """
    data = normalize_catalogue(read_catalogue(path))
    problems = catalogue_problems(data)
    if problems:
        lines = "\n".join(f"  {'.'.join(map(str, p.path))}: {p.message}" for p in problems[:50])
        raise ImproperlyConfigured(f"{path.name} has {len(problems)} problems:\n{lines}")
    n_items = len(data["items"])
    from bianmin.org.models import Center

    n_centers = Center.objects.count()
    total = n_items + n_centers

    def item_progress(done: int, _total: int) -> None:
        if progress:
            progress(done, total)

    def center_progress(done: int, _total: int) -> None:
        if progress:
            progress(n_items + done, total)

    applied = _apply_catalogue(data, actor=None, source=SOURCE, progress=item_progress)
    applied.entries_created = enter_everywhere(progress=center_progress)
    if not n_centers and progress:
        progress(total, total)
    if applied.changed:
        _event(CatalogEvent.Kind.IMPORTED, reason=SOURCE, detail=applied.as_dict())
    return DemoCatalogueResult(
        domains=len(data["domains"]),
        items=n_items,
        bundles=len(data["bundles"]),
        applied=applied,
    )


__all__ = ["load_catalogue_demo", "read_catalogue", "CATALOGUE_JSON", "rules"]
