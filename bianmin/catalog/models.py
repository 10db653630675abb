"""The service catalogue: domains, service items, guide versions, bundles, entries per center, audits.

What the database holds here:

- a domain's code and short name are unique; an item's basic code is unique;
- at most one *published* guide version per item and at most one *open* version (draft or
  reviewed) per item, so two supervisors cannot edit two rival drafts;
- at most one active entry (进驻) per center and item;
- every change of state is a ``CatalogEvent`` row, append-only.

Rules that need more than one row (promised ≤ statutory days, completeness before publishing,
reviewer ≠ editor) live in ``validators.py`` and ``services.py``; the guide audit catches anything
that slipped past them (an old import, a manual database edit).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from bianmin.org.models import Center, Region

from .validators import validate_basic_code, validate_domain_code


class Domain(models.Model):
    """A department area (领域): 人社, 医保, 民政 … ``name`` equals ``org.Department.domain``."""

    class WindowGroup(models.TextChoices):
        SOCIAL_SECURITY = "social_security", _("Social security window")
        SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance window")
        OTHER = "other", _("Other domains")

    code = models.CharField(
        _("code"), max_length=32, unique=True, validators=[validate_domain_code]
    )
    name = models.CharField(_("short name"), max_length=32, unique=True)
    full_name = models.CharField(pgettext_lazy("domain", "full name"), max_length=64)
    department_suffix = models.CharField(
        _("county department suffix"),
        max_length=64,
        blank=True,
        help_text=_("The county department is named <county name> + this suffix."),
    )
    window_group = models.CharField(
        _("window group"), max_length=24, choices=WindowGroup.choices, default=WindowGroup.OTHER
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self) -> str:
        return self.name


class LifeEvent(models.Model):
    """A life event (新生儿出生, 退休 …): a tag for browsing items and the theme of a bundle."""

    name = models.CharField(_("name"), max_length=32, unique=True)
    pinyin = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("life event")
        verbose_name_plural = _("life events")

    def __str__(self) -> str:
        return self.name


class ServiceItem(models.Model):
    """One thing a citizen can get done, with the national elements of the implementation list."""

    class ItemType(models.TextChoices):
        ADMINISTRATIVE_LICENSE = "administrative_license", _("Administrative licence")
        ADMINISTRATIVE_CONFIRMATION = (
            "administrative_confirmation",
            _("Administrative confirmation"),
        )
        ADMINISTRATIVE_PAYMENT = "administrative_payment", _("Administrative payment")
        ADMINISTRATIVE_RULING = "administrative_ruling", _("Administrative ruling")
        ADMINISTRATIVE_REWARD = "administrative_reward", _("Administrative reward")
        OTHER_ADMINISTRATIVE_POWER = "other_administrative_power", _("Other administrative power")
        PUBLIC_SERVICE = "public_service", _("Public service")

    class HandlingLevel(models.TextChoices):
        TOWNSHIP = "township", _("Township")
        COUNTY = "county", _("County")

    class Frequency(models.TextChoices):
        HIGH = "high", _("High-frequency")
        LOW = "low", _("Low-frequency")
        SEASONAL = "seasonal", _("Seasonal")
        FORWARDED = "forwarded", pgettext_lazy("catalogue", "Forwarded")

    class Status(models.TextChoices):
        ACTIVE = "active", _("In force")
        CANCELLED = "cancelled", _("Cancelled")

    class CrossRegion(models.TextChoices):
        NONE = "", _("None")
        CROSS_PROVINCE = "cross_province", _("Cross-province (跨省通办)")
        YANGTZE_DELTA = "yangtze_delta", _("Yangtze River Delta (长三角一网通办)")

    domain = models.ForeignKey(
        Domain, verbose_name=_("domain"), on_delete=models.PROTECT, related_name="items"
    )
    name = models.CharField(_("item name"), max_length=120)
    basic_code = models.CharField(
        _("basic code"), max_length=12, unique=True, validators=[validate_basic_code]
    )
    implementation_code = models.CharField(
        _("implementation code"), max_length=36, blank=True, db_index=True
    )
    item_type = models.CharField(_("item type"), max_length=32, choices=ItemType.choices)
    legal_basis = models.TextField(pgettext_lazy("catalogue", "legal basis"), blank=True)
    implementing_body = models.CharField(_("implementing body"), max_length=120, blank=True)
    handling_level = models.CharField(
        _("handling level"), max_length=16, choices=HandlingLevel.choices
    )
    frequency = models.CharField(_("frequency class"), max_length=16, choices=Frequency.choices)
    for_person = models.BooleanField(_("serves persons"), default=True)
    for_organisation = models.BooleanField(_("serves organisations"), default=False)
    channel_window = models.BooleanField(_("at the window"), default=True)
    channel_online = models.BooleanField(_("online"), default=False)
    channel_kiosk = models.BooleanField(_("at a kiosk"), default=False)
    channel_post = models.BooleanField(_("by post"), default=False)
    supports_appointment = models.BooleanField(_("appointment"), default=False)
    supports_express = models.BooleanField(_("express delivery of the result"), default=False)
    supports_online_payment = models.BooleanField(_("online payment"), default=False)
    cross_region = models.CharField(
        _("cross-region scope"),
        max_length=16,
        choices=CrossRegion.choices,
        blank=True,
        default=CrossRegion.NONE,
    )
    keywords = models.CharField(
        _("other names"),
        max_length=200,
        blank=True,
        help_text=_(
            "Names people use for it, separated by 、 (e.g. 低保). Searched like the name."
        ),
    )
    life_events = models.ManyToManyField(
        LifeEvent, verbose_name=_("life events"), blank=True, related_name="items"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Search columns, derived from the name and other names by ``search.search_keys``.
    search_keys = models.TextField(editable=False, blank=True)
    name_initials = models.CharField(max_length=120, editable=False, blank=True)

    class Meta:
        ordering = ["domain__order", "domain__code", "basic_code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="active", cancelled_at__isnull=True)
                | Q(status="cancelled", cancelled_at__isnull=False),
                name="catalog_item_cancelled_has_date",
            ),
        ]
        verbose_name = _("service item")
        verbose_name_plural = _("service items")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_forwarded(self) -> bool:
        """A county item handled at the township: accepted here, decided at county level."""
        return (
            self.handling_level == self.HandlingLevel.COUNTY
            or self.frequency == self.Frequency.FORWARDED
        )

    @property
    def implementing_body_shown(self) -> str:
        """The implementing body, or who implements it by its level when none is recorded."""
        if self.implementing_body:
            return self.implementing_body
        if self.handling_level == self.HandlingLevel.COUNTY and self.domain.department_suffix:
            return gettext("County-level %(department)s") % {
                "department": self.domain.department_suffix
            }
        return gettext("Township government (subdistrict office)")

    @property
    def channels(self) -> list[str]:
        return [c for c in CHANNELS if getattr(self, f"channel_{c}")]

    @property
    def service_objects(self) -> list[str]:
        out = []
        if self.for_person:
            out.append("person")
        if self.for_organisation:
            out.append("organisation")
        return out


CHANNELS = ("window", "online", "kiosk", "post")
CHANNEL_LABELS = {
    "window": pgettext_lazy("catalogue", "At the window"),
    "online": pgettext_lazy("catalogue", "Online"),
    "kiosk": _("Self-service kiosk"),
    "post": pgettext_lazy("catalogue", "By post"),
}


class GuideVersion(models.Model):
    """One version of an item's 办事指南. The item's guide is the sequence of its versions.

    drafted → reviewed → published → retired. Cases point to the version they were accepted
    under; publishing a new version retires the old one and never changes an accepted case.
    Place, hours and phones are not here: they are each center's own (同标准受理、无差别办理).
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEWED = "reviewed", _("Reviewed")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    class ResultType(models.TextChoices):
        CERTIFICATE = "certificate", _("Certificate or card")
        APPROVAL_DOCUMENT = "approval_document", _("Approval document")
        RECORD = "record", _("Registration or record")
        PAYMENT = "payment", _("Payment")
        OTHER = "other", _("Other")

    item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("service item"),
        on_delete=models.PROTECT,
        related_name="guide_versions",
    )
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    conditions = models.TextField(_("conditions"), blank=True)
    statutory_days = models.PositiveIntegerField(
        _("statutory time limit (working days)"), null=True, blank=True
    )
    promised_days = models.PositiveIntegerField(
        _("promised time limit (working days)"), null=True, blank=True
    )
    time_limit_note = models.CharField(_("time limit note"), max_length=300, blank=True)
    allows_deferral = models.BooleanField(_("deferred materials (容缺) allowed"), default=False)
    visits = models.PositiveSmallIntegerField(_("visits to the hall"), null=True, blank=True)
    result_type = models.CharField(
        _("result type"), max_length=24, choices=ResultType.choices, blank=True
    )
    result_name = models.CharField(_("result name"), max_length=120, blank=True)
    result_sample = models.FileField(
        _("result sample"), upload_to="catalog/results/", blank=True, max_length=200
    )
    online_url = models.URLField(_("online application address"), blank=True)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)

    created_at = models.DateTimeField(_("drafted at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    edited_at = models.DateTimeField(_("last edited at"), null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.CharField(_("review note"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    # The last time someone confirmed the published guide is still accurate (yearly check).
    confirmed_at = models.DateTimeField(_("last confirmed accurate"), null=True, blank=True)

    class Meta:
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="catalog_guide_version_number"),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(state="published"),
                name="catalog_one_published_guide_per_item",
            ),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(state__in=["draft", "reviewed"]),
                name="catalog_one_open_draft_per_item",
            ),
        ]
        verbose_name = _("guide version")
        verbose_name_plural = _("guide versions")

    def __str__(self) -> str:
        return gettext("%(item)s · version %(n)s") % {"item": self.item, "n": self.number}

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def normal_steps(self):
        return [s for s in self.steps.all() if not s.special]

    @property
    def special_steps(self):
        return [s for s in self.steps.all() if s.special]


