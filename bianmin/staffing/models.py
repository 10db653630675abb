"""Staffing (policy 三(二): 人等事 vs 事等人): the center's waiting target and the peaks its manager
expects.

What the database holds here:

- one waiting target per center (e.g. 80 % served within 15 minutes);
- an expected peak names one queue of its center, a day and whole hours (start before end), and
  adds people, multiplies the usual arrivals, or both; who entered it and when is kept, and a
  removed peak stays (with who removed it and when) so that the plan of a past day can be read
  again.

Workflows live in ``services.py``; the forecast in ``forecast.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bianmin.org.models import Center
from bianmin.queueing.models import Queue


class StaffingSettings(models.Model):
    """A center's waiting target and how much history the forecast reads."""

    center = models.OneToOneField(
        Center, on_delete=models.CASCADE, related_name="staffing_settings"
    )
    target_minutes = models.PositiveSmallIntegerField(
        _("waiting target (minutes)"),
        default=15,
        help_text=_("People should be called within this many minutes."),
    )
    target_share = models.PositiveSmallIntegerField(
        _("share served within the target (%)"), default=80
    )
    history_weeks = models.PositiveSmallIntegerField(
        _("weeks of history the forecast reads"), default=6
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(target_minutes__gte=1, target_minutes__lte=120),
                name="staffing_target_minutes",
            ),
            models.CheckConstraint(
                condition=Q(target_share__gte=50, target_share__lte=99),
                name="staffing_target_share",
            ),
            models.CheckConstraint(
                condition=Q(history_weeks__gte=1, history_weeks__lte=26),
                name="staffing_history_weeks",
            ),
        ]
        verbose_name = _("staffing settings")
        verbose_name_plural = _("staffing settings")

    def __str__(self) -> str:
        return str(self.center)


class ExpectedPeak(models.Model):
    """A peak the manager expects (养老保险集中参保缴费, 医保集中缴费 …): extra people in one queue
    on one day between two whole hours, or the usual arrivals multiplied by a factor."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="expected_peaks")
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("peak name"), max_length=60)
    day = models.DateField(_("peak day"))
    starts_hour = models.PositiveSmallIntegerField(_("from (hour)"))
    ends_hour = models.PositiveSmallIntegerField(_("until (hour)"))
    extra_people = models.PositiveIntegerField(_("extra people expected"), null=True, blank=True)
    factor = models.DecimalField(
        _("arrivals multiplied by"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("peak remarks"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("entered at"))
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        ordering = ["day", "starts_hour", "id"]
        indexes = [models.Index(fields=["center", "day"], name="staffing_peak_center_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_hour__lte=23, ends_hour__gte=1, ends_hour__lte=24)
                & Q(ends_hour__gt=F("starts_hour")),
                name="staffing_peak_hours_ordered",
            ),
            models.CheckConstraint(
                condition=Q(extra_people__isnull=False) | Q(factor__isnull=False),
                name="staffing_peak_has_size",
            ),
            models.CheckConstraint(
                condition=Q(factor__isnull=True) | Q(factor__gt=0, factor__lte=20),
                name="staffing_peak_factor_range",
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True, removed_by__isnull=True)
                | Q(removed_at__isnull=False, removed_by__isnull=False),
                name="staffing_peak_removal_complete",
            ),
        ]
        verbose_name = _("expected peak")
        verbose_name_plural = _("expected peaks")

    def __str__(self) -> str:
        return f"{self.name} {self.day} {self.starts_hour}-{self.ends_hour}"

    @property
    def active(self) -> bool:
        return self.removed_at is None
