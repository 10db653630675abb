"""Cases (办件): the tables, and the invariants the database can hold.

- ``Case``: one application, its state (``machine.State``), applicant, checklist, clock, decision
  and hand-out. Every field of it changes only through ``services`` and each change is a
  ``CaseEvent`` written in the same transaction; ``events.rebuild`` folds the events back into
  the same field values.
- ``CaseEvent``: append-only, hash-chained per case (``prev_hash`` → ``hash``); the model refuses
  updates and deletes, and so does the database (triggers, migration 0002).
- ``CaseNumberCounter``: one row per center and day; a single upsert hands out the next number,
  so two clerks pressing "new case" at once never get the same one.
- ``OneTimeNotice``, ``Delivery``, ``MaterialFile``: documents of a case, never edited
  (a delivery's status moves forward only).
- ``Organisation``, ``DishonestEntry``, ``DeferralRule``, ``Notification``: reference data and
  the outbox of the notification interface.

Personal data stays in ``identity.Person``: a case points to people and keeps only their name
and masked number for lists.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from bianmin.catalog.models import GuideVersion, Material, ServiceItem
from bianmin.identity.models import Person
from bianmin.org.models import Center, Department
from bianmin.queueing.models import Visit

from .machine import CLOCK_STATES, FINAL_STATES, State

# The clerk's list tabs (``selectors.Tab``), here because the database indexes each of them.
TAB_STATES = {
    "intake": ("received", "notice_issued", "returned"),
    "running": ("accepted", "in_back_office", "forwarded", "suspended"),
    "results": ("approved", "denied", "result_ready", "in_delivery"),
    "closed": tuple(sorted(FINAL_STATES)),
}


class Channel(models.TextChoices):
    WINDOW = "window", _("At the window")
    BACK_OFFICE = "back_office", _("Back office")  # an officer's act (events only)
    MANAGEMENT = "management", _("Center management")  # a manager's own act (events only)
    ONLINE = "online", _("Online")
    KIOSK = "kiosk", _("Self-service kiosk")
    POST = "post", _("By post")
    SYSTEM = "system", _("System")
    API = "api", _("API")


class Organisation(models.Model):
    """A business or other organisation applying, known by its unified social credit code."""

    name = models.CharField(_("organisation name"), max_length=120)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    legal_representative = models.CharField(_("legal representative"), max_length=40)
    representative = models.ForeignKey(
        Person,
        verbose_name=_("legal representative (person)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def credit_code_masked(self) -> str:
        return self.credit_code[:8] + "******" + self.credit_code[-4:]


class CaseNumberCounter(models.Model):
    """The last case number handed out at a center on a day (see ``numbers.next_case_number``)."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["center", "day"], name="cases_one_counter_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.center_id} {self.day} {self.last}"


