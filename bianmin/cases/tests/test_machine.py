"""The one state machine: the table itself, the docs drawn from it, and a hypothesis walk that
drives random sequences of actions by every role through the services and checks the invariants."""

from __future__ import annotations

import datetime as dt
import itertools
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from bianmin.cases import docs, events, machine, scheduler, services
from bianmin.cases.machine import FINAL_STATES, NEW, TABLE, Act, State
from bianmin.cases.models import Case
from bianmin.cases.services import DeliveryIn, HandoutIn, LineIn, PledgeIn
from bianmin.identity.roles import Role

from .conftest import WANG, WANG_ID, all_provided, at, pledge_lines

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_every_state_is_reachable_from_receipt():
    assert machine.reachable() == set(State.values)


def test_final_states_have_no_way_out():
    for t in TABLE:
        assert t.state not in FINAL_STATES


def test_every_action_is_in_the_table_and_has_a_service():
    in_table = {t.action for t in TABLE}
    assert in_table == set(Act.values)
    for action in in_table - {Act.OPEN, Act.CLOSE}:
        assert action in services.PERFORMERS or action in services.TIMERS, action


def test_every_transition_names_roles_and_system_actions_are_the_timers():
    for t in TABLE:
        assert t.roles, t
        if t.roles == {machine.Role.SYSTEM}:
            assert t.action in services.TIMERS, t


def test_an_action_outside_the_table_is_refused_in_chinese():
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(machine.Refused) as e:
        machine.transition(State.RECEIVED, Act.APPROVE)
    assert "已收件" in e.value.text and "准予" in e.value.text


def test_the_docs_draw_the_diagram_from_the_table():
    text = docs.DOC_PATH.read_text(encoding="utf-8")
    assert docs.current_part(text) == docs.render_generated(), (
        "docs/cases.md is out of date: run `bianmin cases_diagram --write`"
    )
    for t in TABLE:
        if not t.is_loop and t.state != NEW and t.next != machine.RESUME:
            assert f"{t.state} --> {t.next} : {t.action}" in text


# --- The hypothesis walk -------------------------------------------------------------------------

ACTORS = ("clerk", "officer", "manager", "other_clerk", "system")
ACTIONS = sorted(set(Act.values) - {Act.OPEN})
_tracking = itertools.count(1)


def params_for(action: str, case: Case, now: dt.datetime, data) -> dict:
    """Plausible input for ``action`` on ``case`` (sometimes wrong, drawn by hypothesis)."""
    ids = [line["material"] for line in case.checklist]
    if action in (Act.UPDATE_CHECKLIST, Act.RECORD_CORRECTION):
        status = data.draw(st.sampled_from(["provided", "missing", "defective"]))
        material = data.draw(st.sampled_from(ids))
        return {
            "lines": [
                LineIn(material, status, True, 1, reason="照片不清" if status != "provided" else "")
            ]
        }
    if action == Act.AMEND:
        return {"note": "申请人变更申请内容"}
    if action == Act.ACCEPT:
        deferred = any(line["status"] == "deferred" for line in case.checklist)
        days = data.draw(st.integers(1, 12))
        return {
            "pledge": PledgeIn(due=(now + dt.timedelta(days=days)).date(), signer="王大爷")
            if deferred
            else None
        }
    if action in (Act.REJECT, Act.DENY, Act.COUNTY_DENY):
        return {"reason": "不符合条件", "legal_basis": "《条例》第三条"}
    if action in (
        Act.WITHDRAW,
        Act.SUSPEND,
        Act.TERMINATE,
        Act.DELIVERY_RETURNED,
        Act.REFUSE_EXTENSION,
        Act.RELEASE,
    ):
        return {"reason": data.draw(st.sampled_from(["", "申请人要求"]))}
    if action == Act.RETURN_TO_INTAKE:
        return {"comment": "复印件缺页"}
    if action == Act.FORWARD:
        return {"authority": "金安区残疾人联合会"}
    if action == Act.REQUEST_EXTENSION:
        return {"days": data.draw(st.integers(0, 12)), "reason": "需实地核查"}
    if action == Act.HAND_OUT:
        return {
            "data": HandoutIn(id_number=data.draw(st.sampled_from([WANG_ID, "340102199001011234"])))
        }
    if action == Act.SEND_BY_POST:
        return {
            "data": DeliveryIn(
                recipient="王大爷",
                address="木厂镇",
                carrier="EMS",
                tracking_number=f"T{next(_tracking)}",
            )
        }
    if action == Act.SUPPLY_DEFERRED:
        return {"material": data.draw(st.sampled_from(ids))}
    if action == Act.ATTACH_FILE:
        return {
            "content": PNG + bytes([next(_tracking) % 256]),
            "name": "scan.png",
            "material": ids[0],
        }
    return {}


