"""Reference data for administrators: reasons, conduct tags, center settings, rating pads."""

from django.contrib import admin

from .models import ConductTag, FeedbackSettings, RatingPad, Reason


@admin.register(Reason)
class ReasonAdmin(admin.ModelAdmin):
    list_display = ("name", "group", "code", "order", "active")
    list_filter = ("group", "active")
    list_editable = ("order", "active")


@admin.register(ConductTag)
class ConductTagAdmin(admin.ModelAdmin):
    list_display = ("name", "group", "code", "order", "active")
    list_filter = ("group", "active")
    list_editable = ("order", "active")


@admin.register(FeedbackSettings)
class FeedbackSettingsAdmin(admin.ModelAdmin):
    list_display = (
        "center",
        "rating_days",
        "unrated_rule",
        "rectification_days",
        "report_days",
        "pad_pickup_minutes",
        "sms_invitation",
    )
    search_fields = ("center__name",)
    autocomplete_fields = ("center",)


@admin.register(RatingPad)
class RatingPadAdmin(admin.ModelAdmin):
    list_display = ("device", "window")
    raw_id_fields = ("device", "window")
