"""Reads shared by the pages and the API: inspections, tasks, counties in scope."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from bianmin.identity.permissions import Action, can, centers_in_scope
from bianmin.org.models import Center, Region

from .models import Inspection, RectificationTask, Result


def supervised_centers(user) -> QuerySet[Center]:
    """Centers the user supervises (county: their county's, city: all), or manages (own)."""
    if can(user, Action.SUPERVISE) or can(user, Action.MANAGE_CENTER):
        return centers_in_scope(user)
    return Center.objects.none()


def inspections_for(user) -> QuerySet[Inspection]:
    return (
        Inspection.objects.filter(center__in=supervised_centers(user))
        .select_related("center", "inspector")
        .annotate(
            failed=Count("answers", filter=Q(answers__result=Result.FAIL)),
            answered=Count("answers", filter=~Q(answers__result="")),
            items=Count("answers"),
        )
        .order_by("-started_at", "-id")
    )


def tasks_for(user, state: str = "open", *, now=None) -> QuerySet[RectificationTask]:
    """open (to rectify or waiting for verification), overdue, submitted, accepted, all."""
    now = now or timezone.now()
    qs = RectificationTask.objects.filter(center__in=supervised_centers(user)).select_related(
        "center", "inspection"
    )
    if state == "open":
        qs = qs.filter(state__in=RectificationTask.OPEN_STATES)
    elif state == "overdue":
        qs = qs.filter(state=RectificationTask.State.OPEN, due_at__lt=now)
    elif state in RectificationTask.State.values:
        qs = qs.filter(state=state)
    return qs.order_by("due_at", "id")


def task_counts(user, *, now=None) -> dict[str, int]:
    now = now or timezone.now()
    return RectificationTask.objects.filter(center__in=supervised_centers(user)).aggregate(
        open=Count("id", filter=Q(state=RectificationTask.State.OPEN)),
        submitted=Count("id", filter=Q(state=RectificationTask.State.SUBMITTED)),
        overdue=Count("id", filter=Q(state=RectificationTask.State.OPEN, due_at__lt=now)),
        accepted=Count("id", filter=Q(state=RectificationTask.State.ACCEPTED)),
    )


def counties_for(user) -> list[Region]:
    """The counties whose ranking the user may see: their own county, or all (city)."""
    if not can(user, Action.SUPERVISE):
        return []
    region = user.region
    if region is None:
        return []
    if region.level == Region.Level.COUNTY:
        return [region]
    return list(Region.objects.filter(level=Region.Level.COUNTY).order_by("code"))


def county_centers(county: Region) -> QuerySet[Center]:
    return (
        Center.objects.filter(region__parent=county)
        .select_related("region", "region__parent")
        .order_by("region__code")
    )
