"""An ASGI entry point for `bianmin serve` that keeps server push cheap *and* requests fast.

Django's ASGI handler runs a project's synchronous middleware and views by hopping between
the event loop and threads: with this project's nine middleware that is about eighteen hops
per request, and each costs a thread hand-off (measured here: a 404 takes 7.7 ms through the
ASGI handler against 1.5 ms through the WSGI handler; docs/queue.md). Each request also gets a
thread of its own, so a persistent database connection is never reused.

This application sends:

- the display boards' event streams (``/queue/<code>/events/``) to Django's ASGI handler, where
  each open stream is one coroutine and costs no thread;
- every other HTTP request to Django's WSGI handler in a small pool of threads (one hop there
  and one back; each thread keeps its database connection between requests, so
  ``CONN_MAX_AGE`` works as intended).

The response of a request through the pool is collected before it is sent, so streaming
responses other than the event streams (exports) are sent in one piece.

**The queue's API on the event loop.** Kiosks and windows call ``/api/v1/queue/…`` hundreds of
times a second, a few milliseconds each (fixed SQL, no templates). Those calls run on the event
loop's own thread, one after the other, instead of hopping to a pool thread and back: the hop,
and four threads of a process contending for the GIL, cost more than the call itself. Measured at
90 ticket cycles/s on 2 cores: p95 11–18 ms inline against 110–190 ms through the pool
(docs/benchmarks.md, Queue). The price: while a queue call runs, that process's boards and other
requests wait for it — bounded by the calls being short; pages, exports, PDFs and the queue's
own reports and bulk set-up (``NOT_INLINE``) stay in the pool. On PostgreSQL only (an SQLite
writer may wait seconds for the file lock). ``BIANMIN_QUEUE_API_INLINE=0`` sends them to the
pool too.

``bianmin/asgi.py`` (what `bianmin serve` runs) uses it (``BIANMIN_THREADS`` sets the pool,
default 4 per process; ``BIANMIN_MAX_BODY_MB`` the largest request body, default 40).
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bianmin.settings")

STREAMS = re.compile(r"^/queue/[^/]+/events/$")
# The queue's API: a few milliseconds a call, most of the app's traffic (see the module).
INLINE_PREFIX = "/api/v1/queue/"
# … except its reports and bulk set-up, which may take longer: they go to the pool.
NOT_INLINE = ("/figures", "/slots/generate")
# Uploads (portal, case files) are at most 10 MB each; a request with several stays under this.
MAX_BODY_BYTES = int(os.environ.get("BIANMIN_MAX_BODY_MB", "40")) * 1024 * 1024


async def send_too_large(send) -> None:
    limit = MAX_BODY_BYTES // 1024 // 1024
    message = f"请求内容过大（上限 {limit} MB），请分次上传较小的文件。"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": message.encode()})


def build_environ(scope: dict, body: bytes) -> dict:
    """The WSGI environ of an ASGI HTTP scope (as asgiref's WsgiToAsgi builds it)."""
    path = scope["path"]
    root = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    environ = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": root.encode("utf8").decode("latin1"),
        "PATH_INFO": path.encode("utf8").decode("latin1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("ascii"),
        "SERVER_PROTOCOL": "HTTP/{}".format(scope.get("http_version", "1.1")),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    server = scope.get("server") or ("localhost", 80)
    environ["SERVER_NAME"], environ["SERVER_PORT"] = server[0], str(server[1] or 0)
    client = scope.get("client")
    if client:
        environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = client[0], str(client[1])
    for raw_name, raw_value in scope.get("headers", []):
        name = raw_name.decode("latin1")
        value = raw_value.decode("latin1")
        if name == "content-length":
            key = "CONTENT_LENGTH"
        elif name == "content-type":
            key = "CONTENT_TYPE"
        else:
            key = "HTTP_" + name.upper().replace("-", "_")
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    return environ


class Application:
    def __init__(self, asgi_app, wsgi_app, threads: int = 4, inline: bool = False):
        self.asgi_app = asgi_app
        self.wsgi_app = wsgi_app
        self.inline = inline
        if inline:
            # The queue's API runs on the event loop's own thread (a choice: see the module);
            # Django refuses database calls from a thread with a running loop unless told.
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="bianmin-http")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or STREAMS.match(scope["path"]):
            return await self.asgi_app(scope, receive, send)
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > MAX_BODY_BYTES:
                # The body is held in memory before Django sees it: refuse a huge one here.
                await send_too_large(send)
                return
            if not message.get("more_body"):
                break
        environ = build_environ(scope, bytes(body))
        path = scope["path"]
        if self.inline and path.startswith(INLINE_PREFIX) and not path.endswith(NOT_INLINE):
            status, headers, content = self._run(environ)  # on the event loop: see the module
        else:
            loop = asyncio.get_running_loop()
            status, headers, content = await loop.run_in_executor(self.executor, self._run, environ)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})

    def _run(self, environ: dict):
        captured: dict = {}
        chunks: list[bytes] = []

        def start_response(status, headers, exc_info=None):
            captured["status"] = int(status.split(" ", 1)[0])
            # Django's WSGI handler writes cookies as " name=value" (a leading space that WSGI
            # servers tolerate and HTTP/1.1 parsers such as h11 refuse).
            captured["headers"] = [
                (name.lower().encode("latin1"), value.strip().encode("latin1"))
                for name, value in headers
            ]
            return chunks.append

        result = self.wsgi_app(environ, start_response)
        try:
            for chunk in result:
                chunks.append(chunk)
        finally:
            if hasattr(result, "close"):
                result.close()
        return captured["status"], captured["headers"], b"".join(chunks)


def make_application(threads: int | None = None) -> Application:
    from django.core.asgi import get_asgi_application
    from django.core.wsgi import get_wsgi_application

    threads = threads or int(os.environ.get("BIANMIN_THREADS", "4"))
    wsgi, asgi = get_wsgi_application(), get_asgi_application()
    from django.db import connection

    # On PostgreSQL only: an SQLite writer waits on the file lock (up to its busy timeout), and
    # the embedded default's one process would hold its boards up meanwhile.
    inline = (
        os.environ.get("BIANMIN_QUEUE_API_INLINE", "1") != "0" and connection.vendor == "postgresql"
    )
    return Application(asgi, wsgi, threads=threads, inline=inline)


def __getattr__(name: str):
    # ``bianmin.queueing.asgi:application`` is built on first use (uvicorn imports it by name).
    if name == "application":
        app = make_application()
        globals()["application"] = app
        return app
    raise AttributeError(name)
