"""The hall of a center: zones, opening hours, windows, posts with backups (AB岗), attendance,
away notices (离岗告知), routing overrides, facilities and training records.

A window's *state* is not stored: it is derived from attendance and away notices
(``selectors.window_states``), so that it can never disagree with them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bianmin.catalog.models import Domain, ServiceItem
from bianmin.org.models import Center


class HallSettings(models.Model):
    center = models.OneToOneField(Center, on_delete=models.CASCADE, related_name="hall_settings")
    away_approval_minutes = models.PositiveSmallIntegerField(
        _("away longer than this needs approval (minutes)"), default=30
    )
    supervision_phone = models.CharField(_("supervision phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("hall settings")
        verbose_name_plural = _("hall settings")

    def __str__(self) -> str:
        return str(self.center)


class Zone(models.Model):
    """功能区 (policy 二2): enquiry, counters, self-service, waiting."""

    class Kind(models.TextChoices):
        ENQUIRY = "enquiry", _("Enquiry area")
        COUNTERS = "counters", _("Counter area")
        SELF_SERVICE = "self_service", _("Self-service area")
        WAITING = "waiting", _("Waiting area")

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="zones")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=40)
    notes = models.CharField(_("remarks"), max_length=200, blank=True)

    class Meta:
        ordering = ["center", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["center", "kind"], name="hall_one_zone_per_kind")
        ]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    """Regular hours for one weekday: a morning and an afternoon session around the lunch break."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=[(i, n) for i, n in enumerate("一二三四五六日")]
    )
    morning_opens = models.TimeField(_("morning opens"))
    morning_closes = models.TimeField(_("morning closes"))
    afternoon_opens = models.TimeField(_("afternoon opens"), null=True, blank=True)
    afternoon_closes = models.TimeField(_("afternoon closes"), null=True, blank=True)

    class Meta:
        ordering = ["center", "weekday"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "weekday"], name="hall_hours_one_row_per_weekday"
            ),
            models.CheckConstraint(
                condition=Q(morning_closes__gt=F("morning_opens")), name="hall_morning_ordered"
            ),
        ]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self) -> str:
        return f"{self.center} {self.weekday}"


class ExtraDuty(models.Model):
    """延时、错时、周末服务: extra service on a date, e.g. Saturday morning in the enrolment season."""

    class Kind(models.TextChoices):
        EXTENDED = "extended", _("Extended hours")
        STAGGERED = "staggered", _("Staggered hours")
        WEEKEND = "weekend", _("Weekend duty")

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="extra_duties")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("date"))
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    note = models.CharField(_("remarks"), max_length=120, blank=True)

    class Meta:
        ordering = ["center", "date", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="hall_duty_ordered")
        ]
        verbose_name = _("extra duty")
        verbose_name_plural = _("extra duties")

    def __str__(self) -> str:
        return f"{self.center} {self.date}"


class Window(models.Model):
    class Kind(models.TextChoices):
        ENQUIRY = "enquiry", _("Enquiry (综合咨询)")
        DOMAIN = "domain", _("Domain (分领域综合办事)")
        ASSISTED = "assisted", _("Assisted service (帮办代办)")
        UNRESOLVED = "unresolved", _("Can't-get-it-done (办不成事反映)")
        CROSS_REGION = "cross_region", _("Cross-region (跨省通办/一网通办)")

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="windows")
    number = models.PositiveSmallIntegerField(_("window number"))
    name = models.CharField(_("window name"), max_length=40)
    kind = models.CharField(_("window kind"), max_length=16, choices=Kind.choices)
    domains = models.ManyToManyField(
        Domain, verbose_name=_("served domains"), blank=True, related_name="+"
    )
    zone = models.ForeignKey(
        Zone, null=True, blank=True, on_delete=models.SET_NULL, related_name="windows"
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["center", "number"]
        constraints = [
            models.UniqueConstraint(fields=["center", "number"], name="hall_window_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="hall_window_number_positive"),
        ]
        verbose_name = _("window")
        verbose_name_plural = _("windows")

    def __str__(self) -> str:
        return f"{self.number}号窗口 {self.name}"


class Post(models.Model):
    """The post at a window: its primary clerk (A岗) and the backup (B岗) who acts for them."""

    window = models.OneToOneField(Window, on_delete=models.CASCADE, related_name="post")
    primary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("primary clerk (A)"),
        on_delete=models.PROTECT,
        related_name="primary_posts",
    )
    backup = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("backup clerk (B)"),
        on_delete=models.PROTECT,
        related_name="backup_posts",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(primary=F("backup")), name="hall_post_backup_differs"
            )
        ]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return f"{self.window} A:{self.primary} B:{self.backup}"


