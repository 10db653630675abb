"""Word between the app's processes that rows they keep in memory have changed.

Some rows are read on nearly every request: a clerk's session with its user, a kiosk's device by
its token. A process may keep such rows in memory (``Memo``) only while it hears about every
change made anywhere — by its sibling workers, the admin, a management command:

- ``send(topic, key)``, called in the transaction of a change: this process's handlers of
  ``topic`` run at once (forgetting early is harmless) and again after the commit; every other
  process's run after the commit, through PostgreSQL ``NOTIFY`` on channel ``bianmin_bus``
  (delivered at commit, dropped on rollback). ``key`` ``None`` means "all of them".
- ``start()``: `bianmin serve` starts one listening thread in each app process (PostgreSQL
  only). ``listening()`` is true while it hears the word it sends itself every few seconds by
  another connection (``HEARTBEAT_SECONDS``); a ``Memo`` is used only then. When the listener
  (re)connects or goes deaf, every handler runs with ``None``: changes may have been missed.

Without a listener (SQLite, tests, management commands) nothing is kept and every request reads
the database, as before. A row read while a change was on its way is not kept: a ``Memo``
stores what it read only if no word arrived between the read and the store (``generation``).
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable

from django.db import connection, transaction

log = logging.getLogger(__name__)

CHANNEL = "bianmin_bus"
_handlers: dict[str, list[Callable]] = defaultdict(list)
_generation = 0
_connected = threading.Event()
_thread: threading.Thread | None = None
_stop = threading.Event()
_start_lock = threading.Lock()


def on(topic: str, handler: Callable[[object], None]) -> None:
    """Run ``handler(key)`` whenever ``topic`` changes (``key`` ``None``: everything did)."""
    _handlers[topic].append(handler)


def _run(topic: str, key) -> None:
    global _generation
    _generation += 1
    for handler in _handlers.get(topic, ()):
        handler(key)


def _run_all() -> None:
    for topic in list(_handlers):
        _run(topic, None)


def generation() -> int:
    """Grows with every word received: a read is kept only if it did not grow meanwhile."""
    return _generation


def listening() -> bool:
    return _connected.is_set()


def send(topic: str, key=None) -> None:
    """``topic``'s row ``key`` changed in the current transaction (``None``: all of them)."""
    _run(topic, key)
    transaction.on_commit(lambda: _run(topic, key))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, json.dumps([topic, key])])


def conninfo() -> str:
    """The default database's connection string, for a listener's own connection."""
    from psycopg.conninfo import make_conninfo

    params = connection.get_connection_params()
    for name in ("cursor_factory", "context", "server_side_binding", "prepare_threshold"):
        params.pop(name, None)
    return make_conninfo(**{k: v for k, v in params.items() if v not in (None, "")})


def start() -> None:
    """Listen in this process (PostgreSQL; nothing on SQLite). Returns at once."""
    global _thread
    if connection.vendor != "postgresql":
        return
    with _start_lock:
        if _thread is not None and _thread.is_alive():
            return
        _stop.clear()
        _thread = threading.Thread(
            target=_listen, args=(conninfo(),), name="bianmin-bus", daemon=True
        )
        _thread.start()


def stop() -> None:
    global _thread
    _stop.set()
    _connected.clear()
    if _thread is not None:
        _thread.join(timeout=5)
    _thread = None
    _run_all()


#: The listener sends itself word this often, by another connection (the way other processes
#: send theirs), and counts as deaf if it has not heard it back within ``ECHO_SECONDS``: a
#: connection dropped without a reset, or a pooler (PgBouncer in transaction mode) that accepts
#: LISTEN and delivers nothing, must not leave rows kept on the word of a listener that hears none.
HEARTBEAT_SECONDS = 5.0
ECHO_SECONDS = 3.0


class Deaf(ConnectionError):
    pass


def _listen(info: str) -> None:
    import psycopg

    backoff = 0.5
    while not _stop.is_set():
        try:
            with (
                psycopg.connect(info, autocommit=True) as conn,
                psycopg.connect(info, autocommit=True) as sender,
            ):
                conn.execute(f"LISTEN {CHANNEL}")
                _run_all()  # whatever was kept may have changed while nobody listened
                me, ping, sent_at, heard = uuid.uuid4().hex, "", 0.0, True
                backoff = 0.5
                while not _stop.is_set():
                    now = time.monotonic()
                    if heard and now - sent_at >= HEARTBEAT_SECONDS:
                        ping = f"{me}:{now}"  # every process hears every ping: its own by this
                        sender.execute(
                            "SELECT pg_notify(%s, %s)", [CHANNEL, json.dumps(["ping", ping])]
                        )
                        sent_at, heard = now, False
                    elif not heard and now - sent_at > ECHO_SECONDS:
                        raise Deaf("no echo of the listener's own word")
                    for note in conn.notifies(timeout=0.5):
                        try:
                            topic, key = json.loads(note.payload)
                        except ValueError:
                            continue
                        if topic == "ping":
                            if key == ping:
                                heard = True
                                _connected.set()  # from the first echo on: word arrives
                            continue
                        _run(topic, key)
        except Exception as error:  # the database went away: forget, retry, never crash
            log.warning("bus listener: %s; reconnecting", error.__class__.__name__)
        finally:
            _connected.clear()
            _run_all()
        if not _stop.is_set():
            time.sleep(backoff)
            backoff = min(backoff * 2, 10)


class Memo:
    """Rows kept in this process's memory under ``topic`` while ``listening()``: at most
    ``size`` of them, each for at most ``seconds`` (a backstop; changes arrive by word)."""

    def __init__(self, topic: str, *, seconds: float = 60, size: int = 20_000):
        self.topic, self.seconds, self.size = topic, seconds, size
        self._rows: dict = {}
        on(topic, self.forget)

    def forget(self, key) -> None:
        if key is None:
            self._rows.clear()
        else:
            self._rows.pop(key, None)

    def get(self, key):
        """The kept value, or ``None``."""
        if not _connected.is_set():
            return None
        kept = self._rows.get(key)
        if kept is None or time.monotonic() - kept[0] > self.seconds:
            return None
        return kept[1]

    def fetch(self, key, read: Callable[[], object]) -> tuple[object, bool]:
        """(the kept value, True), or (``read()``, False) — kept if no word came meanwhile.
        ``read`` returns ``None`` for "no such row", which is never kept."""
        kept = self.get(key)
        if kept is not None:
            return kept, True
        since = _generation
        value = read()
        if value is not None:
            self.put(key, value, since)
        return value, False

    def put(self, key, value, since: int) -> None:
        """Keep ``value`` read after ``generation()`` was ``since``, if no word came since."""
        if not _connected.is_set() or since != _generation:
            return
        if len(self._rows) >= self.size:
            self._rows.clear()
        self._rows[key] = (time.monotonic(), value)
        if since != _generation:  # word came between the check and the store: drop it again
            self._rows.pop(key, None)
