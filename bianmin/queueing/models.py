"""The walk-in queue: queues, tickets, visits, appointments, the day's counters and the event log.

What the database holds here (so that no code path can break it):

- a queue's letter is unique in its center; a ticket's number is unique per center, issuing
  queue and day (B007 exists once a day), and a day's counter row is unique per queue and day;
- a window has at most one open ticket (called or being served): two clerks pressing "call" at
  one window, or one clerk pressing twice, cannot hold two people at once;
- one idempotency key gives one ticket per center (and one booking per center);
- an appointment slot never holds more bookings than its capacity;
- a visit's outcome is set exactly when it ends, and a referral names where to;
- the event log (``QueueEvent``) is append-only.

Workflows live in ``services.py``; reads in ``selectors.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from bianmin.catalog.models import LifeEvent, ServiceItem
from bianmin.hall.models import Window
from bianmin.identity.models import Device, Person
from bianmin.org.models import Center


class Channel(models.TextChoices):
    KIOSK = "kiosk", _("Kiosk")
    CLERK = "clerk", _("At a window")
    PORTAL = "portal", _("Portal")
    API = "api", _("API")
    APPOINTMENT = "appointment", _("Appointment check-in")
    SYSTEM = "system", _("System")


class PriorityReason(models.TextChoices):
    """绿色通道 (policy 二12): who is served first."""

    ELDERLY = "elderly", _("Aged 60 or over")
    DISABLED = "disabled", _("Disabled")
    PREGNANT = "pregnant", _("Pregnant")
    VETERAN = "veteran", _("Serviceman or veteran")
    GROUP = "group", _("Group set by the center")


class QueueSettings(models.Model):
    """A center's queue rules. One row per center, created with the defaults on first use."""

    center = models.OneToOneField(Center, on_delete=models.CASCADE, related_name="queue_settings")
    priority_cap = models.PositiveSmallIntegerField(
        _("priority calls in a row at most"),
        default=2,
        help_text=_("After this many priority tickets in a row, a window calls a normal ticket."),
    )
    recall_limit = models.PositiveSmallIntegerField(
        _("recalls before a no-show"),
        default=2,
        help_text=_("A called ticket may be marked no-show after this many recalls."),
    )
    priority_age = models.PositiveSmallIntegerField(_("priority from age"), default=60)
    checkin_early_minutes = models.PositiveSmallIntegerField(
        _("check-in opens (minutes before the slot)"), default=30
    )
    checkin_late_minutes = models.PositiveSmallIntegerField(
        _("check-in on time until (minutes after the slot starts)"),
        default=15,
        help_text=_("Later arrivals join the normal queue."),
    )
    default_service_minutes = models.PositiveSmallIntegerField(
        _("service time assumed before any is measured (minutes)"), default=5
    )
    speech_repeat = models.PositiveSmallIntegerField(_("times each call is spoken"), default=2)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(priority_cap__gte=1, priority_cap__lte=10), name="queue_priority_cap"
            ),
            models.CheckConstraint(condition=Q(recall_limit__lte=5), name="queue_recall_limit"),
            models.CheckConstraint(
                condition=Q(priority_age__gte=50, priority_age__lte=100), name="queue_priority_age"
            ),
            models.CheckConstraint(
                condition=Q(checkin_early_minutes__lte=240, checkin_late_minutes__lte=240),
                name="queue_checkin_windows",
            ),
            models.CheckConstraint(
                condition=Q(default_service_minutes__gte=1, default_service_minutes__lte=120),
                name="queue_default_service",
            ),
            models.CheckConstraint(
                condition=Q(speech_repeat__gte=1, speech_repeat__lte=3), name="queue_speech_repeat"
            ),
        ]
        verbose_name = _("queue settings")
        verbose_name_plural = _("queue settings")

    def __str__(self) -> str:
        return str(self.center)