class Attendance(models.Model):
    """A clerk's window open from ``opened_at`` until ``closed_at``."""

    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="attendances")
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["window"],
                condition=Q(closed_at__isnull=True),
                name="hall_one_open_attendance",
            )
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.window} {self.clerk} {self.opened_at:%H:%M}"


class AwayNotice(models.Model):
    """离岗告知: where a clerk went, why, until when, and who serves their post meanwhile."""

    class Approval(models.TextChoices):
        NOT_NEEDED = "not_needed", _("No approval needed")
        PENDING = "pending", _("Waiting for the manager")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="away_notices")
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="away_notices"
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason for leaving"), max_length=120)
    destination = models.CharField(_("whereabouts"), max_length=120)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    left_at = models.DateTimeField(_("left at"))
    expected_return_at = models.DateTimeField(_("expected return"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    approval = models.CharField(_("approval"), max_length=16, choices=Approval.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-left_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_return_at__gt=F("left_at")),
                name="hall_away_return_after_leaving",
            ),
            models.UniqueConstraint(
                fields=["clerk"],
                condition=Q(returned_at__isnull=True),
                name="hall_one_open_away_per_clerk",
            ),
        ]
        verbose_name = _("away notice")
        verbose_name_plural = _("away notices")

    def __str__(self) -> str:
        return f"{self.clerk} {self.reason}"

    @property
    def planned_minutes(self) -> int:
        return int((self.expected_return_at - self.left_at) / dt.timedelta(minutes=1))


class RoutingOverride(models.Model):
    """A manager's choice to route one item to a given window instead of the rule's choice."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="routing_overrides")
    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="+")
    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["center", "item"], name="hall_one_override_per_item")
        ]
        verbose_name = _("routing override")
        verbose_name_plural = _("routing overrides")

    def __str__(self) -> str:
        return f"{self.item} → {self.window}"


class Facility(models.Model):
    """A piece of the hall's equipment or a service for special groups (policy 二11, 二12)."""

    class Kind(models.TextChoices):
        POST_BOARD = "post_board", _("Window post board")
        PRINTED_GUIDES = "printed_guides", _("Printed service guides")
        RATING_DEVICE = "rating_device", _("Rating device")
        DESKS = "desks", _("Desks and chairs")
        FILE_CABINET = "file_cabinet", _("File cabinet")
        LOCKERS = "lockers", _("Lockers")
        COMPUTER = "computer", _("Computer")
        COPIER = "copier", _("Copier")
        PHONE = "phone", _("Telephone")
        SCANNER = "scanner", _("Scanner / document camera (高拍仪)")
        READING_GLASSES = "reading_glasses", _("Reading glasses")
        HEARING_AID = "hearing_aid", _("Hearing aid")
        WHEELCHAIR = "wheelchair", _("Wheelchair")
        FIRST_AID = "first_aid", _("First-aid kit")
        BARRIER_FREE = "barrier_free", _("Barrier-free access")
        ELDERLY_FRIENDLY = "elderly_friendly", _("Elderly-friendly features")
        KIOSK = "kiosk", _("Self-service kiosk")

    class Status(models.TextChoices):
        OK = "ok", _("In good order")
        FAULTY = "faulty", _("Faulty")
        MISSING = "missing", _("Missing")

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="facilities")
    kind = models.CharField(_("facility"), max_length=24, choices=Kind.choices)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OK)
    last_checked_on = models.DateField(_("last checked on"), null=True, blank=True)
    notes = models.CharField(_("remarks"), max_length=200, blank=True)

    class Meta:
        ordering = ["center", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "kind"], name="hall_one_facility_row_per_kind"
            )
        ]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")

    def __str__(self) -> str:
        return f"{self.center} {self.get_kind_display()}"


class TrainingRecord(models.Model):
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_records"
    )
    topic = models.CharField(_("topic"), max_length=120)
    held_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    organiser = models.CharField(_("organiser"), max_length=80, blank=True)

    class Meta:
        ordering = ["-held_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=40), name="hall_training_hours_range"
            )
        ]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")

    def __str__(self) -> str:
        return f"{self.clerk} {self.topic}"
