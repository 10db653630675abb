"""The case lifecycle, declared once: (state, action) → next state, allowed roles, guard, event.

Everything else reads this table: ``services.perform`` refuses any change that is not in it,
the pages and the API offer only the actions it allows, ``docs/cases.md`` draws its diagram from
it (``bianmin cases_diagram``), and the hypothesis test walks it.

Roles are groups of users, each checked through ``identity.permissions``:

- ``clerk``: window clerks and managers of the case's center (``SERVE_AT_WINDOW``);
- ``officer``: back-office officers of the case's department (``DECIDE_CASE``);
- ``manager``: the center's manager, who approves extensions (``MANAGE_CENTER``);
- ``applicant``: the citizen whose case it is (online);
- ``system``: the timers (deemed acceptance, warnings, pledges), no user.

A guard is a precondition on the case and the clock, not on the input: input is validated by the
service. A guard raises ``Refused`` with a Chinese message naming what is wrong.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy


class State(models.TextChoices):
    RECEIVED = "received", gettext_lazy("Received")
    NOTICE_ISSUED = "notice_issued", gettext_lazy("Waiting for the applicant's correction")
    ACCEPTED = "accepted", gettext_lazy("Accepted")
    REJECTED = "rejected", gettext_lazy("Not accepted")
    IN_BACK_OFFICE = "in_back_office", gettext_lazy("In the back office")
    RETURNED = "returned", gettext_lazy("Returned to intake")
    FORWARDED = "forwarded", gettext_lazy("Forwarded to county level")
    SUSPENDED = "suspended", gettext_lazy("Suspended")
    APPROVED = "approved", pgettext_lazy("case state", "Approved")
    DENIED = "denied", gettext_lazy("Denied")
    RESULT_READY = "result_ready", gettext_lazy("Result ready")
    IN_DELIVERY = "in_delivery", gettext_lazy("Sent by post")
    HANDED_OUT = "handed_out", gettext_lazy("Handed out")
    CLOSED = "closed", gettext_lazy("Closed")
    WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")
    TERMINATED = "terminated", gettext_lazy("Terminated")


NEW = ""  # the state before the first event
S = State
FINAL_STATES = frozenset({S.REJECTED, S.CLOSED, S.WITHDRAWN, S.TERMINATED})
# The promised time limit runs in these states; a suspension pauses it; a decision stops it.
CLOCK_STATES = frozenset({S.ACCEPTED, S.IN_BACK_OFFICE, S.RETURNED, S.FORWARDED})
INTAKE_STATES = frozenset({S.RECEIVED, S.NOTICE_ISSUED})
RESUME = "<previous>"  # resume returns to the state the case was suspended in


class Role:
    CLERK = "clerk"
    OFFICER = "officer"
    MANAGER = "manager"
    APPLICANT = "applicant"
    SYSTEM = "system"


ROLE_LABELS = {
    Role.CLERK: gettext_lazy("window clerk"),
    Role.OFFICER: gettext_lazy("back-office officer"),
    Role.MANAGER: gettext_lazy("center manager"),
    Role.APPLICANT: gettext_lazy("applicant"),
    Role.SYSTEM: gettext_lazy("system"),
}


class Act(models.TextChoices):
    OPEN = "open", gettext_lazy("Receive the application")
    UPDATE_CHECKLIST = "update_checklist", gettext_lazy("Check the materials")
    AMEND = "amend", gettext_lazy("Record a change to the application")
    ISSUE_NOTICE = "issue_notice", gettext_lazy("Issue the one-time notice")
    RECORD_CORRECTION = "record_correction", gettext_lazy("Record the correction")
    ACCEPT = "accept", gettext_lazy("Accept")
    REJECT = "reject", gettext_lazy("Do not accept")
    DEEM_ACCEPTED = "deem_accepted", gettext_lazy("Deemed accepted (5 working days passed)")
    WARN_INTAKE = "warn_intake", gettext_lazy("Warn: the 5-day notice limit is near")
    CLAIM = "claim", gettext_lazy("Claim")
    RELEASE = "release", gettext_lazy("Give back to the department's queue")
    COMPLETE_STEP = "complete_step", gettext_lazy("Complete the step")
    RETURN_TO_INTAKE = "return_to_intake", gettext_lazy("Return to intake")
    RESUBMIT = "resubmit", gettext_lazy("Send back to the back office")
    FORWARD = "forward", gettext_lazy("Forward to county level")
    COUNTY_APPROVE = "county_approve", gettext_lazy("Record the county's approval")
    COUNTY_DENY = "county_deny", gettext_lazy("Record the county's denial")
    APPROVE = "approve", pgettext_lazy("case action", "Approve")
    DENY = "deny", gettext_lazy("Deny")
    PREPARE_RESULT = "prepare_result", gettext_lazy("Result ready for hand-out")
    HAND_OUT = "hand_out", gettext_lazy("Hand out at the window")
    SEND_BY_POST = "send_by_post", gettext_lazy("Send by post (free)")
    CONFIRM_DELIVERY = "confirm_delivery", gettext_lazy("Delivered")
    DELIVERY_RETURNED = "delivery_returned", gettext_lazy("Returned by the post")
    CLOSE = "close", gettext_lazy("Close")
    SUSPEND = "suspend", gettext_lazy("Suspend")
    PLEDGE_OVERDUE = "pledge_overdue", gettext_lazy("Suspend: pledged material overdue")
    RESUME = "resume", gettext_lazy("Resume")
    TERMINATE = "terminate", gettext_lazy("Terminate")
    WITHDRAW = "withdraw", pgettext_lazy("case action", "Withdraw")
    REQUEST_EXTENSION = "request_extension", gettext_lazy("Request an extension")
    APPROVE_EXTENSION = "approve_extension", gettext_lazy("Approve the extension")
    REFUSE_EXTENSION = "refuse_extension", gettext_lazy("Refuse the extension")
    SUPPLY_DEFERRED = "supply_deferred", gettext_lazy("Deferred material supplied")
    REMIND_PLEDGE = "remind_pledge", gettext_lazy("Remind of the pledge")
    WARN_DEADLINE = "warn_deadline", gettext_lazy("Yellow warning")
    MARK_OVERDUE = "mark_overdue", gettext_lazy("Overdue")
    ATTACH_FILE = "attach_file", gettext_lazy("File a material")


class Refused(ValidationError):
    """A change the table or a guard does not allow; ``field`` names what is wrong."""

    def __init__(self, message: str, field: str = "__all__"):
        super().__init__({field: [message]})
        self.field = field
        self.text = message


@dataclass
class Context:
    """What a guard may look at besides the case: who acts, as which roles, and when."""

    actor: object | None
    roles: frozenset[str]
    now: dt.datetime

    @property
    def today(self) -> dt.date:
        return timezone.localtime(self.now).date()


Guard = Callable[[object, Context], None]


@dataclass(frozen=True)
class Transition:
    state: str
    action: str
    next: str
    roles: frozenset[str]
    guard: Guard | None = None
    event: str = ""

    @property
    def event_kind(self) -> str:
        return self.event or self.action

    @property
    def is_loop(self) -> bool:
        return self.next == self.state


# --- Guards ------------------------------------------------------------------------------------
# Each one's first docstring line is shown in docs/cases.md.


def _lines(case, *statuses: str) -> list[dict]:
    return [line for line in case.checklist if line.get("status") in statuses]


def has_problems(case, ctx: Context) -> None:
    """Some material is missing or defective, each with a reason; a later notice adds no new
    material unless the application changed."""
    from .models import OneTimeNotice

    problems = _lines(case, "missing", "defective")
    if not problems:
        raise Refused(_("Materials: nothing is missing or defective, so there is nothing to tell."))
    without_reason = [line["name"] for line in problems if not (line.get("reason") or "").strip()]
    if without_reason:
        raise Refused(
            _("Materials: give the reason for “%(name)s”.") % {"name": without_reason[0]},
            "checklist",
        )
    earlier = list(OneTimeNotice.objects.filter(case=case).order_by("number"))
    if not earlier:
        return
    if case.amendments > earlier[-1].amendments_at_issue:
        return  # the applicant changed the application: a new notice may name new materials
    told: set[int] = set().union(*(n.material_ids for n in earlier))
    new = [line["name"] for line in problems if int(line["material"]) not in told]
    if new:
        raise Refused(
            _(
                "One-time notice: “%(name)s” was not in the first notice. Everything to be "
                "corrected must be told at once; a later notice may name a new material only "
                "after the applicant changed the application."
            )
            % {"name": new[0]},
            "checklist",
        )


def materials_in_order(case, ctx: Context) -> None:
    """Nothing missing or defective; deferred materials only where the guide allows them."""
    problems = _lines(case, "missing", "defective")
    if problems:
        raise Refused(
            _("Materials: “%(name)s” is missing or defective; issue the one-time notice instead.")
            % {"name": problems[0]["name"]},
            "checklist",
        )
    if not case.item.is_forwarded and case.department_id is None:
        raise Refused(
            _(
                "Department: no back-office department of %(domain)s serves this center; "
                "ask the administrator to add it."
            )
            % {"domain": case.item.domain.name}
        )


def intake_limit_passed(case, ctx: Context) -> None:
    """The 5 working days to tell the applicant have passed (行政许可法 第三十二条)."""
    if ctx.today <= case.intake_deadline:
        raise Refused(_("The 5 working days for the one-time notice have not passed yet."))


def intake_limit_near(case, ctx: Context) -> None:
    """Not warned yet, and the last of the 5 working days has come."""
    from bianmin.workdays.services import add_working_days

    if case.intake_warned:
        raise Refused(_("Already warned."))
    if ctx.today < add_working_days(case.intake_deadline, -1).date:
        raise Refused(_("The notice limit is not near yet."))


def claimed_by_actor(case, ctx: Context) -> None:
    """The officer acting is the one who claimed the case."""
    if Role.SYSTEM in ctx.roles:
        return
    if case.officer_id is None or ctx.actor is None or case.officer_id != ctx.actor.pk:
        raise Refused(_("Claim the case first: another officer holds it, or nobody does."))


def claimed_by_actor_or_manager(case, ctx: Context) -> None:
    """The officer who holds the case gives it back, or the center's manager takes it from an
    officer who is away: the department's queue must not wait for one person."""
    if Role.MANAGER in ctx.roles:
        return
    claimed_by_actor(case, ctx)


