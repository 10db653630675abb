"""The one notification interface: SMS to applicants, in-app messages to staff.

``notify_staff`` / ``notify_applicant`` write a ``Notification`` row in the caller's transaction
(its unique ``key`` makes a repeated timer send once) and hand it to the backend after the
commit. The backend is chosen by ``settings.BIANMIN_NOTIFICATION_BACKEND`` (a dotted path):

- ``bianmin.cases.notifications.ConsoleFileBackend`` (default, and in tests): logs each message
  (personal data masked by the log filter) and appends it to ``var/notifications.log``;
- a real SMS gateway implements ``send(notification)`` the same way.

Messages never contain identity numbers; phone numbers appear masked.

**Delivery.** Without an outbox the rows go to the backend right after the commit, in the
request that wrote them. `bianmin serve` starts an outbox in each app process (``start_outbox``):
after the commit the rows are handed to it, and one thread sends whatever has come every half
second, marking a batch sent in one statement — a clerk's acceptance no longer waits for the
gateway. A row is claimed (``sent_at`` set where it was empty) before it is sent, so an outbox
and the scheduler's ``send_pending`` (rows left unsent for more than ``PENDING_AFTER``: a gateway
down, a process gone) never both send it; a refused row is given back for the next round; an
outbox sends what it holds when its process exits.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import threading
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from bianmin.common import rows as sql_rows
from bianmin.identity.models import User
from bianmin.identity.roles import Role

from .models import Case, Notification

log = logging.getLogger("bianmin.cases.notifications")
DEFAULT_BACKEND = "bianmin.cases.notifications.ConsoleFileBackend"


class ConsoleFileBackend:
    """Writes each message to the log and to ``<var>/notifications.log``, one line each.

    A backend has ``send(notification)``; it may also have ``send_many(notifications)`` for a
    batch (this one opens its file once per batch), which raises if any message was not sent."""

    def _line(self, notification: Notification) -> str:
        to = (
            f"user:{notification.user}"
            if notification.user_id
            else f"sms:{notification.person.mobile_masked or '-'}"
        )
        line = f"{timezone.localtime():%Y-%m-%d %H:%M:%S} [{notification.channel}] {to} {notification.text}"
        log.info(line)
        return line + "\n"

    def send(self, notification: Notification) -> None:
        self.send_many([notification])

    def send_many(self, notifications: list[Notification]) -> None:
        lines = "".join(self._line(n) for n in notifications)
        with open(settings.VAR_DIR / "notifications.log", "a", encoding="utf-8") as out:
            out.write(lines)


def backend():
    return import_string(getattr(settings, "BIANMIN_NOTIFICATION_BACKEND", DEFAULT_BACKEND))()


def _sent_at_sql(keys: list[str], *, claim: bool) -> tuple[str, list]:
    q = connection.ops.quote_name
    table, key, sent = q(Notification._meta.db_table), q("key"), q("sent_at")
    if connection.vendor == "postgresql":
        where, params = f"{key} = ANY(%s)", [keys]
    else:
        where, params = f"{key} IN ({', '.join(['%s'] * len(keys))})", list(keys)
    if claim:
        when = connection.ops.adapt_datetimefield_value(timezone.now())
        return (
            f"UPDATE {table} SET {sent} = %s WHERE {where} AND {sent} IS NULL RETURNING {key}",
            [when, *params],
        )
    return f"UPDATE {table} SET {sent} = NULL WHERE {where}", params


def _deliver(rows: list[Notification]) -> None:
    """Claim the rows (``sent_at`` set where it was empty), send the ones this caller claimed,
    and give back the ones the gateway refused. An outbox and the scheduler's ``send_pending``
    may both hold a row: only one of them sends it. (A process that dies between claiming and
    sending loses those messages: milliseconds with the file backend.)"""
    if not rows:
        return
    with sql_rows.cursor() as cursor:  # fixed statements (per batch size on SQLite)
        cursor.execute(*_sent_at_sql([n.key for n in rows], claim=True))
        claimed = {r[0] for r in cursor.fetchall()}
    sender = backend()
    mine = [n for n in rows if n.key in claimed]
    refused = []
    if len(mine) > 1 and hasattr(sender, "send_many"):
        try:
            sender.send_many(mine)
        except Exception:  # the batch goes back whole; send_pending tries each again
            log.exception("notifications %s not sent", ", ".join(n.key for n in mine))
            refused = [n.key for n in mine]
        mine = []
    for n in mine:
        try:
            sender.send(n)
        except Exception:  # a failing gateway must not break the request; the row stays unsent
            log.exception("notification %s not sent", n.key)
            refused.append(n.key)
    if refused:
        with sql_rows.cursor() as cursor:
            cursor.execute(*_sent_at_sql(refused, claim=False))


class Outbox:
    """This process's deliveries after their commit, sent by one thread every ``interval``."""

    def __init__(self, interval: float = 0.5):
        self.interval = interval
        self._pending: list[Notification] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bianmin-outbox", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def put(self, rows: list[Notification]) -> None:
        with self._lock:
            self._pending.extend(rows)

    def flush(self) -> int:
        with self._lock:
            batch, self._pending = self._pending, []
        if batch:
            try:
                _deliver(batch)
            except Exception:  # the database went away: the rows stay unsent, send_pending retries
                log.exception("outbox: %d notifications not marked sent", len(batch))
            finally:
                if not connection.in_atomic_block:
                    connection.close()  # back to the pool between batches
        return len(batch)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.flush()
        self.flush()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


