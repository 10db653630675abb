"""Regions (市 / 县区 / 乡镇街道) with official codes, the township centers, and departments.

The database holds what it can: unique codes, one center per township, a department's region.
Rules that need another row (a center's name derives from its township) live in ``clean()``
and are enforced again in ``save()`` so that no code path can write a wrong name.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .validators import center_name_for, validate_center_name, validate_division_code


class Region(models.Model):
    class Level(models.TextChoices):
        CITY = "city", _("City")
        COUNTY = "county", _("County / district")
        TOWNSHIP = "township", _("Township / subdistrict")

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        DISTRICT = "district", _("District")
        COUNTY = "county", _("County")
        TOWN = "town", _("Town (镇)")
        TOWNSHIP_XIANG = "township_xiang", _("Township (乡)")
        SUBDISTRICT = "subdistrict", _("Subdistrict (街道)")

    code = models.CharField(
        _("division code"), max_length=12, unique=True, validators=[validate_division_code]
    )
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    @property
    def county(self) -> Region | None:
        """The county-level region this region belongs to (itself for a county)."""
        if self.level == self.Level.COUNTY:
            return self
        if self.level == self.Level.TOWNSHIP:
            return self.parent
        return None

    def contains(self, other: Region) -> bool:
        """True when ``other`` is this region or lies inside it (by parent chain)."""
        node: Region | None = other
        while node is not None:
            if node.pk == self.pk:
                return True
            node = node.parent
        return False


class Center(models.Model):
    """A township's 便民服务中心. Its name is derived from the township and cannot differ."""

    region = models.OneToOneField(
        Region,
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="center",
        limit_choices_to={"level": Region.Level.TOWNSHIP},
    )
    # Not unique: 双河镇 and 城关镇 each exist in two counties; the township identifies the center.
    name = models.CharField(_("name"), max_length=80)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("consultation phone"), max_length=40, blank=True)
    complaint_phone = models.CharField(_("complaint phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["region__code"]
        verbose_name = _("center")
        verbose_name_plural = _("centers")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.name and self.region_id is not None:
            self.name = center_name_for(self.region.name)
        self.clean()
        super().save(*args, **kwargs)

    @property
    def county(self) -> Region:
        return self.region.parent

    def clean(self) -> None:
        super().clean()
        if self.region_id is not None:
            if self.region.level != Region.Level.TOWNSHIP:
                raise ValidationError(
                    {"region": gettext("Township: a center belongs to a township or subdistrict.")}
                )
            if not self.name:
                self.name = center_name_for(self.region.name)
            validate_center_name(self.name, self.region.name)


class Department(models.Model):
    """A department whose officers decide cases (后台分类审批): e.g. 金安区民政局, or a township station.

    ``domain`` is the catalogue's domain key (人社, 民政 …) as plain text, so that this app does
    not depend on the catalogue; the catalogue maps its domains onto it.
    """

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField(_("name"), max_length=80)
    domain = models.CharField(_("domain"), max_length=32, blank=True)

    class Meta:
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="department_unique_per_region")
        ]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class CenterRecordChange(models.Model):
    """One change to a center's record (address, phones, opening hours): who, when, what.

    Append-only. ``changes`` maps a field to ``{"from": old, "to": new}`` as shown on screen
    (opening hours as their one-line text).
    """

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.CASCADE, related_name="record_changes"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("change to a center's record")
        verbose_name_plural = _("changes to centers' records")

    def __str__(self) -> str:
        return f"{self.center} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(gettext("The history of a center's record is append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(gettext("The history of a center's record is append-only."))