def not_decided(case, ctx: Context) -> None:
    """Only an application not yet decided can be withdrawn (a decided case suspended for its
    pledge keeps its decision)."""
    if case.decision:
        raise Refused(_("Decision: the case has been decided; it can no longer be withdrawn."))


def steps_remaining(case, ctx: Context) -> None:
    """The officer holds the case and a step of the guide is left before the decision."""
    claimed_by_actor(case, ctx)
    from .steps import back_office_steps

    if case.steps_done >= max(len(back_office_steps(case.guide)) - 1, 0):
        raise Refused(_("No step is left before the decision."))


def steps_done(case, ctx: Context) -> None:
    """The officer holds the case and every step of the guide before the decision is done."""
    claimed_by_actor(case, ctx)
    from .steps import back_office_steps

    steps = back_office_steps(case.guide)
    needed = max(len(steps) - 1, 0)
    if case.steps_done < needed:
        raise Refused(
            _("Steps: complete “%(step)s” first; the guide's steps go in order.")
            % {"step": steps[case.steps_done].name}
        )


def item_is_forwarded(case, ctx: Context) -> None:
    """A county item handled here (转报), or an officer holding the case sends it up."""
    if (
        Role.OFFICER in ctx.roles
        and case.officer_id
        and ctx.actor
        and case.officer_id == ctx.actor.pk
    ):
        return
    if not case.item.is_forwarded:
        raise Refused(
            _("Forwarding: %(item)s is decided here, not at county level.") % {"item": case.item}
        )


