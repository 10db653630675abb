"""Per-process caches of a center's queue set-up and of who is at which window.

Issuing and calling a ticket need the center's routing (item → queue), its queues and windows,
its settings, and the hall's presence (open windows, away notices). Reading those on every
request costs more than the ticket itself, and they change a few times a day. So each process
keeps them, and drops them:

- at once, in this process, when any row they come from is saved or deleted (Django signals on
  the hall's windows, posts, attendance and away notices, the catalogue's entries and items,
  and the queue's own set-up);
- at commit, in every other process, through the push carrier (PostgreSQL: a ``pg_notify`` in
  the same transaction; its listener thread clears the caches when it hears it);
- after ``CONFIG_TTL`` / ``PRESENCE_TTL`` seconds in any case, as a backstop.

What is never cached: the tickets themselves, and the "is this window open?" check before a
call (one indexed query), so that a clerk who has just opened a window can call at once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

# Backstops only: every change that matters is dropped by signal or pg_notify at once, and
# nothing here depends on the clock. At 5 s the presence of 60 centers was rebuilt by each of
# three processes about once a ticket cycle under load (docs/benchmarks.md, Queue).
CONFIG_TTL = 300.0
PRESENCE_TTL = 60.0
STATS_TTL = 10.0

_lock = threading.Lock()
_generation = 0
_config: dict[int, tuple[float, int, object]] = {}
_presence: dict[int, tuple[float, int, object]] = {}
_stats: dict[tuple, tuple[float, object]] = {}


def _clock() -> float:
    return time.perf_counter()


def generation() -> int:
    return _generation


def clear() -> None:
    """Drop everything (a set-up changed somewhere; tests)."""
    global _generation
    with _lock:
        _generation += 1
        _config.clear()
        _presence.clear()
        _stats.clear()


def get_config(center_id: int, build):
    return _get(_config, center_id, CONFIG_TTL, build)


def get_presence(center_id: int, build):
    return _get(_presence, center_id, PRESENCE_TTL, build)


def _get(store: dict, key: int, ttl: float, build):
    now = _clock()
    gen = _generation
    entry = store.get(key)
    if entry is not None and entry[0] > now and entry[1] == gen:
        return entry[2]
    value = build()
    with _lock:
        if _generation == gen:  # nothing changed while building: keep it
            store[key] = (now + ttl, gen, value)
    return value


def get_stat(key: tuple, build, ttl: float = STATS_TTL):
    now = _clock()
    entry = _stats.get(key)
    if entry is not None and entry[0] > now:
        return entry[1]
    value = build()
    _stats[key] = (now + ttl, value)
    return value


def drop_stat(key: tuple) -> None:
    _stats.pop(key, None)


@dataclass
class WindowInfo:
    id: int
    number: int
    name: str
    kind: str


@dataclass
class CenterConfig:
    """A center's queue set-up: what ``route`` and ``presence`` need, read once."""

    center_id: int
    queues: dict = field(default_factory=dict)  # id → Queue (active)
    by_letter: dict = field(default_factory=dict)  # letter → Queue
    windows: dict = field(default_factory=dict)  # id → WindowInfo (active)
    window_queues: dict = field(default_factory=dict)  # window id → set of queue ids
    queue_windows: dict = field(default_factory=dict)  # queue id → set of window ids
    enquiry_window: int | None = None
    item_queue: dict = field(default_factory=dict)  # entered item id → queue id (or None)
    settings: object = None
