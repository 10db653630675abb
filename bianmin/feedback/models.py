"""Ratings (好差评), rectification of bad ratings, appeals, and 办不成事 reports.

What the database holds here, so that no code path can break it:

- one ``RatingInvitation`` per visit, per case and per kiosk transaction (unique keys), and at
  most one ``Rating`` per invitation: 一次一评 for a window visit, 一事一评 for a matter;
- a rating's level is one of the five levels; every bad rating (不满意, 非常不满意) has its
  ``Rectification`` (made in the same transaction), and a rectification is closed only with an
  answer to the rater (a check constraint);
- at most one appeal waits for review per rating;
- the event log (``FeedbackEvent``) is append-only.

Workflows live in ``services.py``; reads in ``selectors.py`` and ``figures.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from bianmin.cases.models import Case
from bianmin.catalog.models import ServiceItem
from bianmin.hall.models import Window
from bianmin.identity.models import Device, Person
from bianmin.org.models import Center
from bianmin.queueing.models import Visit


class Level(models.IntegerChoices):
    """The five levels of GB/T 39735-2020, best first."""

    VERY_SATISFIED = 5, pgettext_lazy("rating level", "Very satisfied")
    SATISFIED = 4, pgettext_lazy("rating level", "Satisfied")
    BASICALLY_SATISFIED = 3, pgettext_lazy("rating level", "Basically satisfied")
    DISSATISFIED = 2, pgettext_lazy("rating level", "Dissatisfied")
    VERY_DISSATISFIED = 1, pgettext_lazy("rating level", "Very dissatisfied")


POSITIVE_LEVELS = (5, 4, 3)
BAD_LEVELS = (2, 1)


class RatingChannel(models.TextChoices):
    PAD = "pad", _("Rating pad at the window")
    SMS = "sms", _("SMS link")
    PORTAL = "portal", pgettext_lazy("rating channel", "Portal")
    KIOSK = "kiosk", pgettext_lazy("rating channel", "Kiosk")
    API = "api", pgettext_lazy("rating channel", "API")
    DEFAULT = "default", _("Default rule (not rated in time)")


class ReasonGroup(models.TextChoices):
    OFFLINE = "offline", _("On-site service")
    ONLINE = "online", _("Online service")


class Reason(models.Model):
    """A standard reason to tick (服务效率, 办事指南精确度 …), per group of channels."""

    group = models.CharField(_("group"), max_length=8, choices=ReasonGroup.choices)
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=30)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["group", "order", "code"]
        verbose_name = _("rating reason")
        verbose_name_plural = _("rating reasons")

    def __str__(self) -> str:
        return self.name


class ConductTag(models.Model):
    """A conduct problem the policy names: 冷硬横推, 庸懒散松, and the 十严禁 items."""

    class Group(models.TextChoices):
        COLD_HARD = "cold_hard", "冷硬横推"
        LAX = "lax", "庸懒散松"
        TEN_PROHIBITIONS = "ten", "十严禁"

    group = models.CharField(_("group"), max_length=12, choices=Group.choices)
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["group", "order", "code"]
        verbose_name = _("conduct tag")
        verbose_name_plural = _("conduct tags")

    def __str__(self) -> str:
        return self.name


class FeedbackSettings(models.Model):
    """A center's rules for ratings and reports. One row per center, made with the defaults."""

    class UnratedRule(models.TextChoices):
        UNRATED = "unrated", _("Stays unrated and is not counted")
        SATISFIED = "satisfied", _("Counted as satisfied when the period ends")

    center = models.OneToOneField(
        Center, on_delete=models.CASCADE, related_name="feedback_settings"
    )
    rating_days = models.PositiveSmallIntegerField(
        _("days to rate after the service"),
        default=7,
        help_text=_("A finished service may be rated until this many calendar days have passed."),
    )
    unrated_rule = models.CharField(
        _("a service not rated in time"),
        max_length=12,
        choices=UnratedRule.choices,
        default=UnratedRule.UNRATED,
    )
    rectification_days = models.PositiveSmallIntegerField(
        _("working days to rectify a bad rating"), default=5
    )
    report_days = models.PositiveSmallIntegerField(_("working days to resolve a report"), default=5)
    pad_pickup_minutes = models.PositiveSmallIntegerField(
        _("minutes the rating pad offers a finished visit"), default=10
    )
    sms_invitation = models.BooleanField(
        _("send the rating link by SMS when a case is finished"), default=True
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating_days__gte=1, rating_days__lte=90), name="feedback_rating_days"
            ),
            models.CheckConstraint(
                condition=Q(rectification_days__gte=1, rectification_days__lte=30),
                name="feedback_rectification_days",
            ),
            models.CheckConstraint(
                condition=Q(report_days__gte=1, report_days__lte=30), name="feedback_report_days"
            ),
            models.CheckConstraint(
                condition=Q(pad_pickup_minutes__gte=1, pad_pickup_minutes__lte=120),
                name="feedback_pad_pickup",
            ),
        ]
        verbose_name = _("rating settings")
        verbose_name_plural = _("rating settings")

    def __str__(self) -> str:
        return str(self.center)


