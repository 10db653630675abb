"""The serving side: the ASGI entry point that sends requests through the WSGI handler and the
event streams through the ASGI handler; and a display board that reconnects by itself after the
server restarts (a real uvicorn in a thread, a real Chromium)."""

import asyncio
import socket
import threading
import time

import pytest
from django.db import connection
from playwright.sync_api import expect

from bianmin.hall import services as hall
from bianmin.identity.models import Device
from bianmin.identity.services import register_device
from bianmin.queueing import services
from bianmin.queueing.asgi import build_environ, make_application
from bianmin.queueing.models import Channel

from .conftest import open_all_day_today
from .test_push import run_async

MUCHANG = "341502100000"


def test_the_environ_of_a_request(settings):
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/queue/t/x/cancel/",
        "query_string": b"a=1",
        "headers": [
            (b"content-type", b"text/plain"),
            (b"x-forwarded-proto", b"https"),
            (b"cookie", b"a=1"),
            (b"cookie", b"b=2"),
        ],
        "client": ("10.0.0.7", 4000),
        "server": ("127.0.0.1", 8000),
    }
    environ = build_environ(scope, b"hello")
    assert environ["PATH_INFO"] == "/queue/t/x/cancel/" and environ["QUERY_STRING"] == "a=1"
    assert environ["CONTENT_TYPE"] == "text/plain" and environ["HTTP_X_FORWARDED_PROTO"] == "https"
    assert environ["HTTP_COOKIE"] == "a=1,b=2" and environ["REMOTE_ADDR"] == "10.0.0.7"
    assert environ["wsgi.input"].read() == b"hello"


