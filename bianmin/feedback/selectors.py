"""Reads shared by the pages, the API and the portal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from bianmin.cases.models import Case
from bianmin.identity.models import User
from bianmin.identity.permissions import Action, can, centers_in_scope
from bianmin.identity.roles import Role
from bianmin.queueing.models import Ticket, Visit

from . import services
from .models import (
    Appeal,
    RatingInvitation,
    RatingPad,
    Rectification,
    UnresolvedReport,
)


def pad_current(pad: RatingPad, *, now: dt.datetime | None = None) -> RatingInvitation | None:
    """What the pad beside a window offers now: the service a clerk presented to it, else the
    visit that just finished at the window (within ``pad_pickup_minutes``), if not rated yet."""
    now = now or timezone.now()
    minutes = services.settings_for(pad.window.center).pad_pickup_minutes
    since = now - dt.timedelta(minutes=minutes)
    presented = (
        RatingInvitation.objects.filter(presented_window=pad.window, presented_at__gte=since)
        .order_by("-presented_at")
        .first()
    )
    ticket = (
        Ticket.objects.filter(
            window=pad.window,
            status=Ticket.Status.DONE,
            finished_at__gte=since,
            visit__isnull=False,
        )
        .select_related("visit")
        .order_by("-finished_at")
        .first()
    )

    def open_(invitation):
        return (
            invitation is not None
            and not hasattr(invitation, "rating")
            and invitation.expires_at >= now
        )

    candidates = [presented]
    if ticket is not None and (presented is None or ticket.finished_at > presented.presented_at):
        visit = ticket.visit
        if services.visit_is_finished(visit):
            just_finished = RatingInvitation.objects.filter(visit=visit).first()
            if just_finished is None:
                just_finished = services.invitation_for_visit(visit, now=now)
            candidates.insert(0, just_finished)
    # The newest service not rated yet: a rated visit that finished after the clerk presented
    # another service must not hide that one.
    return next((c for c in candidates if open_(c)), None)


def rating_of(invitation: RatingInvitation):
    return getattr(invitation, "rating", None) if invitation.pk else None


def scoped_centers(user: User) -> QuerySet:
    return centers_in_scope(user)


def rectifications_for(user: User, *, state: str = "open") -> QuerySet[Rectification]:
    qs = Rectification.objects.filter(center__in=centers_in_scope(user)).select_related(
        "rating", "rating__invitation", "rating__clerk", "rating__window", "center"
    )
    if state == "open":
        qs = qs.filter(state__in=Rectification.OPEN_STATES).order_by("due_at", "id")
    elif state == "overdue":
        qs = qs.filter(state__in=Rectification.OPEN_STATES, due_at__lt=timezone.now())
    elif state == "escalated":
        qs = qs.filter(escalated_at__isnull=False).order_by("-escalated_at")
    else:
        qs = qs.exclude(state__in=Rectification.OPEN_STATES).order_by("-closed_at", "-id")
    return qs


def appeals_for(user: User, *, pending_only: bool = False) -> QuerySet[Appeal]:
    qs = Appeal.objects.filter(center__in=centers_in_scope(user)).select_related(
        "rating", "rating__invitation", "center", "filed_by", "reviewed_by"
    )
    if pending_only:
        qs = qs.filter(state=Appeal.State.PENDING)
    return qs


def reports_for(user: User, *, state: str = "open") -> QuerySet[UnresolvedReport]:
    qs = UnresolvedReport.objects.filter(center__in=centers_in_scope(user)).select_related(
        "item", "assignee", "center", "window"
    )
    if user.role == Role.WINDOW_CLERK:
        qs = qs.filter(Q(recorded_by=user) | Q(assignee=user))
    if state == "open":
        return qs.filter(state__in=UnresolvedReport.OPEN_STATES).order_by("due_at", "id")
    if state == "resolved":
        return qs.filter(state=UnresolvedReport.State.RESOLVED).order_by("-resolved_at")
    return qs.filter(state=UnresolvedReport.State.CLOSED).order_by("-followed_up_at")


@dataclass
class CauseGroup:
    item: str
    cause: str
    cause_label: str
    count: int
    unresolved: int


def recurring_causes(centers, *, since: dt.datetime | None = None, minimum: int = 1):
    """办不成事 grouped per item and cause, most frequent first: what to fix in the catalogue."""
    qs = UnresolvedReport.objects.filter(center__in=centers)
    if since is not None:
        qs = qs.filter(reported_at__gte=since)
    labels = dict(UnresolvedReport.Cause.choices)
    rows = (
        qs.values("item__name", "cause")
        .annotate(n=Count("id"), open=Count("id", filter=~Q(resolved=True)))
        .filter(n__gte=minimum)
        .order_by("-n", "item__name", "cause")
    )
    return [
        CauseGroup(
            item=r["item__name"] or "（未对应事项）",
            cause=r["cause"],
            cause_label=str(labels.get(r["cause"], r["cause"])),
            count=r["n"],
            unresolved=r["open"],
        )
        for r in rows
    ]


def ticket_subject(ticket) -> str:
    """What the visit was for: the item, else the life event by name (人生事件：新生儿出生),
    else the purpose."""
    if ticket.item_id:
        return ticket.item.name
    if getattr(ticket, "life_event_id", None):
        return f"{ticket.get_purpose_display()}：{ticket.life_event.name}"
    return str(ticket.get_purpose_display())


@dataclass
class Finished:
    kind: str
    label: str
    finished_at: dt.datetime
    visit: Visit | None = None
    case: Case | None = None
    invitation: RatingInvitation | None = None

    @property
    def rated(self) -> bool:
        return self.invitation is not None and hasattr(self.invitation, "rating")


def finished_for_clerk(user: User, *, now=None, days: int = 3) -> list[Finished]:
    """The clerk's recently finished visits and cases, to present on the rating pad."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    out: list[Finished] = []
    tickets = (
        Ticket.objects.filter(
            clerk=user,
            status=Ticket.Status.DONE,
            finished_at__gte=since,
            visit__outcome__in=services.RATEABLE_VISIT_OUTCOMES,
        )
        .select_related("visit", "item", "life_event", "window")
        .order_by("-finished_at")[:30]
    )
    invitations = {
        i.visit_id: i
        for i in RatingInvitation.objects.filter(visit__in=[t.visit_id for t in tickets])
    }
    for t in tickets:
        out.append(
            Finished(
                "visit",
                f"{t.code} · {ticket_subject(t)}",
                t.finished_at,
                visit=t.visit,
                invitation=invitations.get(t.visit_id),
            )
        )
    cases = (
        Case.objects.filter(
            received_by=user,
            state__in=services.RATEABLE_CASE_STATES,
            closed_at__gte=since,
        )
        | Case.objects.filter(
            received_by=user,
            state__in=services.RATEABLE_CASE_STATES,
            handed_out_at__gte=since,
        )
    ).select_related("item")[:30]
    case_inv = {i.case_id: i for i in RatingInvitation.objects.filter(case__in=list(cases))}
    for c in cases:
        out.append(
            Finished(
                "case",
                f"{c.number} · {c.item.name}",
                c.handed_out_at or c.closed_at or c.received_at,
                case=c,
                invitation=case_inv.get(c.pk),
            )
        )
    out.sort(key=lambda f: f.finished_at, reverse=True)
    return out


def rateable_for_citizen(user: User, *, now=None) -> list[Finished]:
    """A citizen's finished visits and cases still open for rating, and those rated (portal)."""
    now = now or timezone.now()
    person = getattr(user, "person", None)
    if person is None:
        return []
    out: list[Finished] = []
    for case in Case.objects.filter(
        Q(person=person) | Q(proxy=person), state__in=services.RATEABLE_CASE_STATES
    ).select_related("item", "center")[:50]:
        inv = services.invitation_for_case(case, now=now)
        if inv.expires_at >= now or hasattr(inv, "rating"):
            out.append(Finished("case", inv.label, inv.finished_at, case=case, invitation=inv))
    for visit in Visit.objects.filter(
        person=person, outcome__in=services.RATEABLE_VISIT_OUTCOMES
    ).select_related("center")[:50]:
        inv = services.invitation_for_visit(visit, now=now)
        if inv.expires_at >= now or hasattr(inv, "rating"):
            out.append(Finished("visit", inv.label, inv.finished_at, visit=visit, invitation=inv))
    out.sort(key=lambda f: f.finished_at, reverse=True)
    return out


def may_see_feedback(user: User) -> bool:
    return can(user, Action.VIEW_CENTER)
