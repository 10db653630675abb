"""The event log of a case: recording, the hash chain, verification, and rebuilding a case.

Every change of a case goes through ``Recorder.change`` (called by ``services``): it sets the
fields on the case object, notes the fields' values before and after, and queues one event.
``Recorder.commit`` then chains the queued events (seq, prev_hash, hash), saves the case (insert
or update of the changed fields) and inserts the events — all inside the service's transaction.
The chain is keyed: each hash is HMAC-SM3 under the platform's lookup key (``BIANMIN_LOOKUP_KEY``,
through ``identity.services.keyed_digest``), so writing rows is not enough to forge it.

``rebuild(events)`` folds the events' ``after`` values into a dict of the case's fields;
``verify_case`` recomputes the chain and compares the rebuilt fields with the stored row.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

from bianmin.common import rows
from bianmin.identity.services import keyed_digest

from .models import Case, CaseEvent

CHAIN_FIELDS = ("id", "event_count", "event_head")


def tracked_fields() -> list[models.Field]:
    """The case's fields that events carry (all but the id and the chain's own bookkeeping)."""
    return [f for f in Case._meta.concrete_fields if f.name not in CHAIN_FIELDS]


TRACKED = {f.name: f for f in tracked_fields()}


#: Values that are their own JSON form (checked by exact type: the common case, first).
_AS_IS = frozenset({str, int, bool, type(None), float, dict, list})


def to_json(value):
    """One canonical JSON form per value, so that a value read back hashes the same."""
    if type(value) in _AS_IS:
        return value
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


#: Each tracked field's attribute (``center_id`` for ``center``).
ATTNAMES = {name: f.attname for name, f in TRACKED.items()}


def field_value(case: Case, name: str):
    return to_json(getattr(case, ATTNAMES[name]))


def snapshot(case: Case) -> dict:
    return {name: to_json(getattr(case, attname)) for name, attname in ATTNAMES.items()}


def canonical(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def event_content(case_number: str, e: CaseEvent) -> dict:
    return {
        "case": case_number,
        "seq": e.seq,
        "action": e.action,
        "from": e.from_state,
        "to": e.to_state,
        "actor": e.actor_id,
        "role": e.actor_role,
        "channel": e.channel,
        "at": to_json(e.at),
        "reason": e.reason,
        "before": e.before,
        "after": e.after,
        "data": e.data,
    }


def event_hash(case_number: str, e: CaseEvent) -> str:
    """HMAC-SM3, under the platform's lookup key, of the previous hash and the canonical event:
    someone who can write rows but lacks the key cannot forge a chain that verifies."""
    return keyed_digest(
        "case-event", e.prev_hash + canonical(event_content(case_number, e)).decode()
    )


@dataclass
class Recorder:
    """The events of one service call, queued until ``commit``."""

    case: Case
    pending: list[CaseEvent] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)

    def change(
        self,
        *,
        action: str,
        from_state: str,
        to_state: str,
        actor,
        role: str,
        channel: str,
        at: dt.datetime,
        reason: str = "",
        values: dict | None = None,
        data: dict | None = None,
        initial: bool = False,
    ) -> CaseEvent:
        case = self.case
        values = dict(values or {})
        values["state"] = to_state
        before: dict = {}
        after: dict = {}
        for name, value in values.items():
            if name not in TRACKED:
                raise KeyError(f"not a tracked case field: {name}")
            old = field_value(case, name)
            f = TRACKED[name]
            if f.is_relation and (value is None or isinstance(value, models.Model)):
                setattr(case, name, value)
            else:
                setattr(case, f.attname, value)
            new = field_value(case, name)
            if initial or old != new:
                if not initial:
                    before[name] = old
                after[name] = new
                self.changed.add(TRACKED[name].attname)
        if initial:
            after = snapshot(case)
        event = rows.new(
            CaseEvent,
            action=action,
            from_state=from_state,
            to_state=to_state,
            actor=actor,
            actor_name=(str(actor) if actor is not None else "")[:60],
            actor_role=role,
            channel=channel,
            at=at,
            reason=(reason or "")[:500],
            before=before,
            after=after,
            data=data or {},
        )
        self.pending.append(event)
        return event

    def commit(self, *, insert: bool = False) -> list[CaseEvent]:
        case = self.case
        head, count = case.event_head, case.event_count
        for event in self.pending:
            count += 1
            event.seq = count
            event.prev_hash = head
            event.hash = head = event_hash(case.number, event)
        case.event_head, case.event_count = head, count
        if insert:
            insert_rows([case])
        elif self.pending:
            case.save(update_fields=sorted(self.changed | {"event_head", "event_count"}))
        for event in self.pending:
            event.case = case
        insert_rows(self.pending)
        done, self.pending, self.changed = self.pending, [], set()
        return done


def insert_rows(objs: list[models.Model]) -> None:
    """``INSERT … RETURNING id`` of the new case or its events in one statement, prepared by
    PostgreSQL after a few runs (``bianmin.common.rows``); sets each object's pk."""
    rows.insert(objs)