def extension_possible(case, ctx: Context) -> None:
    """No extension yet, and the time limit has not run out."""
    if case.extension_status in ("requested", "approved"):
        raise Refused(_("Extension: the case already has one; the law allows one extension."))
    if case.due_at is None or ctx.now > case.due_at:
        raise Refused(_("Extension: it must be asked for before the time limit runs out."))


def extension_pending(case, ctx: Context) -> None:
    """An extension is waiting for the leader's approval."""
    if case.extension_status != "requested":
        raise Refused(_("Extension: no request is waiting for approval."))


def pledge_open(case, ctx: Context) -> None:
    """A pledge is open (or overdue) with a material still to bring."""
    if case.pledge_status not in ("open", "overdue"):
        raise Refused(_("Pledge: this case has no open pledge."))


def pledge_settled(case, ctx: Context) -> None:
    """No pledge is still open: the deferred material comes before the result is handed out."""
    if case.pledge_status not in ("open", "overdue"):
        return
    missing = [
        line.get("name") or str(line["material"])
        for line in case.checklist
        if line["material"] in (case.pledge_materials or []) and line["status"] == "deferred"
    ]
    raise Refused(
        _(
            "Pledge: the pledge signed by %(signer)s (due %(due)s) is still open; the deferred "
            "material %(materials)s must be supplied before the result is handed out or the case "
            "is closed."
        )
        % {
            "signer": case.pledge_signer or "-",
            "due": case.pledge_due,
            "materials": "、".join(missing) or "-",
        }
    )


