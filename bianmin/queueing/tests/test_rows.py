"""The hand-written SQL of the hot path (``bianmin.common.rows``) reads and writes what the ORM
would: the same rows, the same values, the same refusals — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from bianmin.common import rows
from bianmin.queueing import services
from bianmin.queueing.models import Channel, Desk, QueueEvent, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(opened, muchang, entered, manager):
    return services.issue_ticket(
        muchang, channel=Channel.CLERK, actor=manager, item=entered["pension"]
    )


def test_find_gives_the_row_the_orm_gives(ticket):
    found = rows.find(Ticket, {"center_id": ticket.center_id, "public_id": ticket.public_id})
    expected = Ticket.objects.get(pk=ticket.pk)
    for field in Ticket._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert isinstance(found.issued_at, dt.datetime) and found.issued_at.tzinfo is not None
    assert isinstance(found.day, dt.date)


def test_find_with_none_matches_an_empty_column_and_nothing_else(ticket):
    assert rows.find(Ticket, {"id": ticket.pk, "window_id": None}).pk == ticket.pk
    assert rows.find(Ticket, {"id": ticket.pk, "visit_id": 12345}) is None
    assert rows.find(Ticket, {"center_id": ticket.center_id, "idempotency_key": "nope"}) is None


def test_find_locks_and_orders_inside_a_transaction(windows):
    window = windows[3]
    Desk.objects.get_or_create(window=window)
    with transaction.atomic():
        desk = rows.find(Desk, {"window_id": window.pk}, for_update=True, order_by="id")
    assert desk.window_id == window.pk


def test_update_writes_the_named_fields_only(ticket, staff):
    ticket.status = Ticket.Status.HELD
    ticket.code = "Z999"  # changed in memory, not named: not written
    ticket.clerk = staff["张敏"]
    assert rows.update(ticket, ["clerk", "status"]) == 1
    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.status == "held" and stored.clerk_id == staff["张敏"].pk
    assert stored.code != "Z999"


def test_update_only_if_refuses_a_row_that_changed_meanwhile(ticket):
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CANCELLED)
    ticket.recall_count = 3
    assert rows.update(ticket, ["recall_count"], only_if={"status": "waiting"}) == 0
    assert Ticket.objects.get(pk=ticket.pk).recall_count == 0
    assert rows.update(ticket, ["recall_count"], only_if={"status": "cancelled"}) == 1
    assert Ticket.objects.get(pk=ticket.pk).recall_count == 3


def test_update_round_trips_dates_and_times(ticket):
    moment = dt.datetime(2026, 3, 3, 1, 2, 3, tzinfo=dt.UTC)
    ticket.finished_at = moment
    ticket.day = dt.date(2026, 3, 4)
    rows.update(ticket, ["finished_at", "day"])
    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.finished_at == moment and stored.day == dt.date(2026, 3, 4)


def test_insert_appends_an_event_with_its_json(ticket):
    event = QueueEvent(
        center_id=ticket.center_id, kind="issued", at=ticket.issued_at, channel="api",
        ticket_id=ticket.pk, data={"code": "C001", "名": "王"},
    )  # fmt: skip
    rows.insert([event])
    assert QueueEvent.objects.get(pk=event.pk).data == {"code": "C001", "名": "王"}


def test_insert_refuses_a_duplicate_key_as_the_orm_does(ticket):
    twin = Ticket.objects.get(pk=ticket.pk)
    twin.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.insert([twin])  # the same public id, number and queue


def test_scalar_answers_the_first_column_or_none(ticket):
    sql = "SELECT code FROM queueing_ticket WHERE id = %s"
    assert rows.scalar(sql, [ticket.pk]) == ticket.code
    assert rows.scalar(sql, [ticket.pk + 1000]) is None


def test_a_found_row_is_an_instance_on_file_that_saves_as_an_update(ticket):
    found = rows.find(Ticket, {"id": ticket.pk})
    assert found._state.adding is False and found._state.db == "default"
    assert found.queue.letter == ticket.queue.letter  # relations load as on any instance
    found.note = ""  # (not a field: ignored by save)
    found.recall_count = 2
    found.save(update_fields=["recall_count"])
    assert Ticket.objects.count() == 1 and Ticket.objects.get(pk=ticket.pk).recall_count == 2


def test_a_reference_stands_for_the_row_and_reads_other_fields_when_asked(
    ticket, muchang, opened, staff
):
    ref = rows.reference(Ticket, ticket.pk, center=muchang)
    assert ref.pk == ticket.pk and ref.center_id == muchang.pk and ref.center is muchang
    assert not ref._state.adding
    assert ref.code == ticket.code  # a field it was not given: loaded, as a deferred field is
    # The services take it where the API has only the id (the pension ticket: window 3, 张敏).
    clerk = staff["张敏"]
    assert services.call_next(clerk, opened[3]).pk == ticket.pk
    started = services.start_service(clerk, rows.reference(Ticket, ticket.pk, center=muchang))
    assert started.status == Ticket.Status.SERVING
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.SERVING


def test_insert_many_writes_what_the_orm_reads_back_in_order_across_statements(ticket):
    at = dt.datetime(2026, 3, 3, 9, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    given = [
        (ticket.center_id, ticket.pk, at + dt.timedelta(minutes=i), "called", "window", data)
        for i, data in enumerate(
            [{"说明": "第一位"}, {"n": 2}, {"list": [1, "二"]}, {}, {"x": None}]
        )
    ]
    columns = ["center_id", "ticket_id", "at", "kind", "channel", "data"]
    ids = rows.insert_many(QueueEvent, columns, given, per_statement=2)  # 3 statements
    assert len(ids) == 5 and len(set(ids)) == 5
    for pk, (_, ticket_id, when, kind, channel, data) in zip(ids, given, strict=True):
        event = QueueEvent.objects.get(pk=pk)
        assert (event.ticket_id, event.at, event.kind, event.channel, event.data) == (
            ticket_id,
            when,
            kind,
            channel,
            data,
        )
        assert event.actor_id is None and event.window_id is None  # not named: the default


def test_insert_many_gives_unnamed_columns_their_defaults_and_can_skip_the_ids(ticket):
    at = dt.datetime(2026, 3, 3, 9, 5, tzinfo=dt.UTC)
    before = QueueEvent.objects.count()
    assert (
        rows.insert_many(
            QueueEvent,
            ["center_id", "ticket_id", "at", "kind", "channel"],
            [(ticket.center_id, ticket.pk, at, "finished", "window")],
            returning=False,
        )
        == []
    )
    event = QueueEvent.objects.order_by("-id").first()
    assert QueueEvent.objects.count() == before + 1 and event.data == {} and event.at == at
