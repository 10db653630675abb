"""Reading a guide audit back: findings in a scope, scores per item / center / county, Excel."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from bianmin.org.models import Center, Region

from .audit import rule_name
from .models import AuditFinding, AuditRun, ServiceItem


def latest_run() -> AuditRun | None:
    return AuditRun.objects.filter(finished_at__isnull=False).select_related("region").first()


def run_findings(
    run: AuditRun,
    *,
    region: Region | None = None,
    center: Center | None = None,
    severity: str = "",
) -> QuerySet[AuditFinding]:
    """Findings of ``run``: about guides (every center shares them) and about centers in scope."""
    qs = AuditFinding.objects.filter(run=run).select_related(
        "item", "item__domain", "center", "center__region", "center__region__parent"
    )
    if center is not None:
        entered = center.item_entries.filter(withdrawn_on__isnull=True).values("item_id")
        qs = qs.filter(Q(center=center) | Q(center__isnull=True, item__in=entered))
    elif region is not None and region.level == Region.Level.COUNTY:
        qs = qs.filter(Q(center__isnull=True) | Q(center__region__parent=region))
    if severity:
        qs = qs.filter(severity=severity)
    return qs.order_by("center__region__code", "item__basic_code", "id")


@dataclass(frozen=True)
class Scored:
    obj: object
    score: float | None
    findings: int = 0


def scores(run: AuditRun, *, region: Region | None = None) -> dict[str, list[Scored]]:
    """The run's scores as lists of (object, score), lowest first."""
    data = run.scores or {}
    counties = {r.pk: r for r in Region.objects.filter(level=Region.Level.COUNTY)}
    centers_qs = Center.objects.select_related("region", "region__parent")
    if region is not None and region.level == Region.Level.COUNTY:
        centers_qs = centers_qs.filter(region__parent=region)
    centers = {c.pk: c for c in centers_qs}
    items = {i.pk: i for i in ServiceItem.objects.select_related("domain")}
    counts: dict[tuple[str, int], int] = {}
    for item_id, center_id in AuditFinding.objects.filter(run=run).values_list(
        "item_id", "center_id"
    ):
        if center_id is not None:
            counts[("center", center_id)] = counts.get(("center", center_id), 0) + 1
        elif item_id is not None:
            counts[("item", item_id)] = counts.get(("item", item_id), 0) + 1

    def rows(key: str, objects: dict, kind: str) -> list[Scored]:
        out = [
            Scored(objects[int(pk)], value, counts.get((kind, int(pk)), 0))
            for pk, value in data.get(key, {}).items()
            if int(pk) in objects
        ]
        return sorted(out, key=lambda s: (s.score if s.score is not None else -1, str(s.obj)))

    county_rows = rows("counties", counties, "county")
    if region is not None and region.level == Region.Level.COUNTY:
        county_rows = [s for s in county_rows if s.obj.pk == region.pk]
    return {
        "counties": county_rows,
        "centers": rows("centers", centers, "center"),
        "items": rows("items", items, "item"),
    }


def findings_workbook(
    run: AuditRun, *, region: Region | None = None, center: Center | None = None
) -> bytes:
    """The findings (and scores) of a run as .xlsx: one sheet of findings, one of scores.

    Each finding names its rule in words (the code follows in the last column, for filters and
    the rules' table in docs/catalog.md) and its county: the center's county, or for a finding
    about a guide (the same at every center) the county exported, or "all counties".
    """
    scope = region or run.region
    if center is not None:
        every_center_county = center.region.parent.name
    elif scope is not None and scope.level == Region.Level.COUNTY:
        every_center_county = scope.name
    elif scope is not None and scope.level == Region.Level.TOWNSHIP:
        every_center_county = scope.parent.name
    else:
        every_center_county = _("All counties")
    wb = Workbook()
    ws = wb.active
    ws.title = _("Findings")
    header = [
        _("Severity"),
        _("Rule"),
        pgettext("audit export", "County"),
        pgettext("catalogue", "Center"),
        _("Basic code"),
        _("Item"),
        _("Finding"),
        _("Rule code"),
    ]
    ws.append(header)
    for f in run_findings(run, region=region, center=center):
        ws.append(
            [
                str(f.get_severity_display()),
                rule_name(f.code),
                f.center.region.parent.name if f.center_id else every_center_county,
                f.center.name if f.center_id else _("All centers"),
                f.item.basic_code if f.item_id else "",
                f.item.name if f.item_id else "",
                f.message,
                f.code,
            ]
        )
    fill = PatternFill("solid", fgColor="DDE5EE")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = fill
    for letter, width in zip("ABCDEFGH", (10, 30, 10, 24, 16, 34, 80, 24), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    sheet = wb.create_sheet(_("Scores"))
    sheet.append(
        [_("Level"), pgettext("catalogue field", "Name"), _("Score"), pgettext("count", "Findings")]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = fill
    table = scores(run, region=region)
    for level, label in (
        ("counties", _("County")),
        ("centers", pgettext("catalogue", "Center")),
        ("items", _("Item")),
    ):
        for s in table[level]:
            if center is not None and level == "centers" and s.obj.pk != center.pk:
                continue
            sheet.append([label, str(s.obj), s.score, s.findings])
    sheet.column_dimensions["B"].width = 36
    info = wb.create_sheet(_("About"))
    info.append([_("Guide audit"), str(run.pk)])
    info.append([_("Run at"), f"{timezone.localtime(run.started_at):%Y-%m-%d %H:%M}"])
    info.append([_("Overall score"), float(run.score) if run.score is not None else None])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