class RatingPad(models.Model):
    """A rating pad (评价器) device placed beside one window."""

    device = models.OneToOneField(Device, on_delete=models.CASCADE, related_name="rating_pad")
    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="rating_pads")

    class Meta:
        verbose_name = _("rating pad")
        verbose_name_plural = _("rating pads")

    def __str__(self) -> str:
        return f"{self.window} · {self.device.name}"


class RatingInvitation(models.Model):
    """A finished service that may be rated, and the token of its link (/rate/<token>/)."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Window visit")
        CASE = "case", _("Case (matter)")
        KIOSK = "kiosk", _("Kiosk service")

    token = models.CharField(max_length=32, unique=True, editable=False)
    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="rating_invitations")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    online = models.BooleanField(_("online service"), default=False)
    visit = models.OneToOneField(
        Visit, null=True, blank=True, on_delete=models.CASCADE, related_name="rating_invitation"
    )
    case = models.OneToOneField(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="rating_invitation"
    )
    device = models.ForeignKey(
        Device, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kiosk_reference = models.CharField(max_length=64, blank=True)
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("clerk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    window = models.ForeignKey(
        Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    item = models.ForeignKey(
        ServiceItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    label = models.CharField(_("service"), max_length=200)
    finished_at = models.DateTimeField(_("finished at"))
    expires_at = models.DateTimeField(_("may be rated until"))
    created_at = models.DateTimeField()
    presented_at = models.DateTimeField(null=True, blank=True)
    invited_at = models.DateTimeField(_("rating link sent at"), null=True, blank=True)
    presented_window = models.ForeignKey(
        Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-finished_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="visit", visit__isnull=False)
                | Q(kind="case", case__isnull=False)
                | (Q(kind="kiosk", device__isnull=False) & ~Q(kiosk_reference="")),
                name="feedback_invitation_names_service",
            ),
            models.UniqueConstraint(
                fields=["device", "kiosk_reference"],
                condition=Q(kind="kiosk"),
                name="feedback_one_invitation_per_kiosk_service",
            ),
        ]
        indexes = [
            models.Index(fields=["presented_window", "presented_at"], name="feedback_inv_pad"),
        ]
        verbose_name = _("rating invitation")
        verbose_name_plural = _("rating invitations")

    def __str__(self) -> str:
        return self.label


class Rating(models.Model):
    """One rating of one finished service (一次一评 / 一事一评)."""

    invitation = models.OneToOneField(
        RatingInvitation, on_delete=models.PROTECT, related_name="rating"
    )
    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="ratings")
    kind = models.CharField(_("kind"), max_length=8, choices=RatingInvitation.Kind.choices)
    online = models.BooleanField(_("online service"), default=False)
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("clerk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    window = models.ForeignKey(
        Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    item = models.ForeignKey(
        ServiceItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("rating"), choices=Level.choices)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=RatingChannel.choices)
    device = models.ForeignKey(
        Device, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rater_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rated_at = models.DateTimeField(_("rated at"))
    excluded = models.BooleanField(_("excluded after review"), default=False)
    excluded_reason = models.CharField(_("why excluded"), max_length=300, blank=True)
    conduct_tags = models.ManyToManyField(
        ConductTag, verbose_name=_("conduct tags"), blank=True, related_name="ratings"
    )

    class Meta:
        ordering = ["-rated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="feedback_rating_level"
            ),
            models.CheckConstraint(
                condition=Q(excluded=False) | ~Q(excluded_reason=""),
                name="feedback_exclusion_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "rated_at"], name="feedback_rating_center_at"),
            models.Index(fields=["clerk", "rated_at"], name="feedback_rating_clerk_at"),
            models.Index(
                fields=["center", "rated_at"],
                condition=Q(level__lte=2),
                name="feedback_rating_bad",
            ),
        ]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return f"{self.invitation} · {self.get_level_display()}"

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS


class Rectification(models.Model):
    """整改 of a bad rating: verify (核实) → rectify (整改) → answer and call back (回访) → close."""

    class State(models.TextChoices):
        VERIFYING = "verifying", _("To verify")
        RECTIFYING = "rectifying", _("To rectify")
        ANSWERED = "answered", _("Answered, call back pending")
        CLOSED = "closed", pgettext_lazy("rectification", "Closed")
        EXCLUDED = "excluded", _("Rating excluded after review")

    class Finding(models.TextChoices):
        NONE = "", _("Not verified")
        TRUE = "true", _("True")
        PARTLY = "partly", _("Partly true")
        FALSE = "false", _("Not true")

    class CallbackResult(models.TextChoices):
        NONE = "", _("No call back yet")
        SATISFIED = "satisfied", _("Satisfied with the handling")
        BASICALLY = "basically", _("Basically satisfied with the handling")
        DISSATISFIED = "dissatisfied", _("Still dissatisfied")
        UNREACHABLE = "unreachable", _("Could not be reached")

    OPEN_STATES = ("verifying", "rectifying", "answered")

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="rectification")
    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="rectifications")
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.VERIFYING
    )
    opened_at = models.DateTimeField(_("opened at"))
    due_at = models.DateTimeField(_("due"))
    due_provisional = models.BooleanField(default=False)
    finding = models.CharField(
        _("finding"), max_length=8, choices=Finding.choices, blank=True, default=""
    )
    finding_note = models.CharField(_("what the verification found"), max_length=500, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    measures = models.CharField(_("rectification measures"), max_length=500, blank=True)
    rectified_at = models.DateTimeField(null=True, blank=True)
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.CharField(_("answer to the rater"), max_length=500, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    callback_result = models.CharField(
        _("call back"), max_length=12, choices=CallbackResult.choices, blank=True, default=""
    )
    callback_note = models.CharField(_("call back note"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField(_("escalated to the county at"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="closed") | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="feedback_closed_rectification_answered",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["closed", "excluded"]) | Q(closed_at__isnull=False),
                name="feedback_closed_rectification_has_end",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(state__in=["verifying", "rectifying", "answered"]),
                name="feedback_rect_open_due",
            ),
            models.Index(fields=["center", "state"], name="feedback_rect_center_state"),
        ]
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")

    def __str__(self) -> str:
        return f"#{self.pk} {self.rating}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def closed_on_time(self) -> bool | None:
        if self.closed_at is None or self.state != self.State.CLOSED:
            return None
        return self.closed_at <= self.due_at


class Appeal(models.Model):
    """申诉复核: the center asks the county to exclude a mistaken or malicious rating."""

    class Ground(models.TextChoices):
        MISTAKEN = "mistaken", _("Mistaken (wrong person, wrong service, pressed by mistake)")
        MALICIOUS = "malicious", _("Malicious")
        OUTSIDE = "outside", _("About something outside the center's remit")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        UPHELD = "upheld", _("Upheld: rating excluded")
        DISMISSED = "dismissed", _("Dismissed: rating stands")

    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="appeals")
    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="rating_appeals")
    ground = models.CharField(_("ground"), max_length=12, choices=Ground.choices)
    reason = models.CharField(_("reason and evidence"), max_length=500)
    filed_at = models.DateTimeField(_("filed at"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PENDING
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.CharField(_("review"), max_length=500, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rating"],
                condition=Q(state="pending"),
                name="feedback_one_pending_appeal",
            ),
            models.CheckConstraint(
                condition=Q(state="pending") | (Q(reviewed_at__isnull=False) & ~Q(review_note="")),
                name="feedback_reviewed_appeal_has_note",
            ),
        ]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"{self.rating} · {self.get_state_display()}"


class UnresolvedReport(models.Model):
    """办不成事: what somebody wanted, why it could not be done, who takes it, how it ended."""

    class Source(models.TextChoices):
        UNRESOLVED_WINDOW = "unresolved_window", _("Can't-get-it-done window")
        ENQUIRY_WINDOW = "enquiry_window", _("Enquiry window")
        PORTAL = "portal", pgettext_lazy("report source", "Portal")
        HOTLINE = "hotline", _("Phone")

    class Cause(models.TextChoices):
        NOT_ENTERED = "not_entered", _("The item is not handled here")
        POLICY = "policy", _("Policy does not allow it")
        MATERIALS = "materials", _("Materials required cannot be obtained")
        GUIDE = "guide", _("The guide is wrong or unclear")
        SYSTEM = "system", _("A system or network problem")
        DEPARTMENTS = "departments", _("Departments pass it back and forth")
        STAFF = "staff", _("Staff conduct")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        OPEN = "open", _("Received")
        ASSIGNED = "assigned", _("Taken by someone")
        RESOLVED = "resolved", _("Resolved, follow-up pending")
        CLOSED = "closed", _("Followed up and closed")

    OPEN_STATES = ("open", "assigned")

    token = models.CharField(max_length=32, unique=True, editable=False)
    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="unresolved_reports")
    source = models.CharField(_("where it was reported"), max_length=20, choices=Source.choices)
    item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("service item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    wanted = models.CharField(_("what the person wanted"), max_length=300)
    cause = models.CharField(_("cause"), max_length=16, choices=Cause.choices)
    why = models.CharField(_("why it could not be done"), max_length=500)
    name = models.CharField(_("name"), max_length=40, blank=True)
    mobile_sealed = models.TextField(blank=True, editable=False)
    mobile_masked = models.CharField(_("mobile number"), max_length=11, blank=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    window = models.ForeignKey(
        Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"))
    due_at = models.DateTimeField(_("due"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=500, blank=True)
    resolved = models.BooleanField(_("got done in the end"), default=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    follow_up = models.CharField(_("follow-up"), max_length=300, blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    conduct_tags = models.ManyToManyField(
        ConductTag, verbose_name=_("conduct tags"), blank=True, related_name="reports"
    )

    class Meta:
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state__in=["resolved", "closed"]) | ~Q(resolution=""),
                name="feedback_resolved_report_has_resolution",
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | ~Q(follow_up=""),
                name="feedback_closed_report_followed_up",
            ),
            models.CheckConstraint(
                condition=~Q(state="assigned") | Q(assignee__isnull=False),
                name="feedback_assigned_report_has_assignee",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "state"], name="feedback_report_center_state"),
            models.Index(fields=["center", "item", "cause"], name="feedback_report_item_cause"),
        ]
        verbose_name = _("can't-get-it-done report")
        verbose_name_plural = _("can't-get-it-done reports")

    def __str__(self) -> str:
        return self.wanted


class FeedbackEvent(models.Model):
    """One change in ratings, rectifications, appeals or reports. Append-only."""

    class Kind(models.TextChoices):
        PRESENTED = "presented", _("Shown on the rating pad")
        RATED = "rated", _("Rated")
        DEFAULT_RATED = "default_rated", _("Counted by the default rule")
        RECT_OPENED = "rect_opened", _("Rectification opened")
        VERIFIED = "verified", _("Verified")
        RECTIFIED = "rectified", _("Rectified")
        ANSWERED = "answered", _("Answered the rater")
        CLOSED = "closed", _("Closed after call back")
        ESCALATED = "escalated", _("Escalated to the county")
        TAGGED = "tagged", _("Conduct tags set")
        APPEALED = "appealed", _("Appeal filed")
        APPEAL_UPHELD = "appeal_upheld", _("Appeal upheld")
        APPEAL_DISMISSED = "appeal_dismissed", _("Appeal dismissed")
        REPORTED = "reported", _("Report received")
        ASSIGNED = "assigned", _("Report taken")
        RESOLVED = "resolved", _("Report resolved")
        FOLLOWED_UP = "followed_up", _("Report followed up")
        SETTINGS = "settings", _("Settings changed")

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="feedback_events")
    kind = models.CharField(pgettext_lazy("feedback", "what"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    device = models.ForeignKey(
        Device, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    invitation = models.ForeignKey(
        RatingInvitation, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    rating = models.ForeignKey(
        Rating, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    rectification = models.ForeignKey(
        Rectification, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    appeal = models.ForeignKey(
        Appeal, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    report = models.ForeignKey(
        UnresolvedReport, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    note = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["center", "at"], name="feedback_event_center_at")]
        verbose_name = _("feedback event")
        verbose_name_plural = _("feedback events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(gettext("The feedback event log is append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(gettext("The feedback event log is append-only."))