def pledge_reminder_due(case, ctx: Context) -> None:
    """The pledge is open, not reminded yet, and its date is one working day away or less."""
    from bianmin.workdays.services import add_working_days

    if case.pledge_status != "open" or case.pledge_reminded:
        raise Refused(_("Pledge: nothing to remind of."))
    if ctx.today < add_working_days(case.pledge_due, -1).date:
        raise Refused(_("Pledge: the date is not near yet."))


def pledge_date_passed(case, ctx: Context) -> None:
    """The pledged date has passed and a material is still missing."""
    if case.pledge_status != "open" or ctx.today <= case.pledge_due:
        raise Refused(_("Pledge: the pledged date has not passed."))


def may_resume(case, ctx: Context) -> None:
    """A case suspended for a broken pledge resumes only once the material arrived."""
    if case.pledge_status == "overdue":
        raise Refused(_("Pledge: the deferred material has not arrived yet."))


def may_terminate(case, ctx: Context) -> None:
    """The system terminates only after the item's grace period for a broken pledge."""
    if Role.SYSTEM not in ctx.roles or ctx.actor is not None:
        return
    from .deadlines import pledge_termination_day

    day = pledge_termination_day(case)
    if day is None or ctx.today <= day:
        raise Refused(_("Pledge: the grace period has not passed."))


def warning_due(case, ctx: Context) -> None:
    """80 % of the time limit is used and nobody was warned yet."""
    if case.yellow_warned or case.warn_at is None or ctx.now < case.warn_at:
        raise Refused(_("No warning is due."))


def overdue_now(case, ctx: Context) -> None:
    """The time limit has run out and the case is not marked yet."""
    if case.overdue_marked or case.due_at is None or ctx.now <= case.due_at:
        raise Refused(_("The case is not overdue."))


def open_delivery(case, ctx: Context) -> None:
    """A delivery is on its way."""
    if not case.deliveries.filter(status="sent").exists():
        raise Refused(_("Delivery: nothing is on its way."))


# --- The table ---------------------------------------------------------------------------------

CL, OF, MG, AP, SY = Role.CLERK, Role.OFFICER, Role.MANAGER, Role.APPLICANT, Role.SYSTEM


def _t(state, action, nxt, roles, guard=None, event=""):
    return Transition(state, action, nxt, frozenset(roles), guard, event)


RUNNING = (S.ACCEPTED, S.IN_BACK_OFFICE, S.RETURNED, S.FORWARDED)
BEFORE_DECISION = (S.RECEIVED, S.NOTICE_ISSUED, *RUNNING, S.SUSPENDED)
# A pledge may be fulfilled in these; IN_DELIVERY and HANDED_OUT only for cases that left before
# hand-out waited for the pledge (the guard keeps new ones from getting there with it open).
AFTER_ACCEPTANCE = (
    *RUNNING,
    S.SUSPENDED,
    S.APPROVED,
    S.DENIED,
    S.RESULT_READY,
    S.IN_DELIVERY,
    S.HANDED_OUT,
)
# A granted result waits at the window for the pledged material: the reminder and the breach of
# the pledge apply here too (a denial releases the pledge: nothing is handed out for it).
PLEDGE_KEPT_OPEN = (*RUNNING, S.APPROVED, S.RESULT_READY)