class Material(models.Model):
    """One document the applicant brings (申请材料), with every field of the national table."""

    class Necessity(models.TextChoices):
        REQUIRED = "required", _("Required")
        CONDITIONAL = "conditional", _("Required in some cases")
        OPTIONAL = "optional", _("Optional")

    class Form(models.TextChoices):
        ORIGINAL = "original", _("Original")
        COPY = "copy", _("Copy")
        ORIGINAL_AND_COPY = "original_and_copy", _("Original and copy")
        ELECTRONIC = "electronic", _("Electronic")

    class SourceChannel(models.TextChoices):
        APPLICANT = "applicant", _("The applicant")
        GOVERNMENT = "government", _("A government department")
        OTHER = "other", _("Other")

    guide = models.ForeignKey(GuideVersion, on_delete=models.CASCADE, related_name="materials")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("material name"), max_length=120)
    necessity = models.CharField(
        _("necessity"), max_length=16, choices=Necessity.choices, default=Necessity.REQUIRED
    )
    condition_note = models.CharField(_("when needed"), max_length=300, blank=True)
    form = models.CharField(_("form"), max_length=24, choices=Form.choices, blank=True)
    paper_copies = models.PositiveSmallIntegerField(_("paper copies"), default=0)
    specification = models.CharField(_("paper specification"), max_length=120, blank=True)
    source_channel = models.CharField(
        _("source channel"),
        max_length=16,
        choices=SourceChannel.choices,
        default=SourceChannel.APPLICANT,
    )
    source_note = models.CharField(_("source note"), max_length=200, blank=True)
    acceptance_standard = models.CharField(_("acceptance standard"), max_length=300, blank=True)
    basis = models.CharField(_("basis"), max_length=300, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    deferrable = models.BooleanField(_("may be deferred (容缺)"), default=False)
    blank_form = models.FileField(
        _("blank form"), upload_to="catalog/forms/", blank=True, max_length=200
    )
    sample = models.FileField(
        _("filled sample"), upload_to="catalog/samples/", blank=True, max_length=200
    )

    class Meta:
        ordering = ["guide", "order", "id"]
        verbose_name = pgettext_lazy("catalogue", "material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.name


class Step(models.Model):
    """A step of the procedure; a special step (特别程序: 公示, 鉴定 …) has its own time and may or
    may not count in the statutory limit."""

    guide = models.ForeignKey(GuideVersion, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    special = models.BooleanField(_("special step"), default=False)
    name = models.CharField(_("step name"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    days = models.PositiveSmallIntegerField(_("working days"), null=True, blank=True)
    counts_in_limit = models.BooleanField(_("counts in the time limit"), default=True)

    class Meta:
        ordering = ["guide", "special", "order", "id"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return self.name


class Fee(models.Model):
    guide = models.ForeignKey(GuideVersion, on_delete=models.CASCADE, related_name="fees")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("fee item"), max_length=120)
    standard = models.CharField(_("fee standard"), max_length=200)
    basis = models.CharField(_("fee basis"), max_length=300, blank=True)
    exemption = models.CharField(_("reduction or exemption"), max_length=300, blank=True)

    class Meta:
        ordering = ["guide", "order", "id"]
        verbose_name = pgettext_lazy("catalogue", "fee")
        verbose_name_plural = _("fees")

    def __str__(self) -> str:
        return self.name


class FAQ(models.Model):
    guide = models.ForeignKey(GuideVersion, on_delete=models.CASCADE, related_name="faqs")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))

    class Meta:
        ordering = ["guide", "order", "id"]
        verbose_name = _("question and answer")
        verbose_name_plural = _("questions and answers")

    def __str__(self) -> str:
        return self.question


class Bundle(models.Model):
    """一件事: a life event that groups several items under one application."""

    code = models.CharField(
        _("code"), max_length=32, unique=True, validators=[validate_domain_code]
    )
    name = models.CharField(_("name"), max_length=80, unique=True)
    life_event = models.ForeignKey(
        LifeEvent, verbose_name=_("life event"), on_delete=models.PROTECT, related_name="bundles"
    )
    description = models.TextField(_("description"), blank=True)
    items = models.ManyToManyField(
        ServiceItem, through="BundleItem", related_name="bundles", verbose_name=_("items")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("bundle")
        verbose_name_plural = _("bundles")

    def __str__(self) -> str:
        return self.name


class BundleItem(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="bundle_items")
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["bundle", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "item"], name="catalog_bundle_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.bundle_id}:{self.item_id}"


class ItemEntry(models.Model):
    """进驻: an item handled at a center, by delegated authority, commission or assisted service."""

    class Mode(models.TextChoices):
        DELEGATED = "delegated", _("Delegated authority")
        COMMISSIONED = "commissioned", _("Commissioned")
        ASSISTED = "assisted", _("Assisted service")

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="item_entries"
    )
    item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("service item"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices)
    entered_on = models.DateField(_("entered on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdraw_reason = models.CharField(_("reason for withdrawing"), max_length=300, blank=True)

    class Meta:
        ordering = ["center", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "item"],
                condition=Q(withdrawn_on__isnull=True),
                name="catalog_one_active_entry_per_center_item",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True)
                | Q(withdrawn_on__gte=models.F("entered_on")),
                name="catalog_entry_withdrawn_after_entered",
            ),
        ]
        indexes = [models.Index(fields=["center", "withdrawn_on"])]
        verbose_name = _("item entry")
        verbose_name_plural = _("item entries")

    def __str__(self) -> str:
        return f"{self.center} · {self.item}"


class CatalogEvent(models.Model):
    """One change to the catalogue: who, when, what, why. Append-only; the catalogue's history."""

    class Kind(models.TextChoices):
        ITEM_ADDED = "item_added", _("Item added")
        ITEM_CHANGED = "item_changed", _("Item changed")
        ITEM_CANCELLED = "item_cancelled", _("Item cancelled")
        GUIDE_DRAFTED = "guide_drafted", _("Guide drafted")
        GUIDE_EDITED = "guide_edited", _("Guide edited")
        GUIDE_REVIEWED = "guide_reviewed", _("Guide reviewed")
        GUIDE_RETURNED = "guide_returned", _("Guide returned to draft")
        GUIDE_PUBLISHED = "guide_published", _("Guide published")
        GUIDE_RETIRED = "guide_retired", _("Guide retired")
        GUIDE_CONFIRMED = "guide_confirmed", _("Guide confirmed accurate")
        GUIDE_DISCARDED = "guide_discarded", _("Draft discarded")
        ENTRY_ADDED = "entry_added", _("Item entered at a center")
        ENTRY_CHANGED = "entry_changed", _("Entry mode changed")
        ENTRY_WITHDRAWN = "entry_withdrawn", _("Item withdrawn from a center")
        BUNDLE_SAVED = "bundle_saved", _("Bundle saved")
        IMPORTED = "imported", _("Catalogue imported")

    kind = models.CharField(_("what"), max_length=24, choices=Kind.choices, db_index=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    effective_on = models.DateField(_("effective on"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    item = models.ForeignKey(
        ServiceItem, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    version = models.ForeignKey(
        GuideVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    center = models.ForeignKey(
        Center, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("catalogue event")
        verbose_name_plural = _("catalogue events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.get_kind_display()} {self.item or ''}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(gettext("The catalogue's history is append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(gettext("The catalogue's history is append-only."))


class AuditRun(models.Model):
    """One run of the guide audit (完整性、准确性排查), with its scores and findings."""

    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the whole catalogue and every center."),
    )
    items_checked = models.PositiveIntegerField(default=0)
    centers_checked = models.PositiveIntegerField(default=0)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True)
    # {"items": {item_id: score}, "centers": {center_id: score}, "counties": {region_id: score}}
    scores = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("guide audit")
        verbose_name_plural = _("guide audits")

    def __str__(self) -> str:
        return gettext("Guide audit of %(at)s") % {"at": f"{self.started_at:%Y-%m-%d %H:%M}"}


class AuditFinding(models.Model):
    class Severity(models.TextChoices):
        ERROR = "error", _("Incomplete")
        WARNING = "warning", _("Inaccurate")
        NOTICE = "notice", _("Notice")

    run = models.ForeignKey(AuditRun, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(
        ServiceItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    center = models.ForeignKey(
        Center, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices)
    code = models.CharField(_("rule"), max_length=48)
    message = models.CharField(_("finding"), max_length=500)

    class Meta:
        ordering = ["run", "id"]
        indexes = [models.Index(fields=["run", "center"]), models.Index(fields=["run", "item"])]
        verbose_name = _("audit finding")
        verbose_name_plural = _("audit findings")

    def __str__(self) -> str:
        return self.message

    @property
    def rule_name(self) -> str:
        from .audit import rule_name  # the audit (and the checks plugged into it) name the rules

        return rule_name(self.code)
