"""Staffing API under /api/v1/staffing/: the plan of a center and day (forecast, windows needed
and planned, shortfall, recommendations) and the expected peaks.

Staff use their session (with the X-CSRFToken header on writes). Reading needs
``VIEW_CENTER`` on the center, entering or removing a peak ``MANAGE_CENTER``. Refusals answer
422 with a Chinese message naming the field; a forbidden action 403.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from bianmin.identity.auth import session_auth
from bianmin.identity.permissions import Action, authorize
from bianmin.org.models import Center

from . import forecast, selectors, services
from .models import ExpectedPeak

router = Router(tags=["staffing"])


class HourOut(Schema):
    hour: int
    opens: str
    closes: str
    open_minutes: int
    usual: float
    booked: int
    peak_extra: float
    forecast: float
    rate_per_hour: float
    needed: int
    planned: int
    shortfall: int
    share_within_target_planned: float | None = None
    mean_wait_planned: float | None = None
    history: list[dict]


class QueueOut(Schema):
    id: int
    letter: str
    name: str
    windows: list[int]
    planned: int
    service_minutes: float
    services_measured: int
    hours: list[HourOut]


class RecommendationOut(Schema):
    queue: str
    kind: str
    starts: str
    ends: str
    needed: int
    planned: int
    text: str


class PeakOut(Schema):
    id: int
    queue: str
    name: str
    day: dt.date
    starts_hour: int
    ends_hour: int
    extra_people: int | None = None
    factor: float | None = None
    note: str
    entered_by: str
    entered_at: dt.datetime
    removed_by: str | None = None
    removed_at: dt.datetime | None = None


class HistoryDayOut(Schema):
    day: dt.date
    used: bool
    reason: str


class PlanOut(Schema):
    center: str
    code: str
    day: dt.date
    open: bool
    target_minutes: int
    target_share: int
    history: list[HistoryDayOut]
    queues: list[QueueOut]
    recommendations: list[RecommendationOut]
    peaks: list[PeakOut]


class PeakIn(Schema):
    queue: str
    name: str
    day: str
    starts_hour: str | int
    ends_hour: str | int
    extra_people: str | int | None = None
    factor: str | float | None = None
    note: str = ""


def _center(code: str) -> Center:
    return get_object_or_404(Center.objects.select_related("region"), region__code=code)


def peak_out(p: ExpectedPeak) -> dict:
    return {
        "id": p.pk,
        "queue": p.queue.letter,
        "name": p.name,
        "day": p.day,
        "starts_hour": p.starts_hour,
        "ends_hour": p.ends_hour,
        "extra_people": p.extra_people,
        "factor": float(p.factor) if p.factor is not None else None,
        "note": p.note,
        "entered_by": str(p.created_by),
        "entered_at": p.created_at,
        "removed_by": str(p.removed_by) if p.removed_by_id else None,
        "removed_at": p.removed_at,
    }


def plan_out(p: forecast.Plan) -> dict:
    return {
        "center": p.center.name,
        "code": p.center.region.code,
        "day": p.day,
        "open": p.open,
        "target_minutes": p.settings.target_minutes,
        "target_share": p.settings.target_share,
        "history": [{"day": h.day, "used": h.used, "reason": h.reason} for h in p.history],
        "queues": [
            {
                "id": q.id,
                "letter": q.letter,
                "name": q.name,
                "windows": q.window_numbers,
                "planned": q.planned,
                "service_minutes": q.service_minutes,
                "services_measured": q.services_measured,
                "hours": [
                    {
                        "hour": c.hour,
                        "opens": f"{c.opens:%H:%M}",
                        "closes": f"{c.closes:%H:%M}",
                        "open_minutes": c.open_minutes,
                        "usual": round(c.usual, 2),
                        "booked": c.booked,
                        "peak_extra": round(c.peak_extra, 2),
                        "forecast": c.forecast,
                        "rate_per_hour": round(c.rate, 2),
                        "needed": c.needed,
                        "planned": c.planned,
                        "shortfall": c.shortfall,
                        "share_within_target_planned": c.share_planned,
                        "mean_wait_planned": c.wait_planned,
                        "history": [{"day": d.isoformat(), "tickets": n} for d, n in c.history],
                    }
                    for c in q.cells
                ],
            }
            for q in p.queues
        ],
        "recommendations": [
            {
                "queue": r.letter,
                "kind": r.kind,
                "starts": f"{r.starts:%H:%M}",
                "ends": f"{r.ends:%H:%M}",
                "needed": r.needed,
                "planned": r.planned,
                "text": r.text,
            }
            for r in p.recommendations
        ],
        "peaks": [peak_out(x) for x in p.peaks],
    }


@router.get("/centers/{code}/plan", response=PlanOut, auth=session_auth)
def get_plan(request, code: str, day: str | None = None):
    """The plan of one day (default: the next working day): per queue and hour the arrivals
    expected (usual walk-ins of the same weekday, bookings, peaks), the windows needed for the
    center's waiting target (Erlang C), the windows planned, the shortfall, and the
    recommendations in words."""
    center = _center(code)
    authorize(request.user, Action.VIEW_CENTER, center=center)
    if day:
        parsed = _parse_day(day)
    else:
        parsed = selectors.next_working_day()
    return plan_out(forecast.plan(center, parsed))


def _parse_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"day": [_("Day: enter a date as YYYY-MM-DD.")]}) from None


@router.post("/centers/{code}/peaks", response={201: PeakOut}, auth=session_auth)
def post_peak(request, code: str, data: PeakIn):
    """Enter an expected peak: a queue (letter), a day, whole hours from–until, and extra people
    and/or a factor on the usual arrivals."""
    center = _center(code)
    peak = services.add_peak(request.user, center, **data.dict())
    return Status(201, peak_out(peak))


@router.delete("/centers/{code}/peaks/{pk}", response={204: None}, auth=session_auth)
def delete_peak(request, code: str, pk: int):
    """Take a peak out of the forecast (the record of it stays)."""
    center = _center(code)
    peak = get_object_or_404(ExpectedPeak.objects.select_related("center"), pk=pk, center=center)
    services.remove_peak(request.user, peak)
    return Status(204, None)