class PriorityGroup(models.Model):
    """Another group a center serves first (e.g. 军烈属, 见义勇为人员)."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="priority_groups")
    name = models.CharField(_("name"), max_length=40)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["center", "name"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="queue_priority_group_unique")
        ]
        verbose_name = _("priority group")
        verbose_name_plural = _("priority groups")

    def __str__(self) -> str:
        return self.name


class Queue(models.Model):
    """A line of tickets named by a letter (A 综合咨询, B, C …), served by one or more windows."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="queues")
    letter = models.CharField(_("letter"), max_length=1)
    name = models.CharField(_("name"), max_length=40)
    windows = models.ManyToManyField(
        Window, verbose_name=_("windows"), related_name="queues", blank=True
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["center", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["center", "letter"], name="queue_letter_unique"),
            models.CheckConstraint(
                condition=Q(letter__gte="A", letter__lte="Z"), name="queue_letter_a_to_z"
            ),
        ]
        verbose_name = _("queue")
        verbose_name_plural = _("queues")

    def __str__(self) -> str:
        return f"{self.letter} {self.name}"


class QueueDay(models.Model):
    """The day's counter of a queue: numbers restart at 1 each day."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["queue", "day"], name="queue_day_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.queue} {self.day} {self.last_number}"


class Desk(models.Model):
    """The queue's side of a window: how many priority tickets it called in a row today."""

    window = models.OneToOneField(Window, on_delete=models.CASCADE, related_name="desk")
    priority_streak = models.PositiveSmallIntegerField(default=0)
    streak_day = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.window} {self.priority_streak}"


class Visit(models.Model):
    """One person's visit from the first call to its end, with its first responder (首问负责).

    The first clerk who calls the ticket stays responsible until the visit ends, across
    transfers. A visit ends as an enquiry only, with a case (the cases app links its cases to
    the visit), referred elsewhere (with the person's contact), or with nobody there.
    """

    class Outcome(models.TextChoices):
        ENQUIRY = "enquiry", _("Enquiry only")
        CASE = "case", _("Case opened")
        REFERRED = "referred", _("Referred elsewhere")
        NO_SHOW = "no_show", _("Did not come")
        LEFT = "left", _("Left before being served")

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="visits")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    opened_at = models.DateTimeField(pgettext_lazy("queue", "opened at"))
    first_responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first responder"),
        on_delete=models.PROTECT,
        related_name="first_responded_visits",
    )
    first_window = models.ForeignKey(
        Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Referred elsewhere: where to, and how to reach the person (mobile sealed by identity.crypto).
    referred_to = models.CharField(_("referred to"), max_length=120, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=40, blank=True)
    contact_mobile_sealed = models.TextField(blank=True, editable=False)
    contact_mobile_masked = models.CharField(_("contact mobile"), max_length=11, blank=True)
    # Until the cases app links its cases here, the clerk may note the case number.
    case_reference = models.CharField(_("case number"), max_length=40, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, outcome="")
                | (Q(ended_at__isnull=False) & ~Q(outcome="")),
                name="queue_visit_outcome_when_ended",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="referred")
                | (~Q(referred_to="") & ~Q(contact_mobile_masked="")),
                name="queue_visit_referral_complete",
            ),
        ]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self) -> str:
        return f"{self.center} {self.opened_at:%Y-%m-%d %H:%M} {self.first_responder}"


