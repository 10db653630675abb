"""Server push for the display boards and window screens: one small interface, two carriers.

A service calls ``publish(center_id, event)`` inside its transaction (or ``publish_with``, which
also inserts the queue event the change appended: on PostgreSQL in the same statement); the
event reaches every subscriber of that center *after the transaction commits* (never for a
rolled-back change).
A display connection calls ``subscribe(center_id)`` and reads events from the subscription,
either with ``await sub.aget(timeout)`` (the ASGI server: one coroutine per connection) or
``sub.get(timeout)`` (the threaded development / test server: one thread per connection).

Carriers (``BIANMIN_QUEUE_PUSH``: ``inprocess``, ``postgres`` or ``auto``, the default):

- ``InProcessBroadcaster``: the embedded one-process default. ``publish`` registers an
  ``on_commit`` hook that hands the event to this process's subscribers. No other server.
- ``PostgresBroadcaster``: several app processes on PostgreSQL. ``publish`` runs
  ``pg_notify`` in the service's own transaction (PostgreSQL delivers it at commit, and drops it
  on rollback); each process runs one listening thread (``LISTEN bianmin_queue`` on its own
  connection) that hands every notification to the process's local subscribers. After the
  listener reconnects it sends ``resync`` so that boards reload their snapshot.

``auto`` takes PostgreSQL when the database is PostgreSQL, in-process otherwise.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import queue as thread_queue
import threading
import time
from collections import defaultdict

from django.conf import settings
from django.db import connection, transaction

log = logging.getLogger(__name__)

CHANNEL = "bianmin_queue"
MAX_PENDING = 500  # a subscriber that stops reading loses old events, not the process's memory


class Subscription:
    """One display connection's inbox. Thread-safe; usable from a thread or an event loop."""

    def __init__(self, hub: Hub, center_id: int, loop: asyncio.AbstractEventLoop | None):
        self.hub = hub
        self.center_id = center_id
        self.loop = loop
        self.closed = False
        if loop is not None:
            self._aqueue: asyncio.Queue = asyncio.Queue(maxsize=MAX_PENDING)
        else:
            self._queue: thread_queue.Queue = thread_queue.Queue(maxsize=MAX_PENDING)

    def deliver(self, event: dict) -> None:
        if self.closed:
            return
        if self.loop is not None:
            try:
                self.loop.call_soon_threadsafe(self._put_async, event)
            except RuntimeError:  # the loop is closed: the connection is gone
                self.close()
        else:
            try:
                self._queue.put_nowait(event)
            except thread_queue.Full:
                pass

    def _put_async(self, event: dict) -> None:
        if self._aqueue.full():
            self._aqueue.get_nowait()
        self._aqueue.put_nowait(event)

    async def aget(self, timeout: float) -> dict | None:
        try:
            async with asyncio.timeout(timeout):  # no task of its own, unlike wait_for
                return await self._aqueue.get()
        except TimeoutError:
            return None

    def drain(self) -> list[dict]:
        """The events already waiting (asyncio side), without waiting for more."""
        events = []
        while not self._aqueue.empty():
            events.append(self._aqueue.get_nowait())
        return events

    def get(self, timeout: float) -> dict | None:
        try:
            return self._queue.get(timeout=timeout)
        except thread_queue.Empty:
            return None

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.hub.remove(self)


class Hub:
    """This process's subscribers, by center."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subs: dict[int, set[Subscription]] = defaultdict(set)

    def add(self, center_id: int, loop=None) -> Subscription:
        sub = Subscription(self, center_id, loop)
        with self._lock:
            self._subs[center_id].add(sub)
        return sub

    def remove(self, sub: Subscription) -> None:
        with self._lock:
            subs = self._subs.get(sub.center_id)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._subs[sub.center_id]

    def dispatch(self, center_id: int | None, event: dict) -> None:
        """Hand ``event`` to the subscribers of ``center_id`` (``None``: to everyone)."""
        with self._lock:
            if center_id is None:
                targets = [s for subs in self._subs.values() for s in subs]
            else:
                targets = list(self._subs.get(center_id, ()))
        for sub in targets:
            sub.deliver(event)

    def count(self) -> int:
        with self._lock:
            return sum(len(s) for s in self._subs.values())


class Broadcaster:
    """The interface the services and the event stream use."""

    name = "abstract"

    def __init__(self) -> None:
        self.hub = Hub()

    def publish(self, center_id: int, event: dict) -> None:
        raise NotImplementedError

    def publish_with(self, center_id: int, event: dict, obj, *, id_key: str = "") -> None:
        """Insert ``obj`` (the queue event the change appended, ``rows.insert``) and publish
        ``event``; with ``id_key`` the event carries the new row's id under that key."""
        from bianmin.common import rows

        rows.insert([obj])
        self.publish(center_id, {**event, id_key: obj.pk} if id_key else event)

    def ready(self) -> None:
        """Block until events can be received (call it from a thread, never an event loop)."""

    def subscribe(self, center_id: int, *, loop: asyncio.AbstractEventLoop | None = None):
        return self.hub.add(center_id, loop)


