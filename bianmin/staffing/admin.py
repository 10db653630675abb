"""For administrators: the centers' waiting targets, and the peaks entered (read-only: a peak is
entered and removed by the center's manager on the staffing page, with who and when)."""

from django.contrib import admin

from bianmin.identity.admin import ReadOnlyAdmin

from .models import ExpectedPeak, StaffingSettings


@admin.register(StaffingSettings)
class StaffingSettingsAdmin(admin.ModelAdmin):
    list_display = ("center", "target_minutes", "target_share", "history_weeks")
    search_fields = ("center__name", "center__region__code")


@admin.register(ExpectedPeak)
class ExpectedPeakAdmin(ReadOnlyAdmin):
    list_display = (
        "day",
        "center",
        "queue",
        "name",
        "starts_hour",
        "ends_hour",
        "created_by",
        "removed_at",
    )
    list_filter = ("day",)
    search_fields = ("name", "center__name")
