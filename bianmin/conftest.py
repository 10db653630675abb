"""Fixtures shared by every app's tests: divisions, users of each role, a real Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import threading

import pytest
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer

from bianmin.identity.models import User
from bianmin.identity.roles import Role
from bianmin.org.models import Center, Department, Region
from bianmin.org.services import load_divisions

MUCHANG = "341502100000"  # 木厂镇, 金安区
MAOTANCHANG = "341502104000"  # 毛坦厂镇, 金安区
MEISHAN = "341524100000"  # a 金寨县 town
JINAN = "341502000000"
JINZHAI = "341524000000"
LUAN = "341500000000"


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations():
    """The Chinese catalogue must be compiled for the messages the tests read.

    Django may have loaded the catalogues already (while setting up the test database), so
    they are dropped after compiling and load again on first use.
    """
    from django.utils.translation import trans_real

    call_command("compile_translations", verbosity=0)
    trans_real._translations = {}
    trans_real._default = None


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the divisions once into the test database; each test's transaction rolls back over
    them. Tests that flush the database (browser tests) reload them through ``divisions``."""
    with django_db_blocker.unblock():
        load_divisions()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the production hasher (tested on its own); tests hash many passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _push_listener_stops_before_the_test_database_goes(django_db_setup):
    """On PostgreSQL the queue's push listens on a connection of its own; stop it before the
    test database is dropped (else: "database is being accessed by other users")."""
    yield
    from bianmin.common import bus
    from bianmin.queueing import push

    bus.stop()

    current = push.set_broadcaster(None)
    if current is not None and hasattr(current, "stop"):
        current.stop()


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """Each test starts in the site's language: a request through LocaleMiddleware (e.g. one
    that switched to English) leaves its language active in the thread for the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def divisions(db):
    if not Center.objects.filter(region__code=MUCHANG).exists():
        load_divisions()
    return Region.objects.get(code=LUAN)


@pytest.fixture
def muchang(divisions) -> Center:
    return Center.objects.get(region__code=MUCHANG)


@pytest.fixture
def maotanchang(divisions) -> Center:
    return Center.objects.get(region__code=MAOTANCHANG)


@pytest.fixture
def jinzhai_center(divisions) -> Center:
    return Center.objects.filter(region__parent__code=JINZHAI).order_by("region__code").first()


@pytest.fixture
def make_user(divisions):
    """make_user(role, center=..., department=..., region=...) with password 'pw-Bianmin-1'."""
    counter = {"n": 0}

    def make(role: str, **scope) -> User:
        counter["n"] += 1
        user = User(
            username=f"{role}{counter['n']}", full_name=f"测试{counter['n']}", role=role, **scope
        )
        user.set_password("pw-Bianmin-1")
        user.full_clean()
        user.save()
        return user

    return make


@pytest.fixture
def minzheng(divisions) -> Department:
    department, _ = Department.objects.get_or_create(
        region=Region.objects.get(code=JINAN), name="金安区民政局", defaults={"domain": "民政"}
    )
    return department


@pytest.fixture
def clerk(make_user, muchang) -> User:
    return make_user(Role.WINDOW_CLERK, center=muchang)


# --- Browser ------------------------------------------------------------------------------------

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run `make system-deps` (or `make test`).")
    # Playwright's sync API runs an event loop in this thread; Django's ORM is safe to call here
    # because the tests and the live server each use their own connection.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=os.path.realpath(executable), args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


class _LiveServerThatWaitsForItsRequests(ThreadedWSGIServer):
    """Django's threaded test server, whose ``server_close()`` hangs up on the connections still
    open (idle keep-alive ones) and waits for the threads serving them to finish.

    On SQLite those threads share the tests' in-memory database connection, and each closes it
    as its connection ends (``ThreadedWSGIServer.close_request``). pytest-django's
    ``LiveServer.stop()`` makes the connection thread-bound again right after ``server_close()``;
    Django's own server runs its request threads as daemons, which ``server_close()`` does not
    wait for, so a client hanging up later (the browser, or Playwright's request client, when
    they close at the end of the session) made its thread fail with "DatabaseWrapper objects
    created in a thread can only be used in that same thread"."""

    daemon_threads = False  # socketserver's server_close() joins non-daemon request threads

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._open_requests = set()
        self._open_requests_lock = threading.Lock()

    def process_request(self, request, client_address):
        with self._open_requests_lock:
            self._open_requests.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._open_requests_lock:
            self._open_requests.discard(request)
        super().shutdown_request(request)

    def server_close(self):
        with self._open_requests_lock:
            still_open = list(self._open_requests)
        for request in still_open:
            try:
                # Its thread reads the end of the stream (or fails its next write) and ends.
                request.shutdown(socket.SHUT_RDWR)
            except OSError:  # its thread closed it meanwhile
                pass
        super().server_close()


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server (the same address options), on the server above."""
    from pytest_django.live_server_helper import LiveServer

    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    server.thread.server_class = _LiveServerThatWaitsForItsRequests
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _browser_contexts_close_with_their_test(request):
    """Every browser context a test opened is closed when the test ends, before its database
    is flushed. Left open, its pages would go on polling the live server (and Chromium keep
    their connections to it, each held by a server thread) through all the later tests."""
    if "chromium" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("chromium")
    yield
    for context in list(browser.contexts):
        context.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.base_url = live_server.url
    yield pg
    context.close()