@pytest.mark.django_db(transaction=True)
def test_requests_go_through_the_wsgi_handler_and_streams_through_the_asgi_handler(
    manager, muchang, queues, monkeypatch
):
    _device, token = register_device(manager, center=muchang, kind=Device.Kind.DISPLAY, name="大屏")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "")  # restored after: the app sets it
    app = make_application(threads=2)
    ran_on: dict = {}
    run = app._run

    def spy(environ):
        ran_on[environ["PATH_INFO"]] = threading.current_thread()
        return run(environ)

    app._run = spy

    def scope(path):
        return {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "headers": [(b"host", b"testserver"), (b"authorization", f"Bearer {token}".encode())],
            "client": ("127.0.0.1", 5000),
            "server": ("testserver", 80),
        }

    async def go():
        inbox: asyncio.Queue = asyncio.Queue()
        sent: list = []
        await inbox.put({"type": "http.request", "body": b"", "more_body": False})

        async def send(message):
            sent.append(message)

        board = f"/api/v1/queue/centers/{MUCHANG}/board"
        await app(scope(board), inbox.get, send)
        assert sent[0]["status"] == 200 and b'"queues"' in sent[1]["body"]
        # On PostgreSQL the queue's API ran on the event loop's thread (on SQLite, whose writers
        # may wait seconds for the file lock, in the pool); any other request in the pool.
        if connection.vendor == "postgresql":
            assert app.inline and ran_on[board] is threading.current_thread()
        else:
            assert not app.inline and ran_on[board].name.startswith("bianmin-http")
        await inbox.put({"type": "http.request", "body": b"", "more_body": False})
        await app(scope("/api/v1/identity/me"), inbox.get, send)
        assert sent[2]["status"] == 401
        assert ran_on["/api/v1/identity/me"].name.startswith("bianmin-http")
        figures = f"/api/v1/queue/centers/{MUCHANG}/figures"  # a report: in the pool too
        await inbox.put({"type": "http.request", "body": b"", "more_body": False})
        await app(scope(figures), inbox.get, send)
        assert ran_on[figures].name.startswith("bianmin-http")
        # A stream is answered piece by piece (the bridge would wait for its end).
        stream_out: asyncio.Queue = asyncio.Queue()
        stream_in: asyncio.Queue = asyncio.Queue()
        await stream_in.put({"type": "http.request", "body": b"", "more_body": False})
        task = asyncio.create_task(
            app(scope(f"/queue/{MUCHANG}/events/"), stream_in.get, stream_out.put)
        )
        start = await asyncio.wait_for(stream_out.get(), 10)
        first = await asyncio.wait_for(stream_out.get(), 10)
        assert start["status"] == 200 and first["body"].startswith(b"retry:")
        await stream_in.put({"type": "http.disconnect"})
        await asyncio.wait_for(task, 10)

    run_async(go)
    app.executor.shutdown()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThreadedServer:
    """uvicorn serving the project's ASGI application in a thread, stoppable and restartable."""

    def __init__(self, port: int):
        self.port = port
        self.server = None
        self.thread = None

    def start(self):
        import uvicorn
        from django.core.asgi import get_asgi_application

        config = uvicorn.Config(
            get_asgi_application(),
            host="127.0.0.1",
            port=self.port,
            lifespan="off",
            log_level="warning",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        for _ in range(100):
            if self.server.started:
                return
            time.sleep(0.05)
        raise RuntimeError("uvicorn did not start")

    def stop(self):
        self.server.should_exit = True
        self.server.force_exit = True  # open event streams do not hold the restart up
        self.thread.join(10)


@pytest.mark.browser
def test_the_display_reconnects_by_itself_after_a_server_restart(
    chromium, file_database, windows, queues, staff, manager, muchang, entered
):
    liu = staff["刘洋"]
    hall.open_window(liu, windows[2])
    _device, token = register_device(manager, center=muchang, kind=Device.Kind.DISPLAY, name="大屏")
    server = ThreadedServer(_free_port())
    server.start()
    base = f"http://127.0.0.1:{server.port}"
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    board = context.new_page()
    board.set_default_timeout(15000)
    try:
        board.goto(base + "/queue/device/")
        board.get_by_label("设备令牌").fill(token)
        board.get_by_role("button", name="配对").click()
        connection = board.get_by_test_id("board-connection")
        expect(connection).to_have_attribute("data-state", "online")

        server.stop()
        expect(connection).to_have_attribute("data-state", "offline")
        server.start()  # the same address, a new server
        expect(connection).to_have_attribute("data-state", "online", timeout=15000)

        services.issue_ticket(
            muchang, channel=Channel.KIOSK, actor=manager, item=entered["old_age"]
        )
        services.call_next(liu, windows[2])
        expect(board.get_by_test_id("board-latest")).to_have_text("请B001号到2号窗口办理")
    finally:
        context.close()
        server.stop()


class ServerProcess:
    """`uvicorn bianmin.asgi:application` as an app process of its own, on the test database."""

    def __init__(self, port: int, env: dict):
        self.port, self.env, self.process = port, env, None

    def start(self):
        import subprocess
        import sys
        import urllib.request

        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "bianmin.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--lifespan",
                "off",
                "--log-level",
                "warning",
            ],  # fmt: skip
            env=self.env,
        )
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=1):
                    return
            except Exception:
                time.sleep(0.1)
        raise RuntimeError("the app process did not come up")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(3)
            except Exception:
                self.process.kill()
            self.process = None


def _database_url(settings_dict: dict) -> str:
    from urllib.parse import quote

    return "postgres://{}:{}@{}:{}/{}".format(
        quote(settings_dict["USER"] or ""),
        quote(settings_dict["PASSWORD"] or ""),
        settings_dict["HOST"] or "127.0.0.1",
        settings_dict["PORT"] or 5432,
        settings_dict["NAME"],
    )