TABLE: tuple[Transition, ...] = (
    # Intake: 收件, checklist, 一次性告知, 受理 / 不予受理, 视为受理
    _t(NEW, Act.OPEN, S.RECEIVED, {CL, AP}),
    *(_t(s, Act.UPDATE_CHECKLIST, s, {CL}) for s in (S.RECEIVED, S.NOTICE_ISSUED)),
    *(_t(s, Act.AMEND, s, {CL, AP}) for s in (S.RECEIVED, S.NOTICE_ISSUED)),
    _t(S.RECEIVED, Act.ISSUE_NOTICE, S.NOTICE_ISSUED, {CL}, has_problems),
    _t(S.NOTICE_ISSUED, Act.ISSUE_NOTICE, S.NOTICE_ISSUED, {CL}, has_problems),
    _t(S.NOTICE_ISSUED, Act.RECORD_CORRECTION, S.RECEIVED, {CL, AP}),
    _t(S.RECEIVED, Act.ACCEPT, S.ACCEPTED, {CL}, materials_in_order),
    _t(S.RECEIVED, Act.REJECT, S.REJECTED, {CL}),
    _t(S.NOTICE_ISSUED, Act.REJECT, S.REJECTED, {CL}),
    _t(S.RECEIVED, Act.WARN_INTAKE, S.RECEIVED, {SY}, intake_limit_near),
    _t(S.RECEIVED, Act.DEEM_ACCEPTED, S.ACCEPTED, {SY}, intake_limit_passed),
    # Back office: 后台分类审批, in the guide's steps; 退回; 转报
    _t(S.ACCEPTED, Act.CLAIM, S.IN_BACK_OFFICE, {OF}),
    _t(S.IN_BACK_OFFICE, Act.RELEASE, S.ACCEPTED, {OF, MG}, claimed_by_actor_or_manager),
    _t(S.IN_BACK_OFFICE, Act.COMPLETE_STEP, S.IN_BACK_OFFICE, {OF}, steps_remaining),
    _t(S.IN_BACK_OFFICE, Act.RETURN_TO_INTAKE, S.RETURNED, {OF}, claimed_by_actor),
    _t(S.RETURNED, Act.RESUBMIT, S.ACCEPTED, {CL}),
    _t(S.ACCEPTED, Act.FORWARD, S.FORWARDED, {CL}, item_is_forwarded),
    _t(S.IN_BACK_OFFICE, Act.FORWARD, S.FORWARDED, {OF}, item_is_forwarded),
    _t(S.FORWARDED, Act.COUNTY_APPROVE, S.APPROVED, {CL, OF}),
    _t(S.FORWARDED, Act.COUNTY_DENY, S.DENIED, {CL, OF}),
    _t(S.IN_BACK_OFFICE, Act.APPROVE, S.APPROVED, {OF}, steps_done),
    _t(S.IN_BACK_OFFICE, Act.DENY, S.DENIED, {OF}, steps_done),
    # Result and hand-out: 综合窗口出件, 免费寄递
    _t(S.APPROVED, Act.PREPARE_RESULT, S.RESULT_READY, {OF, CL}),
    _t(S.DENIED, Act.PREPARE_RESULT, S.RESULT_READY, {OF, CL}),
    _t(S.RESULT_READY, Act.HAND_OUT, S.HANDED_OUT, {CL}, pledge_settled),
    _t(S.RESULT_READY, Act.SEND_BY_POST, S.IN_DELIVERY, {CL}, pledge_settled),
    _t(S.IN_DELIVERY, Act.CONFIRM_DELIVERY, S.HANDED_OUT, {CL, SY}, open_delivery),
    _t(S.IN_DELIVERY, Act.DELIVERY_RETURNED, S.RESULT_READY, {CL, SY}, open_delivery),
    _t(S.HANDED_OUT, Act.CLOSE, S.CLOSED, {CL, SY}, pledge_settled),
    # Suspension, resumption, termination, withdrawal
    *(_t(s, Act.SUSPEND, S.SUSPENDED, {CL, OF}) for s in RUNNING),
    *(_t(s, Act.PLEDGE_OVERDUE, S.SUSPENDED, {SY}, pledge_date_passed) for s in PLEDGE_KEPT_OPEN),
    _t(S.SUSPENDED, Act.RESUME, RESUME, {CL, OF, SY}, may_resume),
    _t(S.SUSPENDED, Act.TERMINATE, S.TERMINATED, {OF, SY}, may_terminate),
    _t(S.IN_BACK_OFFICE, Act.TERMINATE, S.TERMINATED, {OF}, claimed_by_actor),
    *(_t(s, Act.WITHDRAW, S.WITHDRAWN, {CL, AP}, not_decided) for s in BEFORE_DECISION),
    # Time: 延期 with the leader's approval, warnings, overdue marks
    *(_t(s, Act.REQUEST_EXTENSION, s, {CL, OF}, extension_possible) for s in RUNNING),
    *(_t(s, Act.APPROVE_EXTENSION, s, {MG}, extension_pending) for s in RUNNING),
    *(_t(s, Act.REFUSE_EXTENSION, s, {MG}, extension_pending) for s in RUNNING),
    *(_t(s, Act.WARN_DEADLINE, s, {SY}, warning_due) for s in RUNNING),
    *(_t(s, Act.MARK_OVERDUE, s, {SY}, overdue_now) for s in RUNNING),
    # Pledges (容缺受理): the material arrives (any time after acceptance until the result is
    # handed out; hand-out, posting and closing wait for it), or the reminder goes out
    *(_t(s, Act.SUPPLY_DEFERRED, s, {CL, AP}, pledge_open) for s in AFTER_ACCEPTANCE),
    *(_t(s, Act.REMIND_PLEDGE, s, {SY}, pledge_reminder_due) for s in PLEDGE_KEPT_OPEN),
    # Materials on file
    *(
        _t(s, Act.ATTACH_FILE, s, {CL, OF, AP})
        for s in (*BEFORE_DECISION, S.APPROVED, S.DENIED, S.RESULT_READY)
    ),
)

