"""Days an administrator enters over the published calendar.

The State Council publishes each year's holiday schedule (放假安排) in November or December; the
``chinesecalendar`` package follows it with a release. Between the two, or to record a local
change, an administrator enters the holidays and make-up working days here, and marks the year's
schedule as entered so that results for that year are no longer flagged as provisional.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DayOverride(models.Model):
    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(
        _("is a working day"),
        help_text=_("Ticked: a make-up working day (调休上班). Unticked: a holiday."),
    )
    name = models.CharField(_("name"), max_length=40, help_text=_("For example 春节 or 国庆节"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday or make-up day")
        verbose_name_plural = _("holidays and make-up days")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class YearSchedule(models.Model):
    """Marks that a year's official schedule has been entered in full (its days above)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(
        _("source"), max_length=200, help_text=_("For example 国办发明电〔2026〕X号")
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("official schedule of a year")
        verbose_name_plural = _("official schedules of years")

    def __str__(self) -> str:
        return str(self.year)