class CaseWalk(RuleBasedStateMachine):
    """One case per example, driven by random actions of random roles as time passes."""

    people: dict = {}
    item = None
    center = None

    @initialize(kind=st.sampled_from(["complete", "missing", "deferred"]))
    def receive(self, kind):
        item = self.item
        lines = {
            "complete": all_provided(item),
            "missing": all_provided(item, 户口簿=("missing", "未带")),
            "deferred": pledge_lines(item),
        }[kind]
        self.now = at(2026, 3, 2, 9)
        self.case = services.open_case(
            self.people["clerk"],
            center=self.center,
            item=item,
            applicant=WANG,
            checklist=lines,
            now=self.now,
        )
        self.final_snapshot = None

    @rule(action=st.sampled_from(ACTIONS), who=st.sampled_from(ACTORS), data=st.data())
    def act(self, action, who, data):
        case = Case.objects.get(pk=self.case.pk)
        before = events.snapshot(case)
        before_count = case.event_count
        actor = None if who == "system" else self.people[who]
        params = params_for(action, case, self.now, data)
        try:
            services.perform(actor, case, action, now=self.now, **params)
        except (ValidationError, PermissionDenied):
            after = Case.objects.get(pk=case.pk)
            assert events.snapshot(after) == before, "a refused action changed the case"
            assert after.event_count == before_count
            return
        after = Case.objects.get(pk=case.pk)
        new = list(after.events.filter(seq__gt=before_count).order_by("seq"))
        if actor is None and after.event_count == before_count:
            return  # a timer whose moment had not come: nothing happens, and that is allowed
        assert new, f"{action} changed nothing and wrote no event"
        assert new[0].from_state == case.state
        assert case.state not in FINAL_STATES, "a final case changed"

    @rule(days=st.integers(0, 6), hours=st.integers(0, 23))
    def time_passes(self, days, hours):
        self.now += dt.timedelta(days=days, hours=hours)
        for runner in scheduler.RUNNERS.values():  # the timers, on this example's case only
            runner(self.case.pk, now=self.now)

    @invariant()
    def holds(self):
        case = Case.objects.get(pk=self.case.pk)
        history = list(case.events.order_by("seq"))
        # No event missing: the chain is whole, every event is a row of the table, and the
        # events rebuild the stored case.
        assert events.verify_case(case, history) == []
        state = NEW
        for e in history:
            t = machine.transition(e.from_state, e.action)
            assert e.from_state == state, (e.seq, e.from_state, state)
            expected = (
                e.before.get("state_before_suspension") if t.next == machine.RESUME else t.next
            )
            assert e.to_state == expected, (e.seq, e.action, e.to_state, expected)
            state = e.to_state
        assert state == case.state
        # The due date is never before the start.
        if case.due_at is not None:
            assert case.due_at >= case.received_at
            assert case.due_at.date() >= case.clock_started_on
        # 容缺承诺: no result goes out, and no case closes, while a pledge is still open.
        if case.state in ("in_delivery", "handed_out", "closed") and case.pledge_materials:
            assert case.pledge_status not in ("open", "overdue"), (case.state, case.pledge_status)
        # A closed case never changes.
        if case.is_final:
            snap = events.snapshot(case)
            if self.final_snapshot is None:
                self.final_snapshot = snap
            assert snap == self.final_snapshot


@pytest.mark.django_db
def test_random_walks_keep_the_invariants(
    clerk, officer, manager, make_user, muchang, maotanchang, old_age
):
    CaseWalk.people = {
        "clerk": clerk,
        "officer": officer,
        "manager": manager,
        "other_clerk": make_user(Role.WINDOW_CLERK, center=maotanchang),
    }
    CaseWalk.item = old_age
    CaseWalk.center = muchang

    run_state_machine_as_test(
        CaseWalk,
        settings=settings(
            max_examples=int(os.environ.get("BIANMIN_HYPOTHESIS_EXAMPLES", "30")),
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
            database=None,
        ),
    )