# --- Rebuilding and verifying ------------------------------------------------------------------


def rebuild(events: Iterable[CaseEvent]) -> dict:
    """The case's tracked fields as its events leave them."""
    state: dict = {}
    for e in events:
        state.update(e.after)
    return state


def differences(case: Case, events: list[CaseEvent]) -> dict[str, tuple]:
    """Fields where the stored case and the rebuilt one differ: {name: (stored, rebuilt)}."""
    rebuilt = rebuild(events)
    stored = snapshot(case)
    return {
        name: (stored.get(name), rebuilt.get(name))
        for name in sorted(set(stored) | set(rebuilt))
        if _normal(stored.get(name)) != _normal(rebuilt.get(name))
    }


def _normal(value):
    # JSON read back from the database may order keys differently; compare canonical forms.
    if isinstance(value, dict | list):
        return canonical(value)
    return value


@dataclass
class Problem:
    case: str
    seq: int | None
    what: str

    def __str__(self) -> str:
        where = f"{self.case}#{self.seq}" if self.seq is not None else self.case
        return f"{where}: {self.what}"


def verify_case(case: Case, events: list[CaseEvent]) -> list[Problem]:
    """Recompute the chain of ``case`` and rebuild it; every discrepancy is a ``Problem``."""
    problems: list[Problem] = []
    head = ""
    for expected_seq, e in enumerate(events, start=1):
        if e.seq != expected_seq:
            problems.append(Problem(case.number, e.seq, f"sequence gap: expected {expected_seq}"))
        if e.prev_hash != head:
            problems.append(Problem(case.number, e.seq, "previous hash does not match"))
        if event_hash(case.number, e) != e.hash:
            problems.append(Problem(case.number, e.seq, "content does not match its hash"))
        head = e.hash
    if case.event_count != len(events):
        problems.append(
            Problem(case.number, None, f"case says {case.event_count} events, found {len(events)}")
        )
    if case.event_head != head:
        problems.append(Problem(case.number, None, "last event hash differs from the case's"))
    for name, (stored, rebuilt) in differences(case, events).items():
        problems.append(
            Problem(case.number, None, f"{name}: stored {stored!r}, events say {rebuilt!r}")
        )
    return problems


def verify_all(*, batch: int = 500, progress=None) -> tuple[int, list[Problem]]:
    """Verify every case, ``batch`` at a time. Returns (cases checked, problems)."""
    problems: list[Problem] = []
    checked = 0
    total = Case.objects.count()
    last_pk = 0
    while True:
        cases = list(Case.objects.filter(pk__gt=last_pk).order_by("pk")[:batch])
        if not cases:
            break
        by_case: dict[int, list[CaseEvent]] = {c.pk: [] for c in cases}
        for e in CaseEvent.objects.filter(case_id__in=list(by_case)).order_by("case_id", "seq"):
            by_case[e.case_id].append(e)
        for case in cases:
            problems.extend(verify_case(case, by_case[case.pk]))
        checked += len(cases)
        last_pk = cases[-1].pk
        if progress:
            progress(checked, total)
    return checked, problems