class InProcessBroadcaster(Broadcaster):
    name = "inprocess"

    def publish(self, center_id: int, event: dict) -> None:
        event = {**event, "center": center_id}
        transaction.on_commit(lambda: self.hub.dispatch(center_id, event))


class PostgresBroadcaster(Broadcaster):
    """LISTEN/NOTIFY: the notification travels with the transaction that made the change."""

    name = "postgres"

    def __init__(self, conninfo: str | None = None) -> None:
        super().__init__()
        self._conninfo = conninfo
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._stop = threading.Event()
        self.connected = threading.Event()

    def publish(self, center_id: int, event: dict) -> None:
        payload = json.dumps({**event, "center": center_id}, ensure_ascii=False)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, payload])

    def publish_with(self, center_id: int, event: dict, obj, *, id_key: str = "") -> None:
        # The notification rides on the INSERT itself (RETURNING …, pg_notify(…)): one round
        # trip instead of two on every step of a ticket. PostgreSQL adds the new row's id.
        from bianmin.common import rows

        payload = json.dumps({**event, "center": center_id}, ensure_ascii=False)
        if id_key:
            pk = connection.ops.quote_name(type(obj)._meta.pk.column)
            also = (
                f"pg_notify(%s, (%s::jsonb || jsonb_build_object(%s::text, {pk}))::text)",
                [CHANNEL, payload, id_key],
            )
        else:
            also = ("pg_notify(%s, %s)", [CHANNEL, payload])
        rows.insert([obj], also=also)

    def ready(self) -> None:
        self.start()

    def conninfo(self) -> str:
        from bianmin.common import bus

        return self._conninfo or bus.conninfo()

    def start(self) -> None:
        with self._start_lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._conninfo = self.conninfo()
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._listen, name="bianmin-queue-listener", daemon=True
            )
            self._thread.start()
        self.connected.wait(timeout=5)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread.is_alive():
            # Wake the listener at once rather than at its next timeout (which a frozen test
            # clock would never reach).
            try:
                import psycopg

                with psycopg.connect(self._conninfo, autocommit=True) as conn:
                    conn.execute("SELECT pg_notify(%s, %s)", [CHANNEL, '{"type": "wake"}'])
            except Exception:  # the database is gone: the thread will notice by itself
                pass
            self._thread.join(timeout=5)
        self._thread = None
        self.connected.clear()

    def _listen(self) -> None:
        import psycopg

        backoff = 0.5
        first = True
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.connected.set()
                    backoff = 0.5
                    if not first:  # events may have been missed while disconnected
                        from . import cache

                        cache.clear()
                        self.hub.dispatch(None, {"type": "resync"})
                    first = False
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=1.0):
                            if self._stop.is_set():
                                break
                            self._dispatch(note.payload)
            except Exception as error:  # the database went away: retry, never crash the app
                self.connected.clear()
                log.warning("queue push listener: %s; reconnecting", error.__class__.__name__)
                time.sleep(backoff)
                backoff = min(backoff * 2, 10)

    def _dispatch(self, payload: str) -> None:
        try:
            event = json.loads(payload)
        except ValueError:
            return
        if event.get("type") == "wake":
            return
        if event.get("type") == "invalidate":
            from . import cache

            cache.clear()
            return
        self.hub.dispatch(event.get("center"), event)


_broadcaster: Broadcaster | None = None
_lock = threading.Lock()


def carrier_name() -> str:
    choice = (
        getattr(settings, "BIANMIN_QUEUE_PUSH", None)
        or os.environ.get("BIANMIN_QUEUE_PUSH")
        or "auto"
    )
    if choice == "auto":
        return "postgres" if connection.vendor == "postgresql" else "inprocess"
    if choice not in ("inprocess", "postgres"):
        raise ValueError(f"BIANMIN_QUEUE_PUSH must be inprocess, postgres or auto, not {choice!r}")
    return choice


def broadcaster() -> Broadcaster:
    global _broadcaster
    if _broadcaster is None:
        with _lock:
            if _broadcaster is None:
                _broadcaster = (
                    PostgresBroadcaster()
                    if carrier_name() == "postgres"
                    else InProcessBroadcaster()
                )
    return _broadcaster


def set_broadcaster(value: Broadcaster | None) -> Broadcaster | None:
    """Swap the process's broadcaster (tests); returns the previous one."""
    global _broadcaster
    with _lock:
        previous, _broadcaster = _broadcaster, value
    return previous


def publish(center_id: int, event: dict) -> None:
    broadcaster().publish(center_id, event)


def publish_with(center_id: int, event: dict, obj, *, id_key: str = "") -> None:
    broadcaster().publish_with(center_id, event, obj, id_key=id_key)


def invalidate_elsewhere() -> None:
    """Tell the other processes that a center's set-up changed (their caches drop it)."""
    carrier = broadcaster()
    if isinstance(carrier, PostgresBroadcaster):
        carrier.publish(0, {"type": "invalidate"})
