"""The timers of cases: deemed acceptance, warnings, pledge reminders and breaches, overdue marks.

``run_timers(now)`` finds the cases whose moment has come (one indexed query per kind) and runs
the matching ``services`` timer on each, one transaction per case. It is idempotent and safe with
several processes: each timer locks the case row and re-checks its guard (already warned? still
received?) before it changes anything, so a second run or a second process does nothing, and a
notification's unique key stops a second message.

Two ways to run it:

- ``bianmin worker`` (management command): its own process, every ``--interval`` seconds;
- ``start_in_process(interval)``: a daemon thread for the embedded ``bianmin serve``; only one such
  thread per process, and on PostgreSQL an advisory lock lets one process of several do a round.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import Counter

from django.db import close_old_connections, connection
from django.utils import timezone

from bianmin.workdays.services import add_working_days

from . import deadlines, notifications, services
from .machine import CLOCK_STATES, PLEDGE_KEPT_OPEN, State
from .models import Case

log = logging.getLogger("bianmin.cases.scheduler")
BATCH = 500
ADVISORY_LOCK_ID = 0x62696D6E  # "bimn"


def _ids(qs) -> list[int]:
    return list(qs.order_by("pk").values_list("pk", flat=True)[:BATCH])


def due_work(now: dt.datetime) -> dict[str, list[int]]:
    """The cases each timer should look at now (the timer re-checks each under its lock)."""
    today = deadlines.local_date(now)
    tomorrow_workday = add_working_days(today, 1).date
    running = sorted(CLOCK_STATES)
    pledged = sorted(PLEDGE_KEPT_OPEN)  # a granted result waits for the pledged material too
    return {
        "deem_accepted": _ids(Case.objects.filter(state=State.RECEIVED, intake_deadline__lt=today)),
        # The warning comes on the last working day before the deadline (or on it).
        "warn_intake": _ids(
            Case.objects.filter(
                state=State.RECEIVED, intake_warned=False, intake_deadline__lte=tomorrow_workday
            )
        ),
        "pledge_overdue": _ids(
            Case.objects.filter(state__in=pledged, pledge_status="open", pledge_due__lt=today)
        ),
        "remind_pledge": _ids(
            Case.objects.filter(
                state__in=pledged,
                pledge_status="open",
                pledge_reminded=False,
                pledge_due__lte=tomorrow_workday,
            )
        ),
        # Few cases, each checked against its item's grace period: no batch limit.
        "terminate": list(
            Case.objects.filter(state=State.SUSPENDED, pledge_status="overdue")
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
        "warn_deadline": _ids(
            Case.objects.filter(state__in=running, yellow_warned=False, warn_at__lte=now)
        ),
        "mark_overdue": _ids(
            Case.objects.filter(state__in=running, overdue_marked=False, due_at__lt=now)
        ),
    }


RUNNERS = {
    "deem_accepted": services.deem_accepted,
    "warn_intake": services.warn_intake,
    "pledge_overdue": services.pledge_overdue,
    "remind_pledge": services.remind_pledge,
    "terminate": services.terminate_broken_pledge,
    "warn_deadline": services.warn_deadline,
    "mark_overdue": services.mark_overdue,
}


# Timers of apps above this one (ratings: SMS invitations, escalations, default rule), run in
# the same round, thread and process: each takes ``now`` and returns a Counter. An app
# registers its own in its AppConfig.ready.
MORE_TIMERS: list = []


def run_timers(now: dt.datetime | None = None) -> Counter:
    """One round: every timer whose moment has come; returns how many rows each one changed."""
    now = now or timezone.now()
    done: Counter = Counter()
    for more in MORE_TIMERS:
        try:
            done.update(more(now))
        except Exception:  # one app's timers must not stop the others
            log.exception("timers %s failed", getattr(more, "__module__", more))
    for name, ids in due_work(now).items():
        runner = RUNNERS[name]
        for pk in ids:
            try:
                if runner(pk, now=now) is not None:
                    done[name] += 1
            except Case.DoesNotExist:
                continue
            except Exception:  # one bad case must not stop the round
                log.exception("timer %s failed for case %s", name, pk)
    notifications.send_pending()
    return done


def run_round(now: dt.datetime | None = None) -> Counter:
    """A round guarded by the advisory lock (timers stay correct without it: it saves work)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_ID])
            if not cursor.fetchone()[0]:
                return Counter()
        try:
            return run_timers(now)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_ID])
    return run_timers(now)


_thread: threading.Thread | None = None
_stop = threading.Event()


def _loop(interval: float) -> None:
    while not _stop.is_set():
        try:
            close_old_connections()
            done = run_round()
            if done:
                log.info("case timers: %s", dict(done))
        except Exception:
            log.exception("case timers failed")
        finally:
            close_old_connections()
        _stop.wait(interval)


def start_in_process(interval: float = 60.0) -> threading.Thread:
    """Start the timers in a daemon thread of this process (idempotent: one thread at most)."""
    global _thread
    if _thread is not None and _thread.is_alive():
        return _thread
    _stop.clear()
    _thread = threading.Thread(target=_loop, args=(interval,), name="case-timers", daemon=True)
    _thread.start()
    return _thread


def stop_in_process(timeout: float = 5.0) -> None:
    _stop.set()
    if _thread is not None:
        _thread.join(timeout)
