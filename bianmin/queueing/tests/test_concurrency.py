"""Exactly once: 20 clerks call in parallel over 2,200 tickets of one queue.

2,000 tickets wait when the clerks start; two kiosks issue 200 more while they call. Every
thread has its own database connection. On PostgreSQL the clerks race through
``SELECT … FOR UPDATE SKIP LOCKED``; on SQLite (a file in WAL mode, as deployed) their
``BEGIN IMMEDIATE`` transactions queue on the write lock. Either way every ticket must be
called exactly once, none skipped, and the numbers must run 1…2200 without a gap or a twin.

The calls go through ``services.call_next``; each clerk then clears the window with a plain
update (how a ticket leaves the window is not what is tested, and it keeps the test short).
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
import time
from collections import Counter

import pytest
from django.db import connections
from django.utils import timezone

from bianmin.catalog.models import Domain
from bianmin.hall import services as hall
from bianmin.hall.models import Window
from bianmin.identity.roles import Role
from bianmin.queueing import services
from bianmin.queueing.models import Channel, QueueDay, QueueEvent, Ticket, Visit

CLERKS = 20
KIOSKS = 2
WAITING = 2000
ISSUED_DURING = 200
TICKETS = WAITING + ISSUED_DURING


@pytest.fixture
def twenty_windows(file_database, muchang, make_user, domains, entered):
    manager = make_user(Role.CENTER_MANAGER, center=muchang)
    clerks = [make_user(Role.WINDOW_CLERK, center=muchang) for _ in range(CLERKS)]
    social_security = list(Domain.objects.filter(window_group="social_security"))
    hall.create_window(manager, muchang, number=99, name="综合咨询窗口", kind=Window.Kind.ENQUIRY)
    windows = []
    for i, clerk in enumerate(clerks):
        window = hall.create_window(
            manager,
            muchang,
            number=i + 1,
            name=f"社会保障类综合窗口{i + 1}",
            kind=Window.Kind.DOMAIN,
            domains=social_security,
        )
        hall.assign_post(manager, window, primary=clerk, backup=clerks[(i + 1) % CLERKS])
        hall.open_window(clerk, window)
        windows.append(window)
    queues = services.ensure_queues(muchang)
    assert [q.letter for q in queues] == ["A", "B"]  # the 20 windows share queue B
    return manager, list(zip(clerks, windows, strict=True))


def _waiting_tickets(center, queue, n: int) -> None:
    """``n`` tickets already waiting (as if issued since the morning), numbered 1…n."""
    now = timezone.now()
    day = timezone.localdate(now)
    Ticket.objects.bulk_create(
        Ticket(
            center=center,
            day=day,
            issued_queue=queue,
            number=i,
            code=f"{queue.letter}{i:03d}",
            public_id=secrets.token_urlsafe(9),
            queue=queue,
            lane=Ticket.Lane.PRIORITY if i % 7 == 0 else Ticket.Lane.NORMAL,
            priority_reason="elderly" if i % 7 == 0 else "",
            place_at=now - dt.timedelta(seconds=n - i),
            ready_at=now - dt.timedelta(seconds=n - i),
            purpose=Ticket.Purpose.ENQUIRY,
            channel=Channel.KIOSK,
            issued_at=now - dt.timedelta(seconds=n - i),
        )
        for i in range(1, n + 1)
    )
    QueueDay.objects.create(queue=queue, day=day, last_number=n)


def test_twenty_clerks_call_every_ticket_exactly_once(twenty_windows, muchang, entered):
    manager, desks = twenty_windows
    queue = muchang.queues.get(letter="B")
    _waiting_tickets(muchang, queue, WAITING)
    pension = entered["pension"]
    issued_all = threading.Event()
    errors: list[BaseException] = []
    called: list[list[int]] = [[] for _ in desks]

    def kiosk(k: int) -> None:
        try:
            for n in range(ISSUED_DURING // KIOSKS):
                services.issue_ticket(
                    muchang,
                    channel=Channel.KIOSK,
                    actor=manager,
                    item=pension,
                    idempotency_key=f"kiosk{k}-{n}",
                )
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    def clerk(i: int) -> None:
        user, window = desks[i]
        try:
            while not errors:
                ticket = services.call_next(user, window)
                if ticket is None:
                    if issued_all.is_set() and not Ticket.objects.filter(status="waiting").exists():
                        return
                    time.sleep(0.05)  # an idle clerk looks again a moment later
                    continue
                called[i].append(ticket.pk)
                Ticket.objects.filter(pk=ticket.pk).update(status="done")
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    started = time.monotonic()
    kiosks = [threading.Thread(target=kiosk, args=(k,)) for k in range(KIOSKS)]
    clerks = [threading.Thread(target=clerk, args=(i,)) for i in range(CLERKS)]
    for t in clerks + kiosks:
        t.start()
    for t in kiosks:
        t.join()
    issued_all.set()
    for t in clerks:
        t.join(timeout=300)
    elapsed = time.monotonic() - started
    assert not errors, errors[0]

    every_call = [pk for calls in called for pk in calls]
    twice = [pk for pk, n in Counter(every_call).items() if n > 1]
    assert twice == []
    tickets = Ticket.objects.filter(center=muchang)
    assert tickets.count() == TICKETS
    assert set(every_call) == set(tickets.values_list("pk", flat=True))  # none skipped
    assert sorted(tickets.values_list("number", flat=True)) == list(range(1, TICKETS + 1))
    assert tickets.exclude(status="done").count() == 0
    assert QueueEvent.objects.filter(kind="called").count() == TICKETS
    assert Visit.objects.count() == TICKETS
    busy = sum(1 for calls in called if calls)
    assert busy >= CLERKS // 2, f"only {busy} clerks got tickets"
    print(f"\n{TICKETS} tickets, {CLERKS} clerks, {KIOSKS} kiosks: {elapsed:.1f} s")
