"""Server push: events reach the boards only after the change commits, in one process (the
embedded default) and across processes (PostgreSQL LISTEN/NOTIFY); the SSE stream under ASGI
sends the snapshot, then the calls, and lets go when the board disconnects."""

import asyncio
import datetime as dt
import json
import threading

import pytest
from asgiref.sync import sync_to_async
from django.db import connection, transaction

from bianmin.hall import services as hall
from bianmin.identity.models import Device
from bianmin.identity.services import register_device
from bianmin.queueing import cache, push, services
from bianmin.queueing.models import Channel

MUCHANG = "341502100000"


def run_async(coroutine_function):
    """asyncio.run in a thread of its own (the browser tests keep an event loop in this one)."""
    outcome: dict = {}

    def target():
        try:
            outcome["value"] = asyncio.run(coroutine_function())
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(60)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def test_an_event_reaches_subscribers_only_after_commit(db, django_capture_on_commit_callbacks):
    carrier = push.InProcessBroadcaster()
    sub = carrier.subscribe(7)
    other = carrier.subscribe(8)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            carrier.publish(7, {"type": "call", "ticket": "B007"})
            assert sub.get(0.05) is None  # not before the commit
    assert sub.get(1) == {"type": "call", "ticket": "B007", "center": 7}
    assert other.get(0.05) is None  # another center's board hears nothing


def test_a_rolled_back_change_is_never_announced(db, django_capture_on_commit_callbacks):
    carrier = push.InProcessBroadcaster()
    sub = carrier.subscribe(7)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                carrier.publish(7, {"type": "call", "ticket": "B007"})
                raise RuntimeError("the call failed")
        except RuntimeError:
            pass
    assert sub.get(0.05) is None


def test_an_asyncio_subscriber_hears_an_event_published_from_a_thread():
    carrier = push.InProcessBroadcaster()

    async def listen():
        sub = carrier.subscribe(3, loop=asyncio.get_running_loop())
        threading.Thread(target=carrier.hub.dispatch, args=(3, {"type": "call"})).start()
        event = await sub.aget(2)
        sub.close()
        return event

    assert run_async(listen) == {"type": "call"}
    assert carrier.hub.count() == 0


def test_a_board_behind_takes_the_events_waiting_for_it_in_order_in_one_go():
    carrier = push.InProcessBroadcaster()

    async def listen():
        sub = carrier.subscribe(3, loop=asyncio.get_running_loop())
        for n in range(3):
            carrier.hub.dispatch(3, {"type": "call", "n": n})
        await asyncio.sleep(0.05)  # the loop hands them over
        first = await sub.aget(1)
        rest = sub.drain()
        sub.close()
        return first, rest, sub.drain()

    first, rest, after = run_async(listen)
    assert first == {"type": "call", "n": 0}
    assert rest == [{"type": "call", "n": 1}, {"type": "call", "n": 2}] and after == []


def test_a_slow_board_loses_old_events_not_the_servers_memory():
    carrier = push.InProcessBroadcaster()
    sub = carrier.subscribe(1)
    for n in range(push.MAX_PENDING + 50):
        carrier.hub.dispatch(1, {"n": n})
    assert sub.get(0.01) == {"n": 0} and sub._queue.qsize() == push.MAX_PENDING - 1


@pytest.mark.django_db(transaction=True)
def test_postgresql_carries_events_between_processes_at_commit(divisions):
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY needs PostgreSQL (this run is on SQLite)")
    listener = push.PostgresBroadcaster()  # as another app process would have
    listener.ready()
    sub = listener.subscribe(42)
    try:
        publisher = push.PostgresBroadcaster()
        with transaction.atomic():
            publisher.publish(
                42, {"type": "call", "ticket": "C012", "text": "请C012号到3号窗口办理"}
            )
            assert sub.get(0.3) is None  # still inside the transaction
        event = sub.get(3)
        assert event["ticket"] == "C012" and event["text"] == "请C012号到3号窗口办理"
        try:
            with transaction.atomic():
                publisher.publish(42, {"type": "call", "ticket": "C013"})
                raise RuntimeError
        except RuntimeError:
            pass
        assert sub.get(0.5) is None
        # A set-up change in another process drops this process's caches.
        cache._config[1] = (float("inf"), cache.generation(), "stale")
        push.set_broadcaster(publisher)
        push.invalidate_elsewhere()
        for _ in range(30):
            if 1 not in cache._config:
                break
            sub.get(0.1)
        assert 1 not in cache._config
    finally:
        listener.stop()