_outbox: Outbox | None = None
_outbox_lock = threading.Lock()


def start_outbox(interval: float = 0.5) -> Outbox:
    """Deliver this process's notifications from a thread (`bianmin serve` calls it); what it
    holds when the process exits is sent on the way out."""
    global _outbox
    with _outbox_lock:
        if _outbox is None:
            _outbox = Outbox(interval)
            _outbox.start()
            atexit.register(stop_outbox)
        return _outbox


def stop_outbox() -> None:
    """Send what is left and go back to delivering in the request (tests)."""
    global _outbox
    with _outbox_lock:
        outbox, _outbox = _outbox, None
    if outbox is not None:
        outbox.stop()


def _hand_over(rows: list[Notification]) -> None:
    outbox = _outbox
    if outbox is not None:
        outbox.put(rows)
    else:
        _deliver(rows)


def _queue(rows: list[Notification]) -> list[Notification]:
    """Insert the rows (a key seen before is skipped) and send them once the transaction commits.

    Keys carry the case's event count, so two service calls never share one; the scheduler's
    ``send_pending`` retries whatever a failing gateway left unsent.
    """
    if not rows:
        return []
    sql_rows.insert(rows, unless_conflict_on="key", returning=False)
    transaction.on_commit(lambda: _hand_over(rows))
    return rows


#: A row unsent this long after it was written was not sent (a gateway down, a process gone).
PENDING_AFTER = dt.timedelta(seconds=30)


def send_pending(limit: int = 200) -> int:
    """Send notifications left unsent (a gateway was down); returns how many were tried."""
    rows = list(
        Notification.objects.filter(
            sent_at__isnull=True, created_at__lt=timezone.now() - PENDING_AFTER
        )
        .select_related("user", "person")
        .order_by("created_at")[:limit]
    )
    _deliver(rows)
    return len(rows)


def notify_staff(
    users: Iterable[User], *, case: Case, kind: str, text: str, now=None, key: str = ""
) -> list[Notification]:
    now = now or timezone.now()
    seen: set[int] = set()
    rows = []
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(
            sql_rows.new(
                Notification,
                key=f"{key or kind}:{case.pk}:{case.event_count}:u{user.pk}"[:120],
                channel=Notification.Channel.IN_APP,
                user=user,
                case=case,
                kind=kind,
                text=text[:500],
                created_at=now,
            )
        )
    return _queue(rows)


def applicant_contact(case: Case):
    """Whom an SMS about the case goes to: the applicant, the organisation's representative,
    or the proxy."""
    if case.person_id:
        return case.person
    if case.organisation_id and case.organisation.representative_id:
        return case.organisation.representative
    return case.proxy


def notify_applicant(case: Case, *, kind: str, text: str, now=None, key: str = ""):
    person = applicant_contact(case)
    if person is None:
        return []
    now = now or timezone.now()
    return _queue(
        [
            sql_rows.new(
                Notification,
                key=f"{key or kind}:{case.pk}:{case.event_count}:p{person.pk}"[:120],
                channel=Notification.Channel.SMS,
                person=person,
                case=case,
                kind=kind,
                text=text[:500],
                created_at=now,
            )
        ]
    )


def staff_of(case: Case, *, clerk=True, officer=True, manager=True) -> list[User]:
    """Who is told about a case's time: its clerk, its officer (or the department), managers."""
    people: list[User] = []
    if clerk and case.received_by_id:
        people.append(case.received_by)
    if officer:
        if case.officer_id:
            people.append(case.officer)
        elif case.department_id:
            people.extend(
                User.objects.filter(
                    department_id=case.department_id,
                    role=Role.BACK_OFFICE_OFFICER,
                    is_active=True,
                )
            )
    if manager:
        people.extend(
            User.objects.filter(center_id=case.center_id, role=Role.CENTER_MANAGER, is_active=True)
        )
    return people


def inbox(user: User, *, limit: int = 20):
    return (
        Notification.objects.filter(user=user)
        .select_related("case")
        .order_by("-created_at", "-id")[:limit]
    )