class AppointmentSlot(models.Model):
    """A bookable time slot of one queue on one day, with a capacity."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="appointment_slots")
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="slots")
    day = models.DateField(_("day"))
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0, editable=False)

    class Meta:
        ordering = ["day", "starts", "queue__letter"]
        constraints = [
            models.UniqueConstraint(fields=["queue", "day", "starts"], name="queue_slot_unique"),
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="queue_slot_ordered"),
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="queue_slot_within_capacity"
            ),
        ]
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")

    def __str__(self) -> str:
        return f"{self.queue.letter} {self.day} {self.starts:%H:%M}-{self.ends:%H:%M}"

    @property
    def free(self) -> int:
        return self.capacity - self.booked


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CHECKED_IN = "checked_in", _("Checked in")
        NO_SHOW = "no_show", _("Did not come")
        CANCELLED = "cancelled", _("Cancelled")

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="appointments")
    slot = models.ForeignKey(AppointmentSlot, on_delete=models.PROTECT, related_name="appointments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appointments")
    item = models.ForeignKey(
        ServiceItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    code = models.CharField(_("booking code"), max_length=8, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.BOOKED
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    booked_at = models.DateTimeField(_("booked at"))
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    late = models.BooleanField(_("checked in late"), default=False)
    ticket = models.OneToOneField(
        "Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="appointment"
    )
    idempotency_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["slot__day", "slot__starts", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="queue_appointment_idempotency",
            ),
        ]
        verbose_name = _("booking")
        verbose_name_plural = _("appointments")

    def __str__(self) -> str:
        return f"{self.code} {self.slot}"


class Ticket(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", pgettext_lazy("queue", "Waiting")
        CALLED = "called", _("Called")
        SERVING = "serving", _("Being served")
        HELD = "held", _("On hold")
        DONE = "done", _("Done")
        NO_SHOW = "no_show", _("Did not come")
        EXPIRED = "expired", _("Not served that day")
        CANCELLED = "cancelled", _("Cancelled")

    class Lane(models.IntegerChoices):
        """Order of service: an appointment from its slot's start, then priority, then the rest."""

        APPOINTMENT = 0, _("Booked ticket")
        PRIORITY = 1, _("Priority lane")
        NORMAL = 2, _("Normal")

    class Purpose(models.TextChoices):
        ITEM = "item", _("Service item")
        LIFE_EVENT = "life_event", _("Life event")
        ENQUIRY = "enquiry", _("Enquiry")

    OPEN_STATUSES = ("called", "serving")
    FINAL_STATUSES = ("done", "no_show", "expired", "cancelled")

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="tickets")
    day = models.DateField(_("day"))
    issued_queue = models.ForeignKey(
        Queue, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    number = models.PositiveIntegerField(_("number"))
    code = models.CharField(_("ticket number"), max_length=8)
    public_id = models.CharField(max_length=16, unique=True, editable=False)
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="tickets")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.WAITING
    )
    lane = models.PositiveSmallIntegerField(_("lane"), choices=Lane.choices, default=Lane.NORMAL)
    priority_reason = models.CharField(
        _("priority reason"), max_length=16, choices=PriorityReason.choices, blank=True
    )
    priority_group = models.ForeignKey(
        PriorityGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    place_at = models.DateTimeField(_("place in the queue"))
    ready_at = models.DateTimeField(_("served ahead from"))
    purpose = models.CharField(
        pgettext_lazy("queue", "purpose"), max_length=12, choices=Purpose.choices
    )
    item = models.ForeignKey(
        ServiceItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    life_event = models.ForeignKey(
        LifeEvent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    id_number_masked = models.CharField(_("identity number"), max_length=18, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    device = models.ForeignKey(
        Device, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    issued_at = models.DateTimeField(_("issued at"))
    idempotency_key = models.CharField(max_length=64, blank=True)
    # Where and by whom it is (or was last) called.
    window = models.ForeignKey(
        Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reserved_window = models.ForeignKey(
        Window,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Transferred to this window: only it (or whoever serves its post) calls it."),
        db_index=False,
    )
    first_called_at = models.DateTimeField(_("first called at"), null=True, blank=True)
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    started_at = models.DateTimeField(_("service started at"), null=True, blank=True)
    finished_at = models.DateTimeField(pgettext_lazy("queue", "finished at"), null=True, blank=True)
    recall_count = models.PositiveSmallIntegerField(_("recalls"), default=0)
    transfer_count = models.PositiveSmallIntegerField(_("transfers"), default=0)
    ahead_at_issue = models.PositiveIntegerField(null=True, blank=True)
    estimate_seconds = models.PositiveIntegerField(null=True, blank=True)
    wait_seconds = models.PositiveIntegerField(null=True, blank=True)
    service_seconds = models.PositiveIntegerField(null=True, blank=True)  # start → finish
    window_seconds = models.PositiveIntegerField(null=True, blank=True)  # call → finish
    visit = models.OneToOneField(
        Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="ticket"
    )

    class Meta:
        ordering = ["day", "issued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "issued_queue", "day", "number"], name="queue_ticket_number"
            ),
            models.UniqueConstraint(
                fields=["center", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="queue_ticket_idempotency",
            ),
            models.UniqueConstraint(
                fields=["window"],
                condition=Q(status__in=["called", "serving"]),
                name="queue_one_open_ticket_per_window",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="queue_ticket_number_positive"),
            models.CheckConstraint(condition=Q(lane__in=[0, 1, 2]), name="queue_ticket_lane"),
            models.CheckConstraint(
                condition=~Q(status__in=["called", "serving"])
                | Q(window__isnull=False, called_at__isnull=False, clerk__isnull=False),
                name="queue_open_ticket_has_window",
            ),
            models.CheckConstraint(
                condition=~Q(lane=1) | ~Q(priority_reason=""), name="queue_priority_has_reason"
            ),
        ]
        # Foreign keys marked db_index=False (issued queue, priority group, life event, device,
        # issuer, reserved window): nothing looks tickets up by them, and every index is
        # written again at each change of status (four per ticket). Deleting one of those rows
        # (an administrator's rare act) scans the tickets instead of an index.
        indexes = [
            models.Index(
                fields=["queue", "day", "lane", "place_at"],
                condition=Q(status="waiting"),
                name="queue_waiting_idx",
            ),
            models.Index(fields=["center", "day", "status"], name="queue_center_day_idx"),
            models.Index(fields=["queue", "day", "status"], name="queue_queue_day_idx"),
        ]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")

    def __str__(self) -> str:
        return self.code

    @property
    def is_priority(self) -> bool:
        return self.lane == self.Lane.PRIORITY

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class QueueEvent(models.Model):
    """One change in the queue: who, when, what, from which channel. Append-only.

    Ticket changes name the ticket (and its visit), bookings the appointment; settings changes
    name neither. The figures are computed from these rows.
    """

    class Kind(models.TextChoices):
        ISSUED = "issued", _("Ticket issued")
        CALLED = "called", _("Called")
        RECALLED = "recalled", _("Called again")
        STARTED = "started", _("Service started")
        HELD = "held", _("Put on hold")
        CALLED_BACK = "called_back", _("Called back from hold")
        TRANSFERRED = "transferred", _("Transferred")
        FINISHED = "finished", _("Finished")
        NO_SHOW = "no_show", _("Did not come")
        EXPIRED = "expired", _("Not served that day")
        CANCELLED = "cancelled", _("Cancelled")
        BOOKED = "booked", _("Appointment booked")
        CHECKED_IN = "checked_in", _("Checked in")
        BOOKING_CANCELLED = "booking_cancelled", _("Appointment cancelled")
        BOOKING_NO_SHOW = "booking_no_show", _("Appointment not kept")
        SLOTS_CHANGED = "slots_changed", _("Appointment slots changed")
        SETTINGS_CHANGED = "settings_changed", _("Queue settings changed")
        QUEUES_CHANGED = "queues_changed", _("Queues changed")

    center = models.ForeignKey(
        Center, on_delete=models.CASCADE, related_name="queue_events", db_index=False
    )
    kind = models.CharField(_("event kind"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("at"), db_index=True)
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    device = models.ForeignKey(
        Device, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    window = models.ForeignKey(
        Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    queue = models.ForeignKey(
        Queue, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["center", "at"], name="queue_event_center_at")]
        verbose_name = _("queue event")
        verbose_name_plural = _("queue events")

    def __str__(self) -> str:
        return f"{self.at:%H:%M:%S} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(gettext("The queue's event log is append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(gettext("The queue's event log is append-only."))
