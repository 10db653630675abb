"""Sessions and devices kept in an app process's memory, and forgotten when they change anywhere.

Under `bianmin serve` on PostgreSQL each process listens for word of changes
(``bianmin.common.bus``) and keeps the session and device rows it reads on every request; a
sign-out, a password change, a revoked kiosk in another process reaches it through NOTIFY.
"""

from __future__ import annotations

import json
import time

import psycopg
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bianmin.common import bus
from bianmin.identity import sessions
from bianmin.identity.models import Device
from bianmin.identity.services import KEPT_DEVICES, device_for_token, register_device

PW = "pw-Bianmin-1"


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("word between processes goes by PostgreSQL NOTIFY (this run is on SQLite)")


@pytest.fixture
def listening():
    _postgresql_only()
    bus.start()
    for _ in range(50):
        if bus.listening():
            break
        time.sleep(0.1)
    assert bus.listening()
    yield
    bus.stop()


def _wait_until(condition, seconds=5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _signed_in(client, clerk) -> str:
    assert client.post("/login/", {"username": clerk.username, "password": PW}).status_code == 302
    return client.cookies["sessionid"].value


def _session_reads(key) -> int:
    with CaptureQueriesContext(connection) as queries:
        sessions.SessionStore(key).load()
    return sum(1 for q in queries.captured_queries if "identity_session" in q["sql"])


@pytest.mark.django_db
def test_without_a_listener_every_request_reads_its_session(client, clerk):
    assert not bus.listening()
    key = _signed_in(client, clerk)
    assert _session_reads(key) == 1
    assert _session_reads(key) == 1  # nothing kept: the database is asked each time


@pytest.mark.django_db(transaction=True)
def test_a_listening_process_reads_a_session_once_and_then_keeps_it(listening, client, clerk):
    key = _signed_in(client, clerk)
    assert _session_reads(key) == 1
    # (A read is kept only once the word of the sign-in's own writes has come back.)
    assert _wait_until(lambda: _session_reads(key) == 0)
    assert _session_reads(key) == 0
    assert client.get("/api/v1/identity/me").status_code == 200
    assert client.get("/api/v1/identity/me").json()["username"] == clerk.username


@pytest.mark.django_db(transaction=True)
def test_signing_out_in_another_process_is_heard_here_at_once(listening, client, clerk):
    key = _signed_in(client, clerk)
    assert _wait_until(lambda: client.get("/api/v1/identity/me") and sessions.KEPT.get(key))
    # Another app process signs the clerk out: it deletes the row and sends the word.
    with psycopg.connect(bus.conninfo(), autocommit=True) as other:
        with other.transaction():
            other.execute("DELETE FROM identity_session WHERE session_key = %s", [key])
            other.execute("SELECT pg_notify(%s, %s)", [bus.CHANNEL, json.dumps(["session", key])])
    assert _wait_until(lambda: sessions.KEPT.get(key) is None)
    assert client.get("/api/v1/identity/me").status_code == 401


@pytest.mark.django_db(transaction=True)
def test_a_change_here_sends_word_to_the_others_at_commit_and_not_on_rollback(
    listening, client, clerk
):
    key = _signed_in(client, clerk)
    with psycopg.connect(bus.conninfo(), autocommit=True) as other:
        other.execute(f"LISTEN {bus.CHANNEL}")
        clerk.full_name = "王芳芳"
        try:
            with transaction.atomic():
                clerk.save()
                raise RuntimeError
        except RuntimeError:
            pass
        assert list(other.notifies(timeout=0.5)) == []  # rolled back: no word
        sessions.SessionStore(key).delete()  # signing out here
        heard = [json.loads(n.payload) for n in other.notifies(timeout=2, stop_after=1)]
    assert heard == [["session", key]]


@pytest.mark.django_db(transaction=True)
def test_a_changed_user_is_read_again_everywhere(listening, client, clerk):
    key = _signed_in(client, clerk)
    assert _wait_until(lambda: client.get("/api/v1/identity/me") and sessions.KEPT.get(key))
    clerk.is_active = False
    clerk.save()
    assert sessions.KEPT.get(key) is None
    assert (
        client.get("/api/v1/identity/me").status_code == 401
    )  # a deactivated clerk is out at once


@pytest.mark.django_db(transaction=True)
def test_an_expired_kept_session_is_refused_by_its_own_date(listening, client, clerk):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    key = _signed_in(client, clerk)
    assert _wait_until(lambda: client.get("/api/v1/identity/me") and sessions.KEPT.get(key))
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2), tick=False):
        assert sessions.SessionStore(key).load() == {}


@pytest.mark.django_db(transaction=True)
def test_a_revoked_kiosk_is_refused_at_once(listening, make_user, muchang):
    from bianmin.identity.roles import Role

    manager = make_user(Role.CENTER_MANAGER, center=muchang)
    device, token = register_device(manager, center=muchang, kind=Device.Kind.KIOSK, name="一号机")
    assert _wait_until(lambda: device_for_token(token).pk == device.pk and KEPT_DEVICES._rows)
    digest = next(iter(KEPT_DEVICES._rows))
    assert KEPT_DEVICES.get(digest) is not None
    device.active = False
    device.save()
    assert device_for_token(token) is None


def test_a_row_read_while_word_was_on_its_way_is_not_kept(monkeypatch):
    monkeypatch.setattr(bus._connected, "is_set", lambda: True)
    memo = bus.Memo("test-topic")
    since = bus.generation()
    bus._run("test-topic", "k")  # word arrives between the read and the store
    memo.put("k", ("old row",), since)
    assert memo.get("k") is None
    since = bus.generation()
    memo.put("k", ("new row",), since)
    assert memo.get("k") == ("new row",)
    bus._run("test-topic", None)  # "everything changed"
    assert memo.get("k") is None


@pytest.mark.django_db
def test_each_request_gets_its_own_copy_of_the_session_data(client, clerk):
    key = _signed_in(client, clerk)
    first = sessions.SessionStore(key).load()
    first["_auth_user_id"] = "0"
    first.setdefault("basket", []).append("x")
    again = sessions.SessionStore(key).load()
    assert again["_auth_user_id"] == str(clerk.pk) and "basket" not in again
    assert client.get("/api/v1/identity/me").json()["username"] == clerk.username