class Case(models.Model):
    """办件: one application from receipt to hand-out. Change it only through ``services``."""

    class ApplicantKind(models.TextChoices):
        PERSON = "person", pgettext_lazy("applicant kind", "Person")
        ORGANISATION = "organisation", pgettext_lazy("applicant kind", "Organisation")

    class ProxyKind(models.TextChoices):
        NONE = "", _("None")
        AGENT = "agent", _("Agent (代办)")
        ASSISTANT = "assistant", _("Assistant (帮办)")

    class Decision(models.TextChoices):
        NONE = "", _("Not decided")
        APPROVED = "approved", pgettext_lazy("case decision", "Approved")
        DENIED = "denied", pgettext_lazy("case decision", "Denied")

    class HandoutMethod(models.TextChoices):
        NONE = "", _("Not handed out")
        WINDOW = "window", _("At the window")
        POST = "post", _("By post (free)")

    class PledgeStatus(models.TextChoices):
        NONE = "", _("No pledge")
        OPEN = "open", _("Open")
        FULFILLED = "fulfilled", _("Fulfilled")
        OVERDUE = "overdue", _("Overdue")
        RELEASED = "released", _("Released: the application was denied")

    class ExtensionStatus(models.TextChoices):
        NONE = "", _("None")
        REQUESTED = "requested", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    # Unique through Meta.constraints, not unique=True: on PostgreSQL a unique CharField also
    # gets a second (LIKE) index, and nobody searches case numbers or tokens by prefix. Each
    # index is written on every creation; the composite indexes below lead with center,
    # department and officer, so those foreign keys need no index of their own.
    number = models.CharField(_("case number"), max_length=32)
    center = models.ForeignKey(
        Center,
        verbose_name=_("center"),
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,
    )
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("service item"), on_delete=models.PROTECT, related_name="+"
    )
    guide = models.ForeignKey(
        GuideVersion, verbose_name=_("guide version"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("back-office department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        help_text=_(
            "The visit (called ticket) the case was opened from, with its first responder."
        ),
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    state_before_suspension = models.CharField(max_length=20, blank=True)

    # --- Applicant, proxy
    applicant_kind = models.CharField(
        _("applicant kind"), max_length=16, choices=ApplicantKind.choices
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("applicant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    applicant_name = models.CharField(_("applicant"), max_length=120)
    applicant_masked = models.CharField(_("identity number / credit code"), max_length=20)
    proxy = models.ForeignKey(
        Person,
        verbose_name=_("proxy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proxy_cases",
    )
    proxy_kind = models.CharField(
        _("proxy kind"), max_length=12, choices=ProxyKind.choices, blank=True, default=""
    )
    proxy_authorization = models.CharField(_("authorization"), max_length=200, blank=True)
    application_note = models.CharField(_("what is applied for"), max_length=300, blank=True)
    amendments = models.PositiveSmallIntegerField(_("changes to the application"), default=0)
    checklist = models.JSONField(_("material checklist"), default=list)
    materials_complete_on = models.DateField(_("materials complete on"), null=True, blank=True)

    # --- People responsible
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible clerk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    # --- Intake and the clock (all dates from ``workdays``)
    received_at = models.DateTimeField(_("received at"))
    intake_deadline = models.DateField(_("notice deadline (5 working days)"))
    intake_warned = models.BooleanField(default=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    deemed_accepted = models.BooleanField(_("deemed accepted"), default=False)
    clock_started_on = models.DateField(_("time limit counted from"), null=True, blank=True)
    promised_days = models.PositiveSmallIntegerField(
        _("promised time limit (working days)"), null=True, blank=True
    )
    extended_days = models.PositiveSmallIntegerField(_("extension (working days)"), default=0)
    paused_days = models.PositiveSmallIntegerField(_("suspended (working days)"), default=0)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    suspension_reason = models.CharField(_("reason for suspending"), max_length=300, blank=True)
    warn_at = models.DateTimeField(_("yellow warning at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    due_provisional = models.BooleanField(_("due date provisional"), default=False)
    yellow_warned = models.BooleanField(default=False)
    overdue_marked = models.BooleanField(default=False)

    # --- Pledge (容缺受理)
    pledge_materials = models.JSONField(_("deferred materials"), default=list, blank=True)
    pledge_due = models.DateField(_("pledged date"), null=True, blank=True)
    pledge_signer = models.CharField(_("pledge signed by"), max_length=40, blank=True)
    pledge_status = models.CharField(
        _("pledge"), max_length=12, choices=PledgeStatus.choices, blank=True, default=""
    )
    pledge_reminded = models.BooleanField(default=False)

    # --- Extension (延期)
    extension_status = models.CharField(
        _("extension"), max_length=12, choices=ExtensionStatus.choices, blank=True, default=""
    )
    extension_requested_days = models.PositiveSmallIntegerField(default=0)
    extension_reason = models.CharField(_("reason for the extension"), max_length=300, blank=True)

    # --- Back office
    steps_done = models.PositiveSmallIntegerField(_("steps done"), default=0)
    forwarded_to = models.CharField(_("receiving authority"), max_length=120, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    return_comment = models.CharField(_("returned with"), max_length=300, blank=True)
    decision = models.CharField(
        _("decision"), max_length=12, choices=Decision.choices, blank=True, default=""
    )
    decision_reason = models.CharField(_("reason for the decision"), max_length=500, blank=True)
    legal_basis = models.CharField(_("legal basis of the decision"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result_note = models.CharField(_("result"), max_length=200, blank=True)
    result_ready_at = models.DateTimeField(_("result ready at"), null=True, blank=True)

    # --- Hand-out and the end
    handout_method = models.CharField(
        _("hand-out"), max_length=8, choices=HandoutMethod.choices, blank=True, default=""
    )
    handed_out_at = models.DateTimeField(_("handed out at"), null=True, blank=True)
    handed_to = models.CharField(_("handed to"), max_length=60, blank=True)
    handout_check = models.CharField(_("identity check"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("case closed at"), null=True, blank=True)
    final_reason = models.CharField(_("reason"), max_length=500, blank=True)

    # --- Progress link and the event chain
    progress_token = models.CharField(max_length=32, editable=False)
    event_count = models.PositiveIntegerField(default=0, editable=False)
    event_head = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applicant_kind="person", person__isnull=False)
                | Q(applicant_kind="organisation", organisation__isnull=False),
                name="cases_applicant_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(proxy__isnull=True, proxy_kind="")
                | Q(proxy__isnull=False, proxy_kind__in=["agent", "assistant"]),
                name="cases_proxy_has_kind",
            ),
            models.CheckConstraint(
                condition=~Q(proxy_kind="agent") | ~Q(proxy_authorization=""),
                name="cases_agent_has_authorization",
            ),
            models.CheckConstraint(
                condition=Q(due_at__isnull=True) | Q(due_at__gte=F("received_at")),
                name="cases_due_not_before_receipt",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["approved", "denied"], decision__in=["approved", "denied"])
                | ~Q(state__in=["approved", "denied"]),
                name="cases_decided_state_has_decision",
            ),
            models.CheckConstraint(
                condition=Q(pledge_status="") | Q(pledge_due__isnull=False),
                name="cases_pledge_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=sorted(FINAL_STATES)) | Q(closed_at__isnull=False),
                name="cases_final_state_has_end",
            ),
            models.UniqueConstraint(fields=["number"], name="cases_case_number_unique"),
            models.UniqueConstraint(fields=["progress_token"], name="cases_case_token_unique"),
        ]
        indexes = [
            models.Index(fields=["center", "state", "due_at"], name="cases_center_state_due"),
            models.Index(fields=["center", "received_at"], name="cases_center_received"),
            models.Index(
                fields=["department", "state", "due_at"], name="cases_department_state_due"
            ),
            models.Index(fields=["officer", "state"], name="cases_officer_state"),
            models.Index(fields=["state", "due_at"], name="cases_state_due"),
            models.Index(fields=["state", "warn_at"], name="cases_state_warn"),
            models.Index(fields=["state", "intake_deadline"], name="cases_state_intake"),
            models.Index(fields=["pledge_status", "pledge_due"], name="cases_pledge_due"),
            # The lists over a million cases: one partial index per list, in the list's order,
            # so that a page is read straight off the index without sorting.
            *(
                models.Index(
                    fields=["center", "-received_at", "-id"],
                    condition=Q(state__in=states),
                    name=f"cases_center_{tab}",
                )
                for tab, states in TAB_STATES.items()
            ),
            models.Index(
                fields=["center", "due_at", "id"],
                condition=Q(state__in=sorted(CLOCK_STATES)),
                name="cases_center_running_due",
            ),
            models.Index(
                fields=["department", "due_at", "id"],
                condition=Q(state__in=sorted(CLOCK_STATES)),
                name="cases_dept_running_due",
            ),
            models.Index(
                fields=["department", "due_at", "id"],
                condition=Q(state__in=["approved", "denied", "result_ready", "in_delivery"]),
                name="cases_dept_decided_due",
            ),
            # The officer's queue: waiting to be claimed, forwarded, mine — each in due order
            # straight off its index (without them PostgreSQL sorts the department's rows).
            models.Index(
                fields=["department", "due_at", "id"],
                condition=Q(state="accepted"),
                name="cases_dept_waiting_due",
            ),
            models.Index(
                fields=["department", "due_at", "id"],
                condition=Q(state="forwarded"),
                name="cases_dept_forwarded_due",
            ),
            models.Index(
                fields=["officer", "due_at", "id"],
                condition=Q(state__in=["in_back_office", "returned", "suspended"]),
                name="cases_officer_mine_due",
            ),
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.number

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def total_days(self) -> int | None:
        if self.promised_days is None:
            return None
        return self.promised_days + self.extended_days


class CaseEvent(models.Model):
    """One change of a case: who, in which role, when, from which channel, before and after, why.

    Append-only and hash-chained per case: ``hash`` = HMAC-SM3 (keyed) over the previous event's hash and
    this event's canonical content (``events.event_hash``). ``bianmin verify_events`` recomputes
    every chain and rebuilds every case from its events.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(_("action"), max_length=32)
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("by"), max_length=60, blank=True)
    actor_role = models.CharField(_("role"), max_length=24)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    at = models.DateTimeField(_("at"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["case", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="cases_event_seq_unique"),
        ]
        indexes = [models.Index(fields=["at"], name="cases_event_at")]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(gettext("Case events are append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(gettext("Case events are append-only."))


class OneTimeNotice(models.Model):
    """一次性告知书: everything missing or defective, with reasons, told at once."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notices")
    number = models.PositiveSmallIntegerField(_("notice number"))
    items = models.JSONField(_("materials to supply or correct"))
    amendments_at_issue = models.PositiveSmallIntegerField(default=0)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="cases_notice_number_unique")
        ]
        verbose_name = _("one-time notice")
        verbose_name_plural = _("one-time notices")

    def __str__(self) -> str:
        return f"{self.case} #{self.number}"

    @property
    def material_ids(self) -> set[int]:
        return {int(i["material"]) for i in self.items}


class Delivery(models.Model):
    """免费寄递: the result sent by post, free of charge; delivered counts as handed out.

    The address is personal data: it is kept sealed (SM4, through ``identity.services``) with a
    masked copy for pages and the API. Opening it in full writes an access-log row."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        RETURNED = "returned", _("Returned")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="deliveries")
    recipient = models.CharField(_("recipient"), max_length=40)
    address_sealed = models.TextField(_("address (sealed)"), editable=False)
    address_masked = models.CharField(_("address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    carrier = models.CharField(_("carrier"), max_length=40)
    tracking_number = models.CharField(_("tracking number"), max_length=40)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    sent_at = models.DateTimeField(_("sent at"))
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned by the post at"), null=True, blank=True)
    fee = models.DecimalField(_("fee"), max_digits=6, decimal_places=2, default=0)

    class Meta:
        ordering = ["case", "-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="sent"), name="cases_one_open_delivery"
            ),
            models.UniqueConstraint(
                fields=["carrier", "tracking_number"], name="cases_tracking_number_unique"
            ),
            models.CheckConstraint(condition=Q(fee=0), name="cases_delivery_is_free"),
        ]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}"


class MaterialFile(models.Model):
    """A scan or upload on file: stored outside the web root, by checksum, never altered."""

    class Source(models.TextChoices):
        SCAN = "scan", _("Scanned at the window")
        UPLOAD = "upload", _("Uploaded by the applicant")
        STAFF_UPLOAD = "staff_upload", _("Uploaded by staff")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="files")
    material = models.ForeignKey(
        Material,
        verbose_name=_("material"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64)
    path = models.CharField(max_length=200, editable=False)
    source = models.CharField(_("where the file came from"), max_length=16, choices=Source.choices)
    uploaded_at = models.DateTimeField(_("uploaded at"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "uploaded_at", "id"]
        verbose_name = _("material on file")
        verbose_name_plural = _("materials on file")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(gettext("Materials on file are never altered."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(gettext("Materials on file are never altered."))


class DishonestEntry(models.Model):
    """失信名单: people or organisations to whom a center may not grant 容缺受理."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="dishonest_entries")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    name = models.CharField(_("name"), max_length=120)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    listed_on = models.DateField(_("listed on"))
    until = models.DateField(_("removed on"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        ordering = ["center", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(credit_code=""),
                name="cases_dishonest_names_someone",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "person"], name="cases_dishonest_person"),
            models.Index(fields=["center", "credit_code"], name="cases_dishonest_code"),
        ]
        verbose_name = _("dishonesty list entry")
        verbose_name_plural = _("dishonesty list")

    def __str__(self) -> str:
        return self.name


class DeferralRule(models.Model):
    """What happens when a pledge is broken, per item: suspended at once, terminated after grace."""

    item = models.OneToOneField(ServiceItem, on_delete=models.CASCADE, related_name="+")
    grace_days = models.PositiveSmallIntegerField(
        _("working days suspended before terminating"), default=5
    )
    terminate = models.BooleanField(_("terminate after the grace period"), default=True)

    class Meta:
        verbose_name = _("deferral rule")
        verbose_name_plural = _("deferral rules")

    def __str__(self) -> str:
        return str(self.item)


class Notification(models.Model):
    """One message to staff (in-app) or an applicant (SMS); the outbox of ``notifications``.

    ``key`` is unique: a timer that runs twice, or in two processes, sends once. (A unique
    constraint rather than ``unique=True``: no LIKE twin of its index on PostgreSQL, which no
    query uses; the user's column is indexed by the inbox index, which leads with it.)
    """

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("In-app")
        SMS = "sms", _("SMS")

    key = models.CharField(max_length=120)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="case_notifications",
        db_index=False,
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32)
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(person__isnull=False),
                name="cases_notification_has_recipient",
            ),
            models.UniqueConstraint(fields=["key"], name="cases_notification_key_unique"),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="cases_notification_inbox")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.text