_INDEX: dict[tuple[str, str], Transition] = {}
for _tr in TABLE:
    assert (_tr.state, _tr.action) not in _INDEX, f"declared twice: {_tr.state} {_tr.action}"
    _INDEX[(_tr.state, _tr.action)] = _tr
SUSPENDABLE = frozenset(t.state for t in TABLE if t.next == S.SUSPENDED and t.state != S.SUSPENDED)


def transition(state: str, action: str) -> Transition:
    """The transition for ``action`` in ``state``; ``Refused`` when the table has none."""
    found = _INDEX.get((state, action))
    if found is None:
        label = dict(Act.choices).get(action, action)
        state_label = dict(State.choices).get(state, state) if state else _("new")
        raise Refused(
            _("A case that is “%(state)s” cannot be “%(action)s”.")
            % {"state": state_label, "action": label},
            "state",
        )
    return found


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TABLE if t.state == state]


def next_state(t: Transition, case) -> str:
    return case.state_before_suspension if t.next == RESUME else t.next


def guard_text(guard: Guard | None) -> str:
    if guard is None:
        return ""
    return " ".join((guard.__doc__ or guard.__name__).split("\n\n")[0].split())


# --- The diagram and the table for the docs ---------------------------------------------------


def mermaid() -> str:
    """A Mermaid state diagram of the table (self-loops listed per state as notes)."""
    with translation.override("en"):
        return _mermaid()


def _mermaid() -> str:
    lines = ["stateDiagram-v2"]
    for s in State:
        lines.append(f"    {s.value} : {s.value} · {s.label}")
    edges: list[str] = []
    loops: dict[str, list[str]] = {}
    for t in TABLE:
        if t.is_loop:
            loops.setdefault(t.state, [])
            if t.action not in loops[t.state]:
                loops[t.state].append(t.action)
            continue
        src = "[*]" if t.state == NEW else t.state
        targets = sorted(SUSPENDABLE) if t.next == RESUME else [t.next]
        for target in targets:
            edges.append(f"    {src} --> {target} : {t.action}")
    lines.extend(edges)
    for s in sorted(FINAL_STATES):
        lines.append(f"    {s} --> [*]")
    for state, actions in loops.items():
        lines.append(f"    note right of {state} : {', '.join(actions)}")
    return "\n".join(lines)


def markdown_table() -> str:
    rows = ["| state | action | next | roles | guard |", "|---|---|---|---|---|"]
    for t in TABLE:
        nxt = "(the state before suspension)" if t.next == RESUME else t.next
        rows.append(
            f"| {t.state or '(new)'} | {t.action} | {nxt} | {', '.join(sorted(t.roles))} "
            f"| {guard_text(t.guard)} |"
        )
    return "\n".join(rows)


def reachable() -> set[str]:
    seen = {NEW}
    frontier = [NEW]
    while frontier:
        state = frontier.pop()
        for t in transitions_from(state):
            targets = SUSPENDABLE if t.next == RESUME else {t.next}
            for target in targets:
                if target not in seen:
                    seen.add(target)
                    frontier.append(target)
    return seen - {NEW}