def _clerk_session(user) -> tuple[str, str]:
    """A logged-in session cookie for ``user`` and a CSRF secret, as a browser would hold."""
    from django.conf import settings as django_settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.crypto import get_random_string

    from bianmin.identity.sessions import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = django_settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key, get_random_string(32)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_call_at_one_app_process_reaches_a_board_served_by_another_also_after_its_restart(
    chromium, windows, queues, staff, manager, muchang, entered, tmp_path
):
    """Two app processes on one PostgreSQL (LISTEN/NOTIFY carries the call between them): the
    board listens to process A, the clerk calls through process B; then A restarts under the
    open board, which reconnects by itself and shows the next call made through B."""
    import json
    import os
    import urllib.request

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("several app processes need PostgreSQL (this run is on SQLite)")
    liu = staff["刘洋"]
    hall.open_window(liu, windows[2])
    open_all_day_today(muchang)  # the kiosk takes walk-in tickets at whatever hour this runs
    _device, token = register_device(manager, center=muchang, kind=Device.Kind.DISPLAY, name="大屏")
    _kiosk, kiosk_token = register_device(
        manager, center=muchang, kind=Device.Kind.KIOSK, name="取号机"
    )
    session, csrf = _clerk_session(liu)
    env = {
        **os.environ,
        "BIANMIN_DATABASE_URL": _database_url(connection.settings_dict),
        "BIANMIN_VAR_DIR": str(tmp_path),
        "BIANMIN_QUEUE_PUSH": "postgres",
        "BIANMIN_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "bianmin.settings",
    }
    board_server, clerk_server = ServerProcess(_free_port(), env), ServerProcess(_free_port(), env)
    board_server.start()
    clerk_server.start()

    def post(path: str, headers: dict, body: dict | None = None) -> dict:
        request = urllib.request.Request(
            clerk_server.base + path,
            data=json.dumps(body or {}).encode(),
            headers={"Content-Type": "application/json", **headers},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"{}")

    def take_and_call() -> dict:
        api = f"/api/v1/queue/centers/{MUCHANG}"
        post(
            f"{api}/tickets",
            {"Authorization": f"Bearer {kiosk_token}", "Idempotency-Key": os.urandom(8).hex()},
            {"item_id": entered["old_age"].pk},
        )
        clerk = {"Cookie": f"sessionid={session}; csrftoken={csrf}", "X-CSRFToken": csrf}
        return post(f"{api}/windows/2/call", clerk)

    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    board = context.new_page()
    board.set_default_timeout(15000)
    try:
        board.goto(board_server.base + "/queue/device/")
        board.get_by_label("设备令牌").fill(token)
        board.get_by_role("button", name="配对").click()
        connection_state = board.get_by_test_id("board-connection")
        expect(connection_state).to_have_attribute("data-state", "online")

        first = take_and_call()
        assert first["code"] == "B001"
        expect(board.get_by_test_id("board-latest")).to_have_text("请B001号到2号窗口办理")

        board_server.stop()
        expect(connection_state).to_have_attribute("data-state", "offline")
        board_server.start()  # the same address, a new process
        expect(connection_state).to_have_attribute("data-state", "online", timeout=20000)
        post(
            f"/api/v1/queue/centers/{MUCHANG}/tickets/{first['id']}/finish",
            {"Cookie": f"sessionid={session}; csrftoken={csrf}", "X-CSRFToken": csrf},
            {"outcome": "enquiry"},
        )
        assert take_and_call()["code"] == "B002"
        expect(board.get_by_test_id("board-latest")).to_have_text("请B002号到2号窗口办理")
    finally:
        context.close()
        board_server.stop()
        clerk_server.stop()


def test_a_request_body_over_the_limit_is_refused_before_django_reads_it(monkeypatch):
    from bianmin.queueing import asgi

    monkeypatch.setattr(asgi, "MAX_BODY_BYTES", 1024)
    app = make_application(threads=1)
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/portal/apply/",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "server": ("testserver", 80),
    }
    sent: list = []

    async def go():
        chunks = [{"type": "http.request", "body": b"x" * 800, "more_body": True}] * 3

        async def receive():
            return chunks.pop(0)

        async def send(message):
            sent.append(message)

        await app(scope, receive, send)

    run_async(go)
    assert sent[0]["status"] == 413
    assert "请求内容过大" in sent[1]["body"].decode()
