"""The event stream of a center's queue for display boards and window screens (SSE).

``GET /queue/<code>/events/`` answers ``text/event-stream``: first ``retry: 2000`` (the browser
reconnects two seconds after a drop, e.g. a server restart), then a ``snapshot`` of the board,
then one ``data:`` line per event (call, clear, serving, issued, counts, hall, resync) and a
comment every 15 seconds so that proxies and the browser keep the connection open.

Under the ASGI server (uvicorn, ``bianmin serve``) each connection is one coroutine waiting on
an asyncio queue: hundreds of boards cost no threads. Under the threaded development and test
server (WSGI) each connection is one thread waiting on a thread queue.
"""

from __future__ import annotations

import asyncio
import json
import threading
from contextlib import contextmanager

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import StreamingHttpResponse

from . import push, selectors

HEARTBEAT_SECONDS = 15
RETRY_MS = 2000

# Boards come in herds: after a restart, or a resync, hundreds reconnect within a second. Each
# stream's database work (the center, the device, the snapshot) runs in a thread of its own
# under ASGI; at most this many at once per process, each letting its connection go after, so
# that a herd of boards never takes more database connections than this.
DATABASE_SLOTS = threading.BoundedSemaphore(4)


@contextmanager
def database_slot(request=None):
    """Run a stream's database work in one of the process's few slots; under ASGI the thread's
    connection is closed after it (the stream lives for hours and needs it only now)."""
    from django.db import connection

    asgi = request is None or isinstance(request, ASGIRequest)
    with DATABASE_SLOTS:
        try:
            yield
        finally:
            if asgi:
                connection.close()


def _snapshot(center) -> dict:
    """The board's snapshot, and then this thread lets its database connection go.

    Under ASGI each request runs its synchronous parts in a thread of its own; a board's stream
    lives for hours, and a database connection held by each of hundreds of boards would
    exhaust the server's connections. The stream needs the database only for snapshots.
    """
    with database_slot():
        return selectors.board_snapshot(center)


def sse(event: dict) -> str:
    """The event as one SSE message; encoded once however many boards of a center receive it
    (they share the event object)."""
    text = event.get("_sse")
    if text is None:
        body = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        text = event["_sse"] = f"data: {body}\n\n"
    return text


def response_for(request, center) -> StreamingHttpResponse:
    carrier = push.broadcaster()
    carrier.ready()  # PostgreSQL: this process's listener is up before the first event
    if isinstance(request, ASGIRequest):
        content = _async_stream(carrier, center)
    else:
        content = _sync_stream(carrier, center)
    response = StreamingHttpResponse(content, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-transform"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


async def _async_stream(carrier, center):
    sub = carrier.subscribe(center.pk, loop=asyncio.get_running_loop())
    try:
        yield f"retry: {RETRY_MS}\n\n"
        yield sse(await sync_to_async(_snapshot)(center))
        while True:
            event = await sub.aget(HEARTBEAT_SECONDS)
            if event is None:
                yield ": ping\n\n"
                continue
            # Events that came in meanwhile go out in the same write: under load a board gets
            # its center's calls in fewer, larger writes (each write is a system call).
            events = [event, *sub.drain()]
            resyncs = [k for k, e in enumerate(events) if e.get("type") == "resync"]
            text = ""
            if resyncs:  # one snapshot covers whatever came before it
                text = sse(await sync_to_async(_snapshot)(center))
                events = events[resyncs[-1] + 1 :]
            yield text + "".join(sse(e) for e in events)
    finally:
        sub.close()


def _sync_stream(carrier, center):
    from django.db import connection

    sub = carrier.subscribe(center.pk)
    try:
        yield f"retry: {RETRY_MS}\n\n"
        yield sse(selectors.board_snapshot(center))
        while True:
            event = sub.get(HEARTBEAT_SECONDS)
            if event is None:
                yield ": ping\n\n"
            elif event.get("type") == "resync":
                yield sse(selectors.board_snapshot(center))
            else:
                yield sse(event)
    finally:
        sub.close()
        # A threaded server's connection thread ends here; its database connection goes too
        # (unless it is not this thread's: the test server shares one in-memory database).
        if connection.allow_thread_sharing is False:
            connection.close()
