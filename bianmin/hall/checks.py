"""The hall's check inside the catalogue audit: entered items that no window in use serves."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from bianmin.catalog.audit import Finding
from bianmin.catalog.models import AuditFinding
from bianmin.org.models import Center

from .selectors import unserved_items

CODE = "hall_unserved_item"


def unserved_items_check(center: Center | None) -> Iterator[Finding]:
    centers = (
        [center] if center is not None else Center.objects.filter(windows__isnull=False).distinct()
    )
    for c in centers:
        if not c.windows.exists():
            continue  # a center without windows yet is set up first; nothing to route to
        for item in unserved_items(c):
            yield Finding(
                item=item,
                center=c,
                severity=AuditFinding.Severity.ERROR,
                code=CODE,
                message=_(
                    "No window in use serves %(item)s at %(center)s: add a window for its domain or an enquiry window."
                )
                % {"item": item.name, "center": c.name},
            )
