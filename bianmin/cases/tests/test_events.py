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
