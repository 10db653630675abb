"""The portal's own tables: one-time login codes, rate-limit hits, and application drafts.

Cases are created by ``bianmin.cases.online`` when a draft is submitted; until then the draft
and its files belong to the portal. Files are stored by ``bianmin.cases.files`` (outside the web
root, named by checksum) so that submitting moves no bytes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bianmin.catalog.models import Material, ServiceItem
from bianmin.identity.models import Person
from bianmin.org.models import Center


class LoginCode(models.Model):
    """A one-time code sent by SMS to a mobile number. Only a keyed hash of the code is kept."""

    mobile_digest = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("login code")
        verbose_name_plural = _("login codes")

    def __str__(self) -> str:
        return f"code {self.created_at:%Y-%m-%d %H:%M}"


class Hit(models.Model):
    """One counted request for the rate limits (code requests, code checks, lookups).

    In the database rather than a per-process cache, so that several server processes share it.
    ``key`` is a digest (of an address or a mobile number), never the raw value.
    """

    kind = models.CharField(max_length=24)
    key = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["kind", "key", "at"], name="portal_hit_kind_key_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class Application(models.Model):
    """An online application: a draft the citizen fills over time, then a submitted case."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_applications"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="+")
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("what you apply for"), max_length=300, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    case = models.OneToOneField(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("online application")
        verbose_name_plural = _("online applications")

    def __str__(self) -> str:
        return f"{self.item} · {self.get_status_display()}"


class DraftFile(models.Model):
    """A file uploaded into a draft (checked, downscaled and stored by checksum)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "material", "id"]

    def __str__(self) -> str:
        return self.name
