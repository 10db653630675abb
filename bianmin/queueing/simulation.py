"""A realistic day at a center, replayed through the real services on a virtual clock.

``simulate_day(center, day=…)`` drives arrivals, kiosks, clerks and the hall through the same
service functions the pages and the API call (``issue_ticket``, ``call_next``, ``recall``,
``start_service``, ``hold``, ``transfer``, ``finish_service``, ``mark_no_show``,
``check_in``, the hall's ``open_window``, ``go_away``, ``come_back`` …), each with the virtual
``now``. It is a discrete-event simulation: the clock jumps from one event to the next, so a
day takes seconds.

The day (all numbers from the township practice the policy describes, and tunable):

- arrivals as a Poisson process whose rate follows the hall's day: a morning peak from 9 to
  10:30, a quieter late morning, the lunch break (closed), an afternoon hump; about 40 people
  per open window and day;
- what they come for: the items entered at the center, weighted by frequency class (high 6,
  seasonal 3, forwarded 2, low 1), 12 % "咨询" and 3 % a life event;
- 25 % key in their identity number at the kiosk; the birth years make about a third of those
  60 or over (the priority lane); 3 % declare a disability, a pregnancy or military service;
- appointments booked the day before for about a tenth of the slots; 85 % of them come within
  20 minutes of their time, the rest do not come;
- service times log-normal around 3 minutes at the enquiry window and 6 at domain windows;
  20–60 s from the call to the window; 4 % do not come when called (two recalls, then
  no-show); 3 % are put on hold and come back 5–10 minutes later; 6 % of the enquiry window's
  visitors are transferred to a domain queue;
- visits end 70 % as enquiries, 25 % with a case, 5 % referred with a contact;
- at 10:00 the primary clerk of the second domain window (木厂镇: 张敏, window 3) leaves for a
  40-minute training: her backup's window serves her post meanwhile (journey 3).

The wait estimate shown on each ticket is kept (``Ticket.estimate_seconds``), so the day's
figures give its error against the waits that followed.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import math
import random
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bianmin.catalog.models import LifeEvent
from bianmin.catalog.selectors import entered_items
from bianmin.hall import services as hall
from bianmin.hall.models import Attendance, OpeningHours, Window
from bianmin.identity.validators import id_check_char
from bianmin.org.models import Center

from . import services
from .models import Appointment, AppointmentSlot, Channel, Ticket

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = [
    "建国",
    "秀英",
    "桂兰",
    "玉兰",
    "志强",
    "海燕",
    "明",
    "静",
    "伟",
    "芳",
    "军",
    "丽",
    "强",
    "敏",
    "洋",
    "磊",
    "婷",
    "勇",
]
# Relative arrival rate by half hour of the day (the lunch break is closed anyway).
PROFILE = {
    (8, 30): 0.8,
    (9, 0): 1.6,
    (9, 30): 1.7,
    (10, 0): 1.5,
    (10, 30): 1.0,
    (11, 0): 0.8,
    (11, 30): 0.5,
    (14, 30): 0.9,
    (15, 0): 1.1,
    (15, 30): 1.0,
    (16, 0): 0.7,
    (16, 30): 0.5,
    (17, 0): 0.3,
}


@dataclass
class Result:
    day: dt.date
    arrivals: int = 0
    issued: int = 0
    served: int = 0
    no_shows: int = 0
    transfers: int = 0
    holds: int = 0
    appointments_booked: int = 0
    appointments_kept: int = 0
    refused: dict = field(default_factory=dict)
    errors_seconds: list = field(default_factory=list)  # actual wait − estimate, per ticket
    waits_seconds: list = field(default_factory=list)

    def note_refusal(self, message: str) -> None:
        self.refused[message] = self.refused.get(message, 0) + 1

    @property
    def estimate_error(self) -> dict:
        errors = [abs(e) for e in self.errors_seconds]
        if not errors:
            return {"n": 0}
        ordered = sorted(errors)
        return {
            "n": len(errors),
            "mean_abs_minutes": round(statistics.fmean(errors) / 60, 1),
            "median_abs_minutes": round(statistics.median(errors) / 60, 1),
            "p90_abs_minutes": round(ordered[int(0.9 * (len(ordered) - 1))] / 60, 1),
            "bias_minutes": round(statistics.fmean(self.errors_seconds) / 60, 1),
            "within_5_minutes_percent": round(100 * sum(e <= 300 for e in errors) / len(errors)),
            "mean_wait_minutes": round(statistics.fmean(self.waits_seconds) / 60, 1),
        }


def _identity_number(rng: random.Random, birth_year: int) -> str:
    birth = dt.date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
    first17 = "341502" + birth.strftime("%Y%m%d") + f"{rng.randint(0, 999):03d}"
    return first17 + id_check_char(first17)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _sessions(center: Center, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    row = OpeningHours.objects.filter(center=center, weekday=day.weekday()).first()
    times = (
        [(row.morning_opens, row.morning_closes), (row.afternoon_opens, row.afternoon_closes)]
        if row
        else [(dt.time(8, 30), dt.time(12)), (dt.time(14, 30), dt.time(17, 30))]
    )
    return [
        (
            timezone.make_aware(dt.datetime.combine(day, a)),
            timezone.make_aware(dt.datetime.combine(day, b)),
        )
        for a, b in times
        if a and b
    ]


def _rate_at(moment: dt.datetime) -> float:
    local = timezone.localtime(moment)
    key = (local.hour, 0 if local.minute < 30 else 30)
    return PROFILE.get(key, 0.0)


class Simulation:
    def __init__(
        self,
        center: Center,
        day: dt.date,
        *,
        seed: int = 1,
        per_window: float = 40.0,
        until: dt.time | None = None,
        progress: Callable[[int, int], None] | None = None,
    ):
        self.center = center
        self.day = day
        self.rng = random.Random(seed)
        self.per_window = per_window
        self.progress = progress
        self.result = Result(day)
        self.sessions = _sessions(center, day)
        self.until = (
            timezone.make_aware(dt.datetime.combine(day, until)) if until else self.sessions[-1][1]
        )
        self.events: list = []
        self.seq = itertools.count()
        self.windows = list(
            Window.objects.filter(center=center, active=True, post__isnull=False)
            .select_related("post__primary", "post__backup")
            .order_by("number")
        )
        if not self.windows:
            raise ValidationError(
                {"center": [f"{center.name} has no staffed windows: set up the hall first."]}
            )
        self.busy: dict[int, Ticket | None] = {w.pk: None for w in self.windows}
        self.returned_holds: dict[int, list[Ticket]] = {w.pk: [] for w in self.windows}
        self.away_clerk = None
        self.leaving: int | None = None  # a window whose clerk leaves once the person is served
        items = list(entered_items(center))
        weights = {"high": 6, "seasonal": 3, "forwarded": 2, "low": 1}
        self.items = items
        self.item_weights = [weights.get(i.frequency, 1) for i in items]
        self.events_of_center = list(LifeEvent.objects.filter(items__in=items).distinct())
        self.queues = services.ensure_queues(center)

    # --- the event queue --------------------------------------------------------------------

    def at(self, moment: dt.datetime, kind: str, *payload) -> None:
        heapq.heappush(self.events, (moment, next(self.seq), kind, payload))

    def run(self) -> Result:
        self._plan()
        total = sum(1 for e in self.events if e[2] in ("arrive", "appointment"))
        self.result.arrivals = total
        done = 0
        while self.events:
            moment, _seq, kind, payload = heapq.heappop(self.events)
            if moment > self.until:
                break
            if kind in ("arrive", "appointment"):
                done += 1
                if self.progress:
                    self.progress(done, total)
            try:
                getattr(self, f"on_{kind}")(moment, *payload)
            except (ValidationError, PermissionDenied) as error:
                message = error.messages[0] if hasattr(error, "messages") else str(error)
                self.result.note_refusal(message)
        if self.progress and done < total:
            self.progress(total, total)
        if self.until >= self.sessions[-1][1]:
            services.record_no_shows(self.center, now=self.until + dt.timedelta(hours=1))
        self._collect()
        return self.result

    # --- the plan of the day -----------------------------------------------------------------

    def _plan(self) -> None:
        # Replaying a day that has begun already: whoever is at a window is served first.
        for ticket in Ticket.objects.filter(
            center=self.center,
            day=self.day,
            status__in=Ticket.OPEN_STATUSES,
            window__in=self.windows,
        ).select_related("clerk", "window"):
            window = next(w for w in self.windows if w.pk == ticket.window_id)
            self.busy[window.pk] = ticket
            at = max(self.sessions[0][0], ticket.called_at) + dt.timedelta(minutes=1)
            self.at(at, "finish", window, ticket, ticket.clerk)
        for opens, closes in self.sessions:
            for window in self.windows:
                self.at(opens, "open", window)
                self.at(closes, "close", window)
        open_windows = len(self.windows)
        weight_total = sum(
            _rate_at(opens + dt.timedelta(minutes=m)) / 60
            for opens, closes in self.sessions
            for m in range(int((closes - opens).total_seconds() // 60))
        )
        people_per_rate_hour = self.per_window * open_windows / max(weight_total, 1e-9)
        for opens, closes in self.sessions:
            moment = opens
            while True:
                per_second = people_per_rate_hour * _rate_at(moment) / 3600
                if per_second <= 0:
                    moment += dt.timedelta(minutes=5)
                else:
                    moment += dt.timedelta(seconds=self.rng.expovariate(per_second))
                if moment >= closes - dt.timedelta(minutes=10):
                    break
                self.at(moment, "arrive")
        self._plan_appointments()
        self._plan_away()

    def _plan_appointments(self) -> None:
        slots = list(AppointmentSlot.objects.filter(center=self.center, day=self.day))
        if not slots:
            services.generate_slots(None, self.center, days=[self.day], minutes=30, capacity=2)
            slots = list(AppointmentSlot.objects.filter(center=self.center, day=self.day))
        evening_before = timezone.make_aware(
            dt.datetime.combine(self.day - dt.timedelta(days=1), dt.time(19))
        )
        for slot in slots:
            for _ in range(slot.capacity - slot.booked):
                if self.rng.random() > 0.1:
                    continue
                year = self.rng.randint(1950, 2000)
                try:
                    booking = services.book_appointment(
                        slot,
                        name=_name(self.rng),
                        id_number=_identity_number(self.rng, year),
                        channel=Channel.PORTAL,
                        now=evening_before,
                    )
                except ValidationError as error:
                    self.result.note_refusal(error.messages[0])
                    continue
                self.result.appointments_booked += 1
                if self.rng.random() < 0.85:
                    start = timezone.make_aware(dt.datetime.combine(self.day, slot.starts))
                    self.at(
                        start + dt.timedelta(minutes=self.rng.uniform(-20, 20)),
                        "appointment",
                        booking,
                    )

    def _plan_away(self) -> None:
        domain = [w for w in self.windows if w.kind == Window.Kind.DOMAIN]
        if len(domain) < 2:
            return
        window = domain[1]
        leave = timezone.make_aware(dt.datetime.combine(self.day, dt.time(10)))
        self.at(leave, "away", window)

    # --- the people ------------------------------------------------------------------------

    def _kiosk_choice(self) -> dict:
        roll = self.rng.random()
        if roll < 0.12 or not self.items:
            return {}
        if roll < 0.15 and self.events_of_center:
            return {"life_event": self.rng.choice(self.events_of_center)}
        return {"item": self.rng.choices(self.items, weights=self.item_weights)[0]}

    def on_arrive(self, now: dt.datetime) -> None:
        choice = self._kiosk_choice()
        extra = {}
        if self.rng.random() < 0.25:
            year = self.rng.choice(
                [
                    self.rng.randint(1940, 1965),
                    self.rng.randint(1966, 2004),
                    self.rng.randint(1966, 2004),
                ]
            )
            extra["id_number"] = _identity_number(self.rng, year)
        if self.rng.random() < 0.03:
            extra["priority"] = self.rng.choice(["disabled", "pregnant", "veteran"])
        # The kiosk's own identity is the device; the replay has none, so it issues as the
        # portal channel does (anyone may take a ticket) and records the channel as such.
        services.issue_ticket(self.center, channel=Channel.PORTAL, now=now, **choice, **extra)
        self.result.issued += 1
        self._wake(now)

    def on_appointment(self, now: dt.datetime, booking: Appointment) -> None:
        services.check_in(self.center, code=booking.code, channel=Channel.PORTAL, now=now)
        self.result.appointments_kept += 1
        self.result.issued += 1
        self._wake(now)

    # --- the clerks ------------------------------------------------------------------------

    def _clerk(self, window: Window):
        attendance = Attendance.objects.filter(window=window, closed_at__isnull=True).first()
        return attendance.clerk if attendance else None

    def _wake(self, now: dt.datetime) -> None:
        for window in self.windows:
            if self.busy[window.pk] is None:
                self.at(now, "try_call", window)

    def on_open(self, now: dt.datetime, window: Window) -> None:
        clerk = window.post.primary
        if self.away_clerk is not None and clerk.pk == self.away_clerk.pk:
            clerk = window.post.backup
        if not Attendance.objects.filter(window=window, closed_at__isnull=True).exists():
            hall.open_window(clerk, window, now=now)
        self.at(now, "try_call", window)

    def on_close(self, now: dt.datetime, window: Window) -> None:
        if self.busy[window.pk] is not None:  # finish the person at the window first
            self.at(now + dt.timedelta(minutes=2), "close", window)
            return
        clerk = self._clerk(window)
        if clerk is not None:
            hall.close_window(clerk, window, now=now)

    def on_away(self, now: dt.datetime, window: Window) -> None:
        if self.busy[window.pk] is not None:  # she finishes with the person at her window first
            self.leaving = window.pk
            self.at(now + dt.timedelta(minutes=1), "away", window)
            return
        self.leaving = None
        clerk = window.post.primary
        hall.go_away(
            clerk,
            reason="参加业务培训",
            destination="三楼会议室",
            expected_return_at=now + dt.timedelta(minutes=40),
            now=now,
        )
        self.away_clerk = clerk
        self.at(now + dt.timedelta(minutes=40), "back", window)
        self._wake(now)

    def on_back(self, now: dt.datetime, window: Window) -> None:
        hall.come_back(window.post.primary, returned_at=now)
        self.away_clerk = None
        self.at(now, "try_call", window)

    def _open_now(self, window: Window, now: dt.datetime) -> bool:
        return any(a <= now < b - dt.timedelta(minutes=1) for a, b in self.sessions)

    def on_try_call(self, now: dt.datetime, window: Window) -> None:
        if self.busy[window.pk] is not None or not self._open_now(window, now):
            return
        if self.leaving == window.pk:
            return
        clerk = self._clerk(window)
        if clerk is None or (self.away_clerk is not None and clerk.pk == self.away_clerk.pk):
            return
        if self.returned_holds[window.pk]:
            ticket = self.returned_holds[window.pk].pop(0)
            ticket = services.call_back(clerk, ticket, window, now=now)
        else:
            ticket = services.call_next(clerk, window, now=now)
        if ticket is None:
            return
        self.busy[window.pk] = ticket
        if self.rng.random() < 0.04 and ticket.recall_count == 0 and not ticket.transfer_count:
            self.at(now + dt.timedelta(seconds=45), "recall", window, ticket, clerk)
            return
        self.at(
            now + dt.timedelta(seconds=self.rng.uniform(20, 60)), "start", window, ticket, clerk
        )

    def on_recall(self, now, window, ticket, clerk) -> None:
        if ticket.recall_count >= services.selectors.settings_for(self.center).recall_limit:
            services.mark_no_show(clerk, ticket, now=now)
            self.result.no_shows += 1
            self.busy[window.pk] = None
            self.at(now, "try_call", window)
            return
        ticket = services.recall(clerk, ticket, now=now)
        self.at(now + dt.timedelta(seconds=45), "recall", window, ticket, clerk)

    def _service_seconds(self, window: Window) -> float:
        mean = 180 if window.kind == Window.Kind.ENQUIRY else 360
        sigma = 0.5
        return self.rng.lognormvariate(math.log(mean) - sigma**2 / 2, sigma)

    def on_start(self, now, window, ticket, clerk) -> None:
        ticket = services.start_service(clerk, ticket, now=now)
        roll = self.rng.random()
        if roll < 0.03:
            self.at(now + dt.timedelta(minutes=2), "hold", window, ticket, clerk)
        elif window.kind == Window.Kind.ENQUIRY and roll < 0.09 and len(self.queues) > 1:
            self.at(now + dt.timedelta(minutes=2), "transfer", window, ticket, clerk)
        else:
            self.at(
                now + dt.timedelta(seconds=self._service_seconds(window)),
                "finish",
                window,
                ticket,
                clerk,
            )

    def on_hold(self, now, window, ticket, clerk) -> None:
        services.hold(clerk, ticket, note="去复印材料", now=now)
        self.result.holds += 1
        self.busy[window.pk] = None
        self.at(now + dt.timedelta(minutes=self.rng.uniform(5, 10)), "returned", window, ticket)
        self.at(now, "try_call", window)

    def on_returned(self, now, window, ticket) -> None:
        self.returned_holds[window.pk].append(ticket)
        self.at(now, "try_call", window)

    def on_transfer(self, now, window, ticket, clerk) -> None:
        targets = [q for q in self.queues if q.pk != ticket.queue_id and q.letter != "A"]
        if not targets:
            self.at(now, "finish", window, ticket, clerk)
            return
        services.transfer(
            clerk, ticket, to_queue=self.rng.choice(targets), note="需到业务窗口办理", now=now
        )
        self.result.transfers += 1
        self.busy[window.pk] = None
        self._wake(now)

    def on_finish(self, now, window, ticket, clerk) -> None:
        roll = self.rng.random()
        if roll < 0.70:
            services.finish_service(clerk, ticket, now=now)
        elif roll < 0.95:
            services.finish_service(
                clerk,
                ticket,
                outcome="case",
                case_reference=f"{self.day:%Y%m%d}-{ticket.pk:04d}",
                now=now,
            )
        else:
            services.finish_service(
                clerk,
                ticket,
                outcome="referred",
                referred_to="金安区政务服务中心",
                contact_name=_name(self.rng),
                contact_mobile=f"139{self.rng.randint(0, 99999999):08d}",
                now=now,
            )
        self.result.served += 1
        self.busy[window.pk] = None
        self.at(now, "try_call", window)

    def _collect(self) -> None:
        for wait, estimate in Ticket.objects.filter(
            center=self.center, day=self.day, wait_seconds__isnull=False
        ).values_list("wait_seconds", "estimate_seconds"):
            self.result.waits_seconds.append(wait)
            if estimate is not None:
                self.result.errors_seconds.append(wait - estimate)


def simulate_day(
    center: Center,
    *,
    day: dt.date | None = None,
    seed: int = 1,
    per_window: float = 40.0,
    until: dt.time | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Result:
    """Replay a day at ``center`` (default today) through the services; see the module doc."""
    day = day or timezone.localdate()
    with transaction.atomic():
        services.ensure_queues(center)
        # A day replayed after another starts as a real morning does: what the day before left
        # open (a ticket at a window at closing time, a booking not kept) is closed first.
        services.close_day(
            center, before=day, now=timezone.make_aware(dt.datetime.combine(day, dt.time(7)))
        )
    return Simulation(
        center, day, seed=seed, per_window=per_window, until=until, progress=progress
    ).run()