@pytest.mark.django_db(transaction=True)
def test_a_call_and_its_event_row_go_out_in_one_statement_with_the_events_id(muchang):
    from django.utils import timezone

    from bianmin.queueing.models import QueueEvent

    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY needs PostgreSQL (this run is on SQLite)")
    listener = push.PostgresBroadcaster()
    listener.ready()
    sub = listener.subscribe(muchang.pk)
    try:
        publisher = push.PostgresBroadcaster()

        def event():
            return QueueEvent(
                center=muchang, kind=QueueEvent.Kind.CALLED, at=timezone.now(), channel="clerk"
            )

        with transaction.atomic():
            row = event()
            publisher.publish_with(
                muchang.pk, {"type": "call", "ticket": "B007"}, row, id_key="event"
            )
            assert row.pk is not None and sub.get(0.3) is None  # not before the commit
        message = sub.get(3)
        assert message == {"type": "call", "ticket": "B007", "center": muchang.pk, "event": row.pk}
        with transaction.atomic():  # without an id key the message goes as it is
            publisher.publish_with(muchang.pk, {"type": "serving", "ticket": "B007"}, event())
        assert sub.get(3) == {"type": "serving", "ticket": "B007", "center": muchang.pk}
        on_file = QueueEvent.objects.count()
        try:
            with transaction.atomic():
                publisher.publish_with(muchang.pk, {"type": "call", "ticket": "B008"}, event())
                raise RuntimeError
        except RuntimeError:
            pass
        assert sub.get(0.5) is None  # a rolled-back call is neither on file nor on the boards
        assert QueueEvent.objects.count() == on_file
    finally:
        listener.stop()


@pytest.fixture
def display_token(manager, muchang):
    _device, token = register_device(manager, center=muchang, kind=Device.Kind.DISPLAY, name="大屏")
    return token


@pytest.mark.django_db(transaction=True)
def test_the_sse_stream_under_asgi_sends_the_snapshot_then_the_call(
    windows, queues, staff, manager, muchang, entered, display_token
):
    from django.core.asgi import get_asgi_application

    liu = staff["刘洋"]
    hall.open_window(liu, windows[2])
    services.issue_ticket(muchang, channel=Channel.KIOSK, actor=manager, item=entered["old_age"])
    app = get_asgi_application()
    carrier = push.broadcaster()
    path = f"/queue/{MUCHANG}/events/"
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [
            (b"host", b"testserver"),
            (b"authorization", b"Bearer " + display_token.encode()),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }

    async def board():
        inbox: asyncio.Queue = asyncio.Queue()
        outbox: asyncio.Queue = asyncio.Queue()
        await inbox.put({"type": "http.request", "body": b"", "more_body": False})
        task = asyncio.create_task(app(scope, inbox.get, outbox.put))
        start = await asyncio.wait_for(outbox.get(), 10)
        assert start["status"] == 200
        assert dict(start["headers"])[b"Content-Type"].startswith(b"text/event-stream")
        chunks = []
        while len(chunks) < 2:
            message = await asyncio.wait_for(outbox.get(), 10)
            chunks.append(message["body"].decode())
        assert chunks[0].startswith("retry: 2000")
        snapshot = json.loads(chunks[1].removeprefix("data: "))
        assert snapshot["type"] == "snapshot" and snapshot["queues"][1]["waiting"] == 1
        called = await sync_to_async(services.call_next, thread_sensitive=False)(liu, windows[2])
        while True:
            message = await asyncio.wait_for(outbox.get(), 10)
            body = message["body"].decode()
            if '"type":"call"' in body:
                break
        event = json.loads(body.removeprefix("data: "))
        assert event["ticket"] == called.code == "B001"
        assert event["text"] == "请B001号到2号窗口办理" and event["window"] == 2
        assert carrier.hub.count() == 1
        await inbox.put({"type": "http.disconnect"})
        await asyncio.wait_for(task, 10)
        assert carrier.hub.count() == 0  # the board went away: its subscription is gone

    run_async(board)


def test_the_carrier_follows_the_setting(settings, db):
    settings.BIANMIN_QUEUE_PUSH = "inprocess"
    assert push.carrier_name() == "inprocess"
    settings.BIANMIN_QUEUE_PUSH = "postgres"
    assert push.carrier_name() == "postgres"
    settings.BIANMIN_QUEUE_PUSH = "auto"
    assert push.carrier_name() == ("postgres" if connection.vendor == "postgresql" else "inprocess")
    settings.BIANMIN_QUEUE_PUSH = "redis"
    with pytest.raises(ValueError):
        push.carrier_name()


def test_hall_changes_reach_the_boards(muchang, windows, staff, django_capture_on_commit_callbacks):
    carrier = push.InProcessBroadcaster()
    push.set_broadcaster(carrier)
    sub = carrier.subscribe(muchang.pk)
    with django_capture_on_commit_callbacks(execute=True):
        hall.open_window(staff["张敏"], windows[3], now=dt.datetime.now(dt.UTC))
    assert sub.get(1)["type"] == "hall"
