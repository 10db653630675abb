"""Every change is an event, in the same transaction; events are never edited, chained by hash,
verified by a command, and fold back into the stored case."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from bianmin.cases import events, services
from bianmin.cases.models import Case, CaseEvent

from .conftest import at, pledge, pledge_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(open_wang, clerk, officer, old_age):
    case = open_wang(lines=pledge_lines(old_age))
    services.accept(clerk, case, pledge=pledge(dt.date(2026, 3, 6)), now=at(2026, 3, 3, 10))
    services.claim(officer, case, now=at(2026, 3, 4))
    return Case.objects.get(pk=case.pk)


def test_each_event_says_who_in_which_role_when_from_where_before_and_after(case, clerk):
    accept = case.events.get(action="accept")
    assert accept.actor == clerk and accept.actor_role == "window_clerk"
    assert accept.channel == "window" and accept.at == at(2026, 3, 3, 10)
    assert accept.from_state == "received" and accept.to_state == "accepted"
    assert accept.before["state"] == "received" and accept.after["state"] == "accepted"
    assert accept.after["pledge_status"] == "open"


def test_the_events_rebuild_the_stored_case(case):
    assert events.differences(case, list(case.events.order_by("seq"))) == {}
    rebuilt = events.rebuild(case.events.order_by("seq"))
    assert rebuilt["state"] == "in_back_office" and rebuilt["number"] == case.number


def test_the_chain_verifies_and_the_command_reports_it(case, capsys):
    assert events.verify_case(case, list(case.events.order_by("seq"))) == []
    call_command("verify_events")
    assert "1 case(s) verified" in capsys.readouterr().out


def test_the_model_refuses_to_edit_or_delete_an_event(case):
    event = case.events.first()
    event.reason = "改写"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_the_database_refuses_to_edit_an_event(case):
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(case=case).update(reason="改写")
    assert not CaseEvent.objects.filter(reason="改写").exists()


def _without_the_trigger(sql: str, params):
    """Tamper as an attacker with database access would: around the trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = origin")
        else:
            cursor.execute("DROP TRIGGER cases_event_no_update")
            cursor.execute(sql, params)
            cursor.execute(
                "CREATE TRIGGER cases_event_no_update BEFORE UPDATE ON cases_caseevent "
                "BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END"
            )


def test_a_tampered_event_breaks_the_chain_and_the_command_fails(case):
    accept = case.events.get(action="accept")
    _without_the_trigger(
        "UPDATE cases_caseevent SET reason = %s WHERE id = %s", ["补签", accept.pk]
    )
    problems = events.verify_case(case, list(case.events.order_by("seq")))
    assert any(p.seq == accept.seq and "hash" in p.what for p in problems)
    with pytest.raises(CommandError):
        call_command("verify_events")


def test_a_case_edited_behind_the_events_back_differs_from_its_rebuild(case):
    Case.objects.filter(pk=case.pk).update(due_at=at(2026, 12, 31))
    case.refresh_from_db()
    problems = events.verify_case(case, list(case.events.order_by("seq")))
    assert any("due_at" in p.what for p in problems)


def test_a_deleted_last_event_shows(case):
    last = case.events.order_by("-seq").first()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute("DELETE FROM cases_caseevent WHERE id = %s", [last.pk])
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")
    problems = events.verify_case(case, list(case.events.order_by("seq")))
    assert problems


def test_a_refused_change_writes_no_event(case, clerk):
    count = case.event_count
    with pytest.raises(ValidationError):
        services.reject(clerk, case, reason="x", legal_basis="y", now=at(2026, 3, 5))
    case.refresh_from_db()
    assert case.event_count == count == case.events.count()


def _rewrite_chain(case, reason: str, hash_of) -> None:
    """Tamper as an attacker who can write rows: change the acceptance's reason, then recompute
    every hash of the chain with ``hash_of`` and store the new head on the case."""
    evs = list(case.events.order_by("seq"))
    head = ""
    for e in evs:
        if e.action == "accept":
            e.reason = reason
        e.prev_hash = head
        e.hash = head = hash_of(case.number, e)
        _without_the_trigger(
            "UPDATE cases_caseevent SET reason = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [e.reason, e.prev_hash, e.hash, e.pk],
        )
    Case.objects.filter(pk=case.pk).update(event_head=head)
    case.refresh_from_db()


def _sha256(case_number, e):
    import hashlib

    content = events.canonical(events.event_content(case_number, e))
    return hashlib.sha256(e.prev_hash.encode() + content).hexdigest()


def test_a_chain_recomputed_without_the_key_is_detected(case):
    _rewrite_chain(case, "补签", _sha256)
    problems = events.verify_case(case, list(case.events.order_by("seq")))
    assert any("content does not match its hash" in p.what for p in problems)
    with pytest.raises(CommandError):
        call_command("verify_events")


def test_a_chain_recomputed_with_another_key_is_detected(case, settings):
    platform_key = settings.BIANMIN_LOOKUP_KEY
    settings.BIANMIN_LOOKUP_KEY = "ff" * 32  # the attacker's guess
    _rewrite_chain(case, "补签", events.event_hash)
    settings.BIANMIN_LOOKUP_KEY = platform_key
    problems = events.verify_case(case, list(case.events.order_by("seq")))
    assert any("content does not match its hash" in p.what for p in problems)


def test_the_chain_is_keyed_with_hmac_sm3(case):
    from cryptography.hazmat.primitives import hashes, hmac
    from django.conf import settings

    first = case.events.order_by("seq").first()
    mac = hmac.HMAC(bytes.fromhex(settings.BIANMIN_LOOKUP_KEY), hashes.SM3())
    content = events.canonical(events.event_content(case.number, first)).decode()
    mac.update(f"case-event\x00{first.prev_hash}{content}".encode())
    assert first.hash == mac.finalize().hex() != _sha256(case.number, first)
