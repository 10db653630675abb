"""Reads of cases shared by the pages, the API, the timers and reports.

The lists are built for a million cases: each is one indexed query (center or department, state,
due date) that reads only the columns a row shows, fetched a page at a time without counting
the whole table. ``case_detail`` fetches one case with everything its page shows in a fixed
number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, npgettext, pgettext

from bianmin.identity.models import User
from bianmin.identity.permissions import Action, can, centers_in_scope
from bianmin.identity.roles import Role
from bianmin.identity.services import find_people_by_mobile, find_person
from bianmin.workdays.services import add_working_days

from . import deadlines
from .machine import CLOCK_STATES, INTAKE_STATES, State
from .models import TAB_STATES, Case, CaseEvent, Delivery, MaterialFile, OneTimeNotice

PAGE_SIZE = 50
LIST_COLUMNS = (
    "id",
    "number",
    "state",
    "center_id",
    "item_id",
    "item__name",
    "department_id",
    "officer_id",
    "applicant_name",
    "applicant_masked",
    "received_at",
    "due_at",
    "warn_at",
    "due_provisional",
    "pledge_status",
    "pledge_due",
    "channel",
)


class Tab:
    """The clerk's tabs: what needs the window now."""

    INTAKE = "intake"  # received, waiting for a correction, returned by the back office
    RUNNING = "running"  # accepted and in the back office, forwarded, suspended
    RESULTS = "results"  # results to hand out or on their way by post
    OVERDUE = "overdue"
    CLOSED = "closed"


def _list_qs() -> QuerySet[Case]:
    return Case.objects.select_related("item").only(*LIST_COLUMNS)


def _with_holders(qs: QuerySet[Case]) -> QuerySet[Case]:
    """The overdue lists also say who holds each case and why it waits: one query still."""
    return qs.select_related("officer", "received_by").only(
        *LIST_COLUMNS,
        "steps_done",
        "forwarded_to",
        "officer__full_name",
        "officer__username",
        "received_by__full_name",
        "received_by__username",
    )


@dataclass
class Page:
    rows: list[Case]
    has_next: bool
    page: int


def paginate(qs: QuerySet[Case], page: int = 1, size: int = PAGE_SIZE) -> Page:
    """A page without COUNT(*): one more row than shown tells whether there is a next page."""
    page = max(int(page or 1), 1)
    rows = list(qs[(page - 1) * size : page * size + 1])
    return Page(rows[:size], len(rows) > size, page)


ROW_VALUES = (
    "id",
    "number",
    "state",
    "item__name",
    "applicant_name",
    "applicant_masked",
    "received_at",
    "due_at",
    "warn_at",
    "due_provisional",
)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICRO = dt.timedelta(microseconds=1)


def _sort_key(qs: QuerySet[Case]) -> tuple[str, bool]:
    """The list's first ordering field and whether it runs backwards (every list here is
    ordered by one moment and then the id, the same way)."""
    if not qs.query.order_by:  # an empty list (Case.objects.none()): any key will do
        return "received_at", True
    first = str(qs.query.order_by[0])
    return first.lstrip("-"), first.startswith("-")


