"""Supervision (三(四) 督导检查): checklists, unannounced inspections, rectification tasks, the
yearly assessment's weights, and the event log.

What the database holds here:

- the checklist (``ChecklistItem``) is reference data, edited by supervisors; its ``Checklist``
  row counts versions. An inspection copies each item's text when it starts, so editing the
  checklist never changes an inspection already made;
- one answer per inspection and item code; a finished inspection has its end and is never
  changed again (the services refuse, and the answers' results are fixed at finish);
- every failed answer of a finished inspection has exactly one ``RectificationTask`` (one-to-one);
- a task's deadline is after its creation; an accepted task has its verification;
- the event log (``SupervisionEvent``) is append-only: who, when, what it was before and after.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from bianmin.org.models import Center


class Area(models.TextChoices):
    """The policy's areas, in the order an inspector walks through the hall."""

    LAYOUT = "layout", _("Layout and zones (二2)")
    WINDOWS = "windows", _("Windows (二5, 二6)")
    FACILITIES = "facilities", _("Basic facilities (二11)")
    SPECIAL_GROUPS = "special_groups", _("Special groups (二12)")
    MANAGEMENT = "management", _("Running rules (二3)")
    CONDUCT = "conduct", _("Conduct (三(二) 十严禁)")
    SERVICE = "service", _("Ways of service (二9, 二10, 二13)")


AREA_ORDER = [a.value for a in Area]


class Checklist(models.Model):
    """The checklist in use: one row; ``version`` grows with every change to its items."""

    name = models.CharField(_("name"), max_length=80)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("inspection checklist")
        verbose_name_plural = _("inspection checklists")

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class ChecklistItem(models.Model):
    """One thing to check, with the clause it comes from and where the system can hint."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=40)
    area = models.CharField(_("area"), max_length=16, choices=Area.choices)
    clause = models.CharField(_("clause"), max_length=20, blank=True)
    text = models.CharField(_("what to check"), max_length=200)
    hint = models.CharField(
        _("hint from the system"),
        max_length=40,
        blank=True,
        help_text=_(
            "Where the system already knows the answer (see hints.py), e.g. facility:hearing_aid."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["checklist", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "code"], name="supervision_item_code")
        ]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return self.text


class Inspection(models.Model):
    """督导检查 of one center: unannounced (四不两直) by default, answered item by item."""

    class State(models.TextChoices):
        OPEN = "open", _("Inspection in progress")
        FINISHED = "finished", pgettext_lazy("inspection", "Finished")

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="inspections"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unannounced = models.BooleanField(_("unannounced (四不两直)"), default=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="open")
    checklist_version = models.PositiveIntegerField(_("checklist version"), default=1)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="finished") | Q(finished_at__isnull=False),
                name="supervision_finished_inspection_has_end",
            )
        ]
        indexes = [models.Index(fields=["center", "started_at"], name="supervision_insp_center")]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self) -> str:
        return gettext("Inspection #%(pk)s of %(center)s") % {"pk": self.pk, "center": self.center}

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class Result(models.TextChoices):
    NONE = "", _("Not checked yet")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    NOT_APPLICABLE = "na", _("Not applicable")


class InspectionAnswer(models.Model):
    """One checklist item in one inspection: a copy of its text, the hint, the answer."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(
        ChecklistItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=40)
    area = models.CharField(_("area"), max_length=16, choices=Area.choices)
    clause = models.CharField(_("clause"), max_length=20, blank=True)
    text = models.CharField(_("what to check"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    hint = models.CharField(_("what the system knows"), max_length=300, blank=True)
    hint_suggests = models.CharField(max_length=4, blank=True)
    result = models.CharField(
        _("result of the check"), max_length=4, choices=Result.choices, blank=True, default=""
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    deadline_days = models.PositiveSmallIntegerField(
        _("working days to rectify"), null=True, blank=True
    )
    photo_path = models.CharField(max_length=200, blank=True, editable=False)
    photo_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    photo_type = models.CharField(max_length=40, blank=True, editable=False)
    answered_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["inspection", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "code"], name="supervision_answer_code"),
            models.CheckConstraint(
                condition=Q(result__in=["", "pass", "fail", "na"]), name="supervision_result"
            ),
        ]
        verbose_name = _("inspection answer")
        verbose_name_plural = _("inspection answers")

    def __str__(self) -> str:
        return f"{self.text}: {self.get_result_display()}"


class RectificationTask(models.Model):
    """整改任务: a failed checklist item, for the center to put right by a working-day deadline."""

    class State(models.TextChoices):
        OPEN = "open", _("To rectify")
        SUBMITTED = "submitted", _("Submitted, waiting for verification")
        ACCEPTED = "accepted", _("Rectified and accepted")

    OPEN_STATES = ("open", "submitted")

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="inspection_tasks"
    )
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="tasks")
    answer = models.OneToOneField(InspectionAnswer, on_delete=models.PROTECT, related_name="task")
    title = models.CharField(_("what failed"), max_length=200)
    finding = models.CharField(_("what the inspector found"), max_length=500, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="open")
    created_at = models.DateTimeField(_("created at"))
    deadline_days = models.PositiveSmallIntegerField(_("working days to rectify"))
    due_at = models.DateTimeField(_("rectify by"))
    due_provisional = models.BooleanField(default=False)
    response = models.CharField(_("what was done"), max_length=500, blank=True)
    photo_path = models.CharField(max_length=200, blank=True, editable=False)
    photo_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    photo_type = models.CharField(max_length=40, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_back_reason = models.CharField(_("sent back because"), max_length=500, blank=True)
    times_sent_back = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gt=F("created_at")), name="supervision_task_due_after_creation"
            ),
            models.CheckConstraint(
                condition=~Q(state="accepted")
                | Q(verified_at__isnull=False, submitted_at__isnull=False),
                name="supervision_accepted_task_verified",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "state"], name="supervision_task_center"),
            models.Index(fields=["due_at"], name="supervision_task_due"),
        ]
        verbose_name = _("rectification task")
        verbose_name_plural = _("rectification tasks")

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def is_overdue(self, now) -> bool:
        """Red: still not rectified after the deadline, or submitted only after it."""
        if self.state == self.State.OPEN:
            return self.due_at < now
        return self.submitted_at is not None and self.submitted_at > self.due_at

    @property
    def on_time(self) -> bool | None:
        if self.state != self.State.ACCEPTED:
            return None
        return self.submitted_at <= self.due_at


