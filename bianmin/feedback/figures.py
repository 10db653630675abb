"""The rating figures: positive rate, counts per level, clerk, window, item and center,
rectification timeliness, appeals. Every figure is a count over ``Rating`` rows, so it can be
traced to the ratings behind it.

**Positive rate** = (非常满意 + 满意 + 基本满意) ÷ all ratings counted, where *counted* leaves
out ratings excluded after an upheld appeal. Ratings made by a center's default rule (only where
a center chose it) are counted and shown separately.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import (
    BAD_LEVELS,
    POSITIVE_LEVELS,
    Appeal,
    ConductTag,
    Level,
    Rating,
    Reason,
    Rectification,
    UnresolvedReport,
)


def _rate(positive: int, total: int) -> float | None:
    return None if not total else positive / total


def format_rate(value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value * 100:.3f}".rstrip("0").rstrip(".")
    if value < 1 and text == "100":
        text = f"{value * 100:.4f}"
    return f"{text}%"


@dataclass
class Row:
    key: object
    label: str
    total: int
    positive: int
    bad: int

    @property
    def rate(self) -> float | None:
        return _rate(self.positive, self.total)

    @property
    def rate_text(self) -> str:
        return format_rate(self.rate)


@dataclass
class Figures:
    start: dt.date
    end: dt.date
    total: int = 0
    positive: int = 0
    bad: int = 0
    excluded: int = 0
    by_default: int = 0
    levels: list[tuple[int, str, int]] = field(default_factory=list)
    channels: list[tuple[str, int]] = field(default_factory=list)
    by_center: list[Row] = field(default_factory=list)
    by_clerk: list[Row] = field(default_factory=list)
    by_window: list[Row] = field(default_factory=list)
    by_item: list[Row] = field(default_factory=list)
    daily: list[tuple[str, int, int]] = field(default_factory=list)
    rect_total: int = 0
    rect_open: int = 0
    rect_closed: int = 0
    rect_on_time: int = 0
    rect_overdue_open: int = 0
    rect_escalated: int = 0
    appeals_filed: int = 0
    appeals_upheld: int = 0
    appeals_dismissed: int = 0
    appeals_pending: int = 0
    bad_reasons: list[tuple[str, int]] = field(default_factory=list)
    conduct: list[tuple[str, str, int, int]] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return _rate(self.positive, self.total)

    @property
    def rate_text(self) -> str:
        return format_rate(self.rate)

    @property
    def timeliness(self) -> float | None:
        return _rate(self.rect_on_time, self.rect_closed)

    @property
    def timeliness_text(self) -> str:
        return format_rate(self.timeliness)


def _span(start: dt.date, end: dt.date):
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return lo, hi


def _rows(qs, key: str, label_field: str, limit: int = 50) -> list[Row]:
    rows = (
        qs.values(key, label_field)
        .annotate(
            total=Count("id"),
            positive=Count("id", filter=Q(level__in=POSITIVE_LEVELS)),
            bad=Count("id", filter=Q(level__in=BAD_LEVELS)),
        )
        .order_by("-bad", "-total")[:limit]
    )
    return [
        Row(r[key], str(r[label_field] or "—"), r["total"], r["positive"], r["bad"]) for r in rows
    ]


def compute(centers, start: dt.date, end: dt.date, *, now=None) -> Figures:
    now = now or timezone.now()
    lo, hi = _span(start, end)
    f = Figures(start=start, end=end)
    base = Rating.objects.filter(center__in=centers, rated_at__gte=lo, rated_at__lt=hi)
    f.excluded = base.filter(excluded=True).count()
    counted = base.filter(excluded=False)
    per_level = dict(counted.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    f.levels = [(v, str(lbl), per_level.get(v, 0)) for v, lbl in Level.choices]
    f.total = sum(per_level.values())
    f.positive = sum(per_level.get(v, 0) for v in POSITIVE_LEVELS)
    f.bad = sum(per_level.get(v, 0) for v in BAD_LEVELS)
    f.by_default = counted.filter(channel="default").count()
    f.channels = list(
        counted.values_list("channel")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("channel", "n")
    )
    f.by_center = _rows(counted, "center_id", "center__name")
    f.by_clerk = _rows(counted.filter(clerk__isnull=False), "clerk_id", "clerk__full_name")
    window_rows = (
        counted.filter(window__isnull=False)
        .values("window_id", "window__number", "window__name", "center__name")
        .annotate(
            total=Count("id"),
            positive=Count("id", filter=Q(level__in=POSITIVE_LEVELS)),
            bad=Count("id", filter=Q(level__in=BAD_LEVELS)),
        )
        .order_by("-bad", "-total")[:50]
    )
    f.by_window = [
        Row(
            r["window_id"],
            f"{r['center__name']} {r['window__number']}号窗口 {r['window__name']}",
            r["total"],
            r["positive"],
            r["bad"],
        )
        for r in window_rows
    ]
    f.by_item = _rows(counted.filter(item__isnull=False), "item_id", "item__name")
    f.daily = [
        (f"{r['day']:%m-%d}", r["total"], r["bad"])
        for r in counted.annotate(day=TruncDate("rated_at"))
        .values("day")
        .annotate(total=Count("id"), bad=Count("id", filter=Q(level__in=BAD_LEVELS)))
        .order_by("day")
    ]
    rects = Rectification.objects.filter(center__in=centers, opened_at__gte=lo, opened_at__lt=hi)
    agg = rects.aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(state__in=Rectification.OPEN_STATES)),
        closed=Count("id", filter=Q(state="closed")),
        on_time=Count("id", filter=Q(state="closed", closed_at__lte=F("due_at"))),
        overdue=Count("id", filter=Q(state__in=Rectification.OPEN_STATES, due_at__lt=now)),
        escalated=Count("id", filter=Q(escalated_at__isnull=False)),
    )
    f.rect_total, f.rect_open, f.rect_closed = agg["total"], agg["open"], agg["closed"]
    f.rect_on_time, f.rect_overdue_open, f.rect_escalated = (
        agg["on_time"],
        agg["overdue"],
        agg["escalated"],
    )
    appeals = Appeal.objects.filter(center__in=centers, filed_at__gte=lo, filed_at__lt=hi)
    a = appeals.aggregate(
        filed=Count("id"),
        upheld=Count("id", filter=Q(state="upheld")),
        dismissed=Count("id", filter=Q(state="dismissed")),
        pending=Count("id", filter=Q(state="pending")),
    )
    f.appeals_filed, f.appeals_upheld = a["filed"], a["upheld"]
    f.appeals_dismissed, f.appeals_pending = a["dismissed"], a["pending"]
    # What the bad ratings were about (the reasons ticked; bad ratings are few).
    names = dict(Reason.objects.values_list("code", "name"))
    counts: dict[str, int] = {}
    for reasons in counted.filter(level__in=BAD_LEVELS).values_list("reasons", flat=True):
        for code in reasons or []:
            counts[code] = counts.get(code, 0) + 1
    f.bad_reasons = sorted(
        ((names.get(c, c), n) for c, n in counts.items()), key=lambda x: (-x[1], x[0])
    )
    # Conduct problems found, on bad ratings and on 办不成事 reports.
    ratings_by_tag = dict(
        ConductTag.objects.filter(ratings__in=base)
        .values_list("code")
        .annotate(n=Count("ratings"))
        .values_list("code", "n")
    )
    reports = UnresolvedReport.objects.filter(
        center__in=centers, reported_at__gte=lo, reported_at__lt=hi
    )
    reports_by_tag = dict(
        ConductTag.objects.filter(reports__in=reports)
        .values_list("code")
        .annotate(n=Count("reports"))
        .values_list("code", "n")
    )
    f.conduct = [
        (
            t.get_group_display(),
            t.name,
            ratings_by_tag.get(t.code, 0),
            reports_by_tag.get(t.code, 0),
        )
        for t in ConductTag.objects.all()
        if ratings_by_tag.get(t.code) or reports_by_tag.get(t.code)
    ]
    return f