def cursor_of(row: dict, field_name: str) -> str:
    value = row[field_name]
    moment = "n" if value is None else str((value - _EPOCH) // _MICRO)
    return f"{moment}.{row['id']}"


def keyset_page(qs: QuerySet[Case], after: str = "", size: int = PAGE_SIZE):
    """Rows (as dicts of ``ROW_VALUES``) of the page after the cursor ``after`` (the value
    ``next`` of the previous page; empty for the first), and the cursor of the next page or "".

    Keyset pagination: the page is read off the list's index from the last row seen, so page
    1,000 costs what page 1 costs (OFFSET would read and skip every row before it)."""
    field_name = _sort_key(qs)[0]
    qs = after_cursor(qs, after)
    rows = list(qs.values(*ROW_VALUES)[: size + 1])
    nxt = cursor_of(rows[size - 1], field_name) if len(rows) > size else ""
    return rows[:size], nxt


def after_cursor(qs: QuerySet[Case], after: str) -> QuerySet[Case]:
    """``qs`` from the row after the cursor on (all of it for an empty cursor)."""
    field_name, descending = _sort_key(qs)
    if after:
        try:
            moment, last_id = after.split(".")
            last_id = int(last_id)
            value = None if moment == "n" else _EPOCH + int(moment) * _MICRO
        except ValueError:
            raise ValidationError({"after": [_("After: not a cursor of this list.")]}) from None
        table = connection.ops.quote_name(Case._meta.db_table)
        column = f"{table}.{connection.ops.quote_name(field_name)}"
        key = f"{table}.{connection.ops.quote_name('id')}"
        if value is None:  # rows without the moment come last (PostgreSQL's order)
            where = f"{column} IS NULL AND {key} {'<' if descending else '>'} %s"
            params = [last_id]
        else:
            # A row comparison: one range of the list's index, whatever the depth. (Rows
            # without the moment are not in these lists: every listed state has it.)
            where = f"({column}, {key}) {'<' if descending else '>'} (%s, %s)"
            params = [connection.ops.adapt_datetimefield_value(value), last_id]
        qs = qs.extra(where=[where], params=params)
    return qs


def center_cases(center_id: int, tab: str = Tab.INTAKE, *, now=None, q: str = "") -> QuerySet[Case]:
    """A center's cases for the clerk's and the manager's lists."""
    now = now or timezone.now()
    qs = _list_qs().filter(center_id=center_id)
    if q:
        qs = qs.filter(Q(number=q.strip()) | Q(applicant_name=q.strip()))
    if tab == Tab.OVERDUE:
        qs = _with_holders(qs).filter(state__in=sorted(CLOCK_STATES), due_at__lt=now)
        return qs.order_by("due_at", "id")
    if tab == Tab.CLOSED:
        return qs.filter(state__in=TAB_STATES[Tab.CLOSED]).order_by("-received_at", "-id")
    states = TAB_STATES.get(tab, TAB_STATES[Tab.INTAKE])
    return qs.filter(state__in=states).order_by("-received_at", "-id")


class Queue:
    """The officer's views of the department's work."""

    WAITING = "waiting"  # accepted, nobody has claimed it
    MINE = "mine"  # claimed by me, in the back office
    FORWARDED = "forwarded"
    DECIDED = "decided"
    OVERDUE = "overdue"


def department_queue(user: User, view: str = Queue.WAITING, *, now=None) -> QuerySet[Case]:
    """The back-office work queue, scoped to the officer's department (and its region)."""
    now = now or timezone.now()
    if user.role != Role.BACK_OFFICE_OFFICER or not user.department_id:
        return Case.objects.none()
    qs = _list_qs().filter(department_id=user.department_id)
    if view == Queue.MINE:
        return qs.filter(
            officer_id=user.pk, state__in=[State.IN_BACK_OFFICE, State.RETURNED, State.SUSPENDED]
        ).order_by("due_at", "id")
    if view == Queue.FORWARDED:
        return qs.filter(state=State.FORWARDED).order_by("due_at", "id")
    if view == Queue.DECIDED:
        return qs.filter(
            state__in=[State.APPROVED, State.DENIED, State.RESULT_READY, State.IN_DELIVERY]
        ).order_by("due_at", "id")
    if view == Queue.OVERDUE:
        return qs.filter(state__in=sorted(CLOCK_STATES), due_at__lt=now).order_by("due_at", "id")
    return qs.filter(state=State.ACCEPTED).order_by("due_at", "id")


def overdue(*, center_id: int | None = None, department_id: int | None = None, now=None):
    """Cases past their due date whose clock still runs, most overdue first."""
    now = now or timezone.now()
    qs = _with_holders(_list_qs()).filter(state__in=sorted(CLOCK_STATES), due_at__lt=now)
    if center_id is not None:
        qs = qs.filter(center_id=center_id)
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    return qs.order_by("due_at", "id")


def overdue_in_scope(user: User, *, now=None) -> QuerySet[Case]:
    """The overdue list a user may see: their department's, or their centers'."""
    if user.role == Role.BACK_OFFICE_OFFICER:
        return overdue(department_id=user.department_id or -1, now=now)
    centers = centers_in_scope(user).values("pk")
    return overdue(now=now).filter(center_id__in=centers)


def may_view(user: User, case: Case) -> bool:
    """Staff of the case's center, officers of its department, supervisors over the center."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.BACK_OFFICE_OFFICER:
        return user.department_id is not None and user.department_id == case.department_id
    if user.role == Role.CITIZEN:
        return case.person_id is not None and case.person.user_id == user.pk
    return can(user, Action.VIEW_CENTER, center=case.center)


def case_detail(number: str) -> Case | None:
    """One case with what its page shows: item, guide steps, people, events, notices, files."""
    return (
        Case.objects.select_related(
            "center__region",
            "item__domain",
            "guide",
            "department",
            "person",
            "organisation",
            "proxy",
            "received_by",
            "officer",
            "decided_by",
        )
        .prefetch_related(
            "guide__steps",
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor").order_by("seq")),
            Prefetch(
                "notices",
                queryset=OneTimeNotice.objects.select_related("issued_by").order_by("number"),
            ),
            Prefetch("files", queryset=MaterialFile.objects.order_by("uploaded_at", "id")),
            Prefetch("deliveries", queryset=Delivery.objects.order_by("-sent_at")),
        )
        .filter(number=number)
        .first()
    )


def events_of(case: Case) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(case=case).order_by("seq"))


# --- Progress for the applicant -------------------------------------------------------------------

PROGRESS_TEXT = {
    "open": gettext_lazy("Your application was received"),
    "issue_notice": gettext_lazy("Materials to correct: a one-time notice was issued"),
    "record_correction": gettext_lazy("The corrected materials were received"),
    "accept": gettext_lazy("Accepted"),
    "deem_accepted": gettext_lazy("Accepted (deemed accepted by law)"),
    "claim": gettext_lazy("The department started the review"),
    "complete_step": gettext_lazy("A review step was completed"),
    "return_to_intake": gettext_lazy("Sent back to the window for more work"),
    "resubmit": gettext_lazy("Sent to the department again"),
    "forward": gettext_lazy("Forwarded to the county-level department"),
    "county_approve": gettext_lazy("The county-level department approved it"),
    "county_deny": gettext_lazy("The county-level department denied it"),
    "approve": gettext_lazy("The department approved it"),
    "deny": gettext_lazy("The department denied it"),
    "prepare_result": gettext_lazy("The result is at the window, ready to collect"),
    "hand_out": gettext_lazy("The result was collected at the window"),
    "send_by_post": gettext_lazy("The result was posted free of charge"),
    "confirm_delivery": gettext_lazy("The post delivered the result"),
    "delivery_returned": gettext_lazy(
        "The post returned the result: please collect it at the window"
    ),
    "close": gettext_lazy("Completed"),
    "suspend": gettext_lazy("Suspended (the clock is paused)"),
    "pledge_overdue": gettext_lazy("Suspended: the pledged material did not arrive in time"),
    "resume": gettext_lazy("Resumed"),
    "terminate": gettext_lazy("Terminated"),
    "withdraw": gettext_lazy("The application was withdrawn"),
    "reject": gettext_lazy("Not accepted"),
    "approve_extension": gettext_lazy("The time limit was extended as the law allows"),
    "supply_deferred": gettext_lazy("The pledged material was received"),
}


@dataclass
class ProgressStep:
    at: dt.datetime
    text: str
    detail: str = ""


def progress_steps(case: Case) -> list[ProgressStep]:
    """Each step in plain Chinese, with nothing personal in it."""
    out = []
    history = list(case.events.all())
    posted = ""  # the carrier and tracking number of the latest postal dispatch
    for i, e in enumerate(history):
        text = PROGRESS_TEXT.get(e.action)
        if text is None:
            continue
        detail = ""
        if e.action == "prepare_result" and _next_hand_out(history[i + 1 :]) == "send_by_post":
            text = _("The result is ready and will be posted free of charge")
        if e.action == "issue_notice":
            notices = {n.number: n for n in case.notices.all()}
            notice = notices.get(e.data.get("notice"))
            detail = "、".join(i["name"] for i in notice.items) if notice else ""
        elif e.action == "forward":
            detail = e.after.get("forwarded_to", "")
        elif e.action == "send_by_post":
            posted = f"{e.data.get('carrier', '')} {e.data.get('tracking_number', '')}"
            detail = posted
        elif e.action in ("confirm_delivery", "delivery_returned"):
            detail = posted
        elif e.action == "supply_deferred":
            detail = e.data.get("name", "")
        out.append(ProgressStep(e.at, str(text), detail))
    return out


def _next_hand_out(later) -> str:
    """How a prepared result left: by post, at the window, or not yet (the next such event)."""
    for e in later:
        if e.action in ("send_by_post", "hand_out"):
            return e.action
    return ""


def progress_state_label(case: Case) -> str:
    """The state in the applicant's words: a posted result says it was posted or delivered."""
    if case.state in (State.HANDED_OUT, State.CLOSED) and case.handout_method == "post":
        return str(_("Delivered by post"))
    return str(State(case.state).label)


@dataclass(frozen=True)
class CountyWait:
    """A forwarded case (转报) waiting for the county: who has it, since when, and the time limit
    the guide gives for the decision (promised, else statutory; with the guide's note)."""

    authority: str
    since: dt.datetime | None
    days: int | None
    limit_text: str


def county_wait(case: Case) -> CountyWait | None:
    """What the case page and the applicant's progress page say while the county decides."""
    if case.state != State.FORWARDED:
        return None
    guide = case.guide
    parts = []
    days = (guide.promised_days or guide.statutory_days) if guide else None
    if days:
        kind = (
            pgettext("time limit kind", "promised")
            if guide.promised_days
            else pgettext("time limit kind", "statutory")
        )
        label = npgettext(
            "county time limit",
            "%(n)s working day (%(kind)s)",
            "%(n)s working days (%(kind)s)",
            days,
        )
        parts.append(label % {"n": days, "kind": kind})
    if guide and guide.time_limit_note:
        parts.append(guide.time_limit_note)
    return CountyWait(
        authority=case.forwarded_to,
        since=case.forwarded_at,
        days=days,
        limit_text="；".join(parts),
    )


def mask_name(name: str) -> str:
    """王大爷 → 王**: enough for the family to recognise, nothing for anyone else."""
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def clock_text(case: Case, now=None) -> str:
    now = now or timezone.now()
    level = deadlines.level(case, now)
    if case.due_at is None:
        return ""
    due = deadlines.local_date(case.due_at).isoformat()
    provisional = _("(provisional)") if case.due_provisional else ""
    if level == "paused":
        return _("Suspended: the clock is paused (due %(date)s before the pause)%(p)s") % {
            "date": due,
            "p": provisional,
        }
    return _("Due %(date)s%(p)s") % {"date": due, "p": provisional}


def intake_warning_day(case: Case) -> dt.date | None:
    if case.state not in INTAKE_STATES:
        return None
    return add_working_days(case.intake_deadline, -1).date


def matches_applicant(case: Case, secret: str) -> bool:
    """Does ``secret`` (a mobile or identity number) belong to the applicant, the organisation's
    representative or the proxy? Nothing is decrypted: the numbers are found by their digests.
    (An organisation's credit code is public, so it opens nothing.)"""
    secret = (secret or "").strip().replace(" ", "")
    people = {case.person_id, case.proxy_id}
    if case.organisation_id:
        people.add(case.organisation.representative_id)
    people.discard(None)
    try:
        if len(secret) == 18:
            person = find_person(secret)
            return person is not None and person.pk in people
        return any(p.pk in people for p in find_people_by_mobile(secret))
    except ValidationError:
        return False


LOOKUP_LIMIT = 10  # wrong tries per address …
LOOKUP_WINDOW = 15 * 60  # … in 15 minutes


@dataclass(frozen=True)
class Lookup:
    case: Case | None
    limited: bool  # too many wrong tries from this address: nothing was looked up


def look_up_progress(ip: str, number: str, secret: str, queryset=None) -> Lookup:
    """The applicant's case by its number and a phone or identity number, for the progress page
    and its API. A wrong number and a wrong case number get the same answer, and an address gets
    ``LOOKUP_LIMIT`` wrong tries per window, so case numbers (which run in sequence) cannot be
    tried one after another."""
    key = f"cases:lookup:{ip}"
    attempts = cache.get(key, 0)
    if attempts >= LOOKUP_LIMIT:
        return Lookup(None, True)
    number = (number or "").strip()
    qs = queryset if queryset is not None else Case.objects.select_related("organisation")
    case = qs.filter(number=number).first() if number else None
    if case is not None and matches_applicant(case, secret):
        return Lookup(case, False)
    cache.set(key, attempts + 1, LOOKUP_WINDOW)
    return Lookup(None, False)