class SupervisionEvent(models.Model):
    """One change in inspections or tasks: who, when, before and after. Append-only."""

    class Kind(models.TextChoices):
        STARTED = "started", _("Inspection started")
        ANSWERED = "answered", _("Item answered")
        FINISHED = "finished", _("Inspection finished")
        TASK_OPENED = "task_opened", _("Task opened")
        SUBMITTED = "submitted", _("Rectification submitted")
        ACCEPTED = "accepted", _("Rectification accepted")
        SENT_BACK = "sent_back", _("Sent back")
        CHECKLIST = "checklist", _("Checklist changed")

    center = models.ForeignKey(
        Center, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(pgettext_lazy("event", "what"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    task = models.ForeignKey(
        RectificationTask, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("supervision event")
        verbose_name_plural = _("supervision events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(gettext("The supervision event log is append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(gettext("The supervision event log is append-only."))


class AssessmentWeights(models.Model):
    """The weights of the yearly assessment (年度考核) for one year; without a row, the defaults.

    The weights are relative: a center's score is Σ weight × component score ÷ Σ weight over the
    components that have figures that year.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    ratings = models.PositiveSmallIntegerField(_("weight: ratings satisfaction"), default=20)
    cases_on_time = models.PositiveSmallIntegerField(
        _("weight: cases completed on time"), default=20
    )
    one_time_notice = models.PositiveSmallIntegerField(
        _("weight: one-time notice kept"), default=10
    )
    queue_wait = models.PositiveSmallIntegerField(_("weight: queue waiting time"), default=15)
    guides = models.PositiveSmallIntegerField(_("weight: guide completeness"), default=15)
    inspection_items = models.PositiveSmallIntegerField(
        _("weight: inspection items passed"), default=10
    )
    tasks_on_time = models.PositiveSmallIntegerField(
        _("weight: tasks rectified on time"), default=10
    )
    wait_target_minutes = models.PositiveSmallIntegerField(
        _("waiting-time target, minutes"), default=20
    )

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(wait_target_minutes__gte=1, wait_target_minutes__lte=240),
                name="supervision_wait_target_range",
            )
        ]
        verbose_name = _("assessment weights")
        verbose_name_plural = _("assessment weights")

    def __str__(self) -> str:
        return gettext("Assessment weights %(year)s") % {"year": self.year}
