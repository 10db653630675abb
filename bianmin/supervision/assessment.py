"""The yearly assessment (年度考核): one score per center and year, from measured figures.

Seven components, each a share of 0–100 computed from rows other apps keep, one SQL query per
component for all the centers assessed together (a county of 20 centers costs the same nine
queries as one center):

==================  =================================================================  ==========
component           score (0–100)                                                      from
==================  =================================================================  ==========
ratings             positive ratings ÷ ratings counted (excluded ones left out)          feedback
cases_on_time       cases due this year decided by their deadline ÷ cases due           cases
one_time_notice     cases with a notice that needed no second one ÷ cases with notice   cases
queue_wait          tickets called within the target wait ÷ tickets called              queueing
guides              the center's score in the latest guide audit of the year            catalog
inspection_items    items passed ÷ items passed or failed, finished inspections         here
tasks_on_time       tasks accepted, submitted by the deadline ÷ tasks due               here
==================  =================================================================  ==========

**Score** = Σ weightᵢ × scoreᵢ ÷ Σ weightᵢ over the components that have figures for the center
that year (a center without a queue is not marked down for it). Each component's *points* are
weightᵢ × scoreᵢ ÷ Σ weightᵢ, so the points add up to the score. Weights: ``AssessmentWeights``
(defaults in the model; docs/supervision.md).

**Rank**: only centers whose components with figures carry at least half of all the weight are
ranked (best first, equal scores to one decimal share a rank); the others are listed after them,
with their score but no rank (数据不足), so that a center measured on one component alone never
tops the county.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bianmin.cases.machine import CLOCK_STATES, State
from bianmin.cases.models import Case
from bianmin.catalog.models import AuditRun
from bianmin.feedback.models import BAD_LEVELS, POSITIVE_LEVELS, Rating
from bianmin.org.models import Center
from bianmin.queueing.models import Ticket

from .models import AssessmentWeights, Inspection, InspectionAnswer, RectificationTask, Result

COMPONENTS = [
    ("ratings", _("Ratings satisfaction")),
    ("cases_on_time", _("Cases completed on time")),
    ("one_time_notice", _("One-time notice kept")),
    ("queue_wait", _("Queue waiting time")),
    ("guides", _("Guide completeness")),
    ("inspection_items", _("Inspection items passed")),
    ("tasks_on_time", _("Tasks rectified on time")),
]
NOT_COUNTED = (State.WITHDRAWN, State.TERMINATED)


@dataclass
class Figure:
    label: str
    value: object


@dataclass
class Component:
    key: str
    label: str
    weight: int
    score: float | None = None  # 0–100, None: no figures
    figures: list[Figure] = field(default_factory=list)
    link: str = ""
    points: float | None = None

    @property
    def counted(self) -> bool:
        return self.score is not None and self.weight > 0


@dataclass
class CenterScore:
    center: Center
    components: list[Component]
    score: float | None = None
    rank: int | None = None
    weight_counted: int = 0

    def component(self, key: str) -> Component:
        return next(c for c in self.components if c.key == key)

    @property
    def weight_total(self) -> int:
        return sum(c.weight for c in self.components)

    @property
    def complete(self) -> bool:
        """Ranked: the components with figures carry at least half of all the weight."""
        return self.score is not None and self.weight_counted * 2 >= self.weight_total


def year_span(year: int, now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """[1 January, min(1 January next year, now)) in local time."""
    tz = timezone.get_current_timezone()
    lo = dt.datetime(year, 1, 1, tzinfo=tz)
    hi = dt.datetime(year + 1, 1, 1, tzinfo=tz)
    now = now or timezone.now()
    return lo, max(lo, min(hi, now))


def _share(part: int, whole: int) -> float | None:
    return None if not whole else 100.0 * part / whole


def _by_center(qs, **aggregates) -> dict[int, dict]:
    return {row["center_id"]: row for row in qs.values("center_id").annotate(**aggregates)}


def assess(centers, year: int, *, now: dt.datetime | None = None) -> list[CenterScore]:
    """The scores of ``centers`` for ``year``, best first, ranked (equal scores share a rank)."""
    centers = list(centers)
    ids = [c.pk for c in centers]
    lo, hi = year_span(year, now)
    w = AssessmentWeights.objects.filter(year=year).first() or AssessmentWeights(year=year)

    ratings = _by_center(
        Rating.objects.filter(center_id__in=ids, rated_at__gte=lo, rated_at__lt=hi, excluded=False),
        total=Count("id"),
        positive=Count("id", filter=Q(level__in=POSITIVE_LEVELS)),
        bad=Count("id", filter=Q(level__in=BAD_LEVELS)),
    )
    cases = _by_center(
        Case.objects.filter(center_id__in=ids, due_at__gte=lo, due_at__lt=hi).exclude(
            state__in=NOT_COUNTED
        ),
        total=Count("id"),
        late=Count(
            "id",
            filter=Q(decided_at__gt=F("due_at"))
            | Q(decided_at__isnull=True, state__in=CLOCK_STATES),
        ),
    )
    notices = _by_center(
        Case.objects.filter(
            center_id__in=ids, received_at__gte=lo, received_at__lt=hi, notices__isnull=False
        ),
        total=Count("id", distinct=True),
        again=Count("id", distinct=True, filter=Q(notices__number__gte=2)),
    )
    target = w.wait_target_minutes * 60
    tickets = _by_center(
        Ticket.objects.filter(
            center_id__in=ids,
            day__gte=lo.date(),
            day__lt=hi.date() if hi.time() == dt.time.min else hi.date() + dt.timedelta(days=1),
            wait_seconds__isnull=False,
        ),
        total=Count("id"),
        within=Count("id", filter=Q(wait_seconds__lte=target)),
        mean=Avg("wait_seconds"),
    )
    audit = _audit_scores(ids, year, hi)
    answers = {
        row["inspection__center_id"]: row
        for row in InspectionAnswer.objects.filter(
            inspection__center_id__in=ids,
            inspection__state=Inspection.State.FINISHED,
            inspection__finished_at__gte=lo,
            inspection__finished_at__lt=hi,
        )
        .values("inspection__center_id")
        .annotate(
            inspections=Count("inspection_id", distinct=True),
            passed=Count("id", filter=Q(result=Result.PASS)),
            failed=Count("id", filter=Q(result=Result.FAIL)),
        )
    }
    tasks = _by_center(
        RectificationTask.objects.filter(
            center_id__in=ids, created_at__gte=lo, created_at__lt=hi
        ).filter(Q(due_at__lt=hi) | Q(state=RectificationTask.State.ACCEPTED)),
        total=Count("id"),
        on_time=Count(
            "id",
            filter=Q(state=RectificationTask.State.ACCEPTED, submitted_at__lte=F("due_at")),
        ),
        accepted=Count("id", filter=Q(state=RectificationTask.State.ACCEPTED)),
    )

    minutes = w.wait_target_minutes
    # key: (rows per center, part, whole, [(figure label, value)], link)
    specs = {
        "ratings": (
            ratings,
            "positive",
            "total",
            [
                (_("Ratings counted"), "total"),
                (_("Positive (very satisfied, satisfied, basically)"), "positive"),
                (_("Bad"), "bad"),
            ],
        ),
        "cases_on_time": (
            cases,
            lambda r: r["total"] - r["late"],
            "total",
            [
                (_("Cases due this year"), "total"),
                (_("Decided by the deadline"), lambda r: r["total"] - r["late"]),
                (_("Late"), "late"),
            ],
        ),
        "one_time_notice": (
            notices,
            lambda r: r["total"] - r["again"],
            "total",
            [(_("Cases with a one-time notice"), "total"), (_("Needing a second notice"), "again")],
        ),
        "queue_wait": (
            tickets,
            "within",
            "total",
            [
                (_("Tickets called"), "total"),
                (_("Called within %(m)s minutes") % {"m": minutes}, "within"),
                (_("Mean wait, minutes"), lambda r: round((r["mean"] or 0) / 60, 1)),
            ],
        ),
        "guides": (
            audit,
            "score",
            lambda r: 100,
            [
                (_("Guide audit of"), lambda r: f"{timezone.localtime(r['at']):%Y-%m-%d}"),
                (_("Center's audit score"), "score"),
            ],
        ),
        "inspection_items": (
            answers,
            "passed",
            lambda r: r["passed"] + r["failed"],
            [
                (_("Inspections finished"), "inspections"),
                (_("Items passed"), "passed"),
                (_("Items failed"), "failed"),
            ],
        ),
        "tasks_on_time": (
            tasks,
            "on_time",
            "total",
            [
                (_("Tasks due"), "total"),
                (_("Accepted, submitted by the deadline"), "on_time"),
                (_("Tasks accepted"), "accepted"),
            ],
        ),
    }
    results = []
    for center in centers:
        comps = []
        for key, label in COMPONENTS:
            rows, part, whole, figures = specs[key]
            c = Component(key, str(label), getattr(w, key), link=_link(key, center, lo, hi))
            row = rows.get(center.pk)
            if row and _value(row, whole):
                c.score = _share(_value(row, part), _value(row, whole))
                c.figures = [Figure(str(lbl), _value(row, v)) for lbl, v in figures]
            comps.append(c)
        results.append(_total(center, comps))

    results.sort(
        key=lambda s: (not s.complete, s.score is None, -(s.score or 0), s.center.region.code)
    )
    rank, last = 0, object()
    for n, s in enumerate(results, start=1):
        if not s.complete:
            continue
        if round(s.score, 1) != last:
            rank, last = n, round(s.score, 1)
        s.rank = rank
    return results


def _value(row: dict, how):
    return how(row) if callable(how) else row[how]


def _link(key: str, center: Center, lo: dt.datetime, hi: dt.datetime) -> str:
    """Where the rows behind a component are listed."""
    if key == "ratings":
        last = (hi - dt.timedelta(seconds=1)).date()
        return reverse("feedback:figures") + f"?center={center.pk}&start={lo.date()}&end={last}"
    if key == "queue_wait":
        return reverse("queueing:figures", args=[center.region.code])
    if key == "guides":
        return reverse("catalog:audit")
    return (
        "#"
        + {
            "cases_on_time": "late-cases",
            "one_time_notice": "second-notices",
            "inspection_items": "inspections",
            "tasks_on_time": "tasks",
        }[key]
    )


def _total(center: Center, comps: list[Component]) -> CenterScore:
    counted = [c for c in comps if c.counted]
    weight = sum(c.weight for c in counted)
    for c in comps:
        if c.score is not None:
            c.score = round(c.score, 2)
    score = None
    if weight:
        for c in counted:
            c.points = c.weight * c.score / weight
        score = sum(c.points for c in counted)
    return CenterScore(center=center, components=comps, score=score, weight_counted=weight)


def _audit_scores(ids: list[int], year: int, hi: dt.datetime) -> dict[int, dict]:
    """For each center, {at, score}: the finished time and score of the latest finished audit of the year that
    scored it. One query (the year's runs, newest first)."""
    lo = dt.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
    out: dict[int, dict] = {}
    wanted = {str(pk): pk for pk in ids}
    runs = (
        AuditRun.objects.filter(finished_at__isnull=False, finished_at__gte=lo, finished_at__lt=hi)
        .order_by("-finished_at", "-id")
        .values_list("finished_at", "scores")[:50]
    )
    for finished_at, scores in runs:
        for key, value in ((scores or {}).get("centers") or {}).items():
            pk = wanted.get(str(key))
            if pk is not None and pk not in out and value is not None:
                out[pk] = {"at": finished_at, "score": round(float(value), 1)}
        if len(out) == len(ids):
            break
    return out


def drilldown(center: Center, year: int, *, now=None, limit: int = 100) -> dict:
    """The rows behind a center's figures: late cases, cases that needed a second notice,
    the year's inspections with their failed items, and the tasks."""
    lo, hi = year_span(year, now)
    late = (
        Case.objects.filter(center=center, due_at__gte=lo, due_at__lt=hi)
        .exclude(state__in=NOT_COUNTED)
        .filter(Q(decided_at__gt=F("due_at")) | Q(decided_at__isnull=True, state__in=CLOCK_STATES))
        .select_related("item")
        .order_by("due_at")
        .only("number", "state", "due_at", "decided_at", "item__name")[:limit]
    )
    again = (
        Case.objects.filter(
            center=center, received_at__gte=lo, received_at__lt=hi, notices__number__gte=2
        )
        .select_related("item")
        .annotate(n=Count("notices"))
        .order_by("received_at")
        .only("number", "received_at", "item__name")[:limit]
    )
    inspections = (
        Inspection.objects.filter(
            center=center, state="finished", finished_at__gte=lo, finished_at__lt=hi
        )
        .select_related("inspector")
        .annotate(
            passed=Count("answers", filter=Q(answers__result=Result.PASS)),
            failed=Count("answers", filter=Q(answers__result=Result.FAIL)),
        )
        .order_by("finished_at")
    )
    tasks = RectificationTask.objects.filter(
        center=center, created_at__gte=lo, created_at__lt=hi
    ).order_by("due_at")
    return {
        "late": list(late),
        "again": list(again),
        "inspections": list(inspections),
        "tasks": list(tasks),
    }
