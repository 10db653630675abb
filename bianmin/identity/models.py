"""Users with their role and scope; people and their encrypted personal data; the logs.

Raw identity and mobile numbers never sit in a column: ``Person`` keeps the SM4 ciphertext, an
HMAC-SM3 digest to find it by, and the masked form to show. Reading the plain number goes
through ``services.reveal_*``, which checks permission and writes ``PersonalDataAccess``.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bianmin.org.models import Center, Department, Region

from .roles import SCOPE_OF_ROLE, Role, ScopeKind


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=40, blank=True)
    staff_number = models.CharField(_("staff number"), max_length=20, blank=True)
    photo = models.FileField(
        _("photo"),
        upload_to="staff-photos/",
        blank=True,
        help_text=_("Shown on the window post board (岗位公示牌). A portrait, 3:4."),
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices, default=Role.CITIZEN)
    region = models.ForeignKey(
        Region,
        verbose_name=_("supervised region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("County supervisors: their county. City supervisors: the city."),
    )
    center = models.ForeignKey(
        Center,
        verbose_name=_("center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text=_("Window clerks and center managers: the center they work at."),
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
        help_text=_("Back-office officers: the department whose cases they decide."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def scope_kind(self) -> str:
        return SCOPE_OF_ROLE[Role(self.role)]

    @property
    def scope_label(self) -> str:
        """What this user's scope is called on screen: 木厂镇便民服务中心, 金安区, 六安市 …"""
        kind = self.scope_kind
        if kind == ScopeKind.CENTER and self.center_id:
            return self.center.name
        if kind == ScopeKind.DEPARTMENT and self.department_id:
            return self.department.name
        if kind in (ScopeKind.COUNTY, ScopeKind.CITY) and self.region_id:
            return self.region.name
        if kind == ScopeKind.PLATFORM:
            return gettext("Whole platform")
        return gettext("Own affairs")

    def clean(self) -> None:
        super().clean()
        kind = SCOPE_OF_ROLE.get(self.role)
        errors: dict[str, str] = {}
        if kind == ScopeKind.CENTER and not self.center_id:
            errors["center"] = gettext("Center: a window clerk or center manager needs a center.")
        if kind == ScopeKind.DEPARTMENT and not self.department_id:
            errors["department"] = gettext(
                "Department: a back-office officer needs the department whose cases they decide."
            )
        if kind == ScopeKind.COUNTY and (
            not self.region_id or self.region.level != Region.Level.COUNTY
        ):
            errors["region"] = gettext("Supervised region: a county supervisor needs a county.")
        if kind == ScopeKind.CITY and (
            not self.region_id or self.region.level != Region.Level.CITY
        ):
            errors["region"] = gettext("Supervised region: a city supervisor needs the city.")
        if errors:
            raise ValidationError(errors)


class Session(AbstractBaseSession):
    """A login session, with its user as a column: one query reads the session, the user and the
    user's center (or department) on every request (``bianmin.identity.sessions``)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), null=True, blank=True, on_delete=models.CASCADE
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "identity_session"
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore


class Person(models.Model):
    """A citizen known to the platform, by encrypted identity number."""

    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    name = models.CharField(_("full name"), max_length=40)
    id_number_sealed = models.TextField(_("identity number (SM4 sealed)"), editable=False)
    id_number_digest = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("identity number"), max_length=18, editable=False)
    birth_date = models.DateField(_("date of birth"), editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, editable=False)
    mobile_sealed = models.TextField(blank=True, editable=False)
    mobile_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    mobile_masked = models.CharField(_("mobile number"), max_length=11, blank=True, editable=False)
    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.name} {self.id_number_masked}"

    def age_on(self, day) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class PersonalDataAccess(models.Model):
    """One unmasked view of a person's data: who saw what, when, why, from where. Append-only."""

    class Field(models.TextChoices):
        ID_NUMBER = "id_number", _("identity number")
        MOBILE = "mobile", _("mobile number")
        DOCUMENT = "document", _("document on file")
        ADDRESS = "address", _("postal address")

    viewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="accesses")
    field = models.CharField(_("field"), max_length=16, choices=Field.choices)
    purpose = models.CharField(_("purpose"), max_length=200)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data access log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.viewer} → {self.person} ({self.field})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(gettext("The access log is append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(gettext("The access log is append-only."))


class LoginAttempt(models.Model):
    username = models.CharField(max_length=150, db_index=True)
    succeeded = models.BooleanField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("login attempt")
        verbose_name_plural = _("login attempts")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {'ok' if self.succeeded else 'failed'}"


class Device(models.Model):
    """A kiosk, display board or rating pad that calls the API with a token instead of a login."""

    class Kind(models.TextChoices):
        KIOSK = "kiosk", _("Kiosk")
        DISPLAY = "display", _("Display board")
        RATING_PAD = "rating_pad", _("Rating pad")

    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="devices")
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["center", "name"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")

    def __str__(self) -> str:
        return f"{self.center} · {self.name}"
