from django.contrib import admin

from .models import (
    Attendance,
    AwayNotice,
    ExtraDuty,
    Facility,
    HallSettings,
    OpeningHours,
    Post,
    RoutingOverride,
    TrainingRecord,
    Window,
    Zone,
)


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ("center", "number", "name", "kind", "active")
    list_filter = ("kind", "active")
    search_fields = ("center__name", "name")
    raw_id_fields = ("center", "zone")


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("window", "primary", "backup")
    raw_id_fields = ("window", "primary", "backup")
    search_fields = ("window__center__name",)


@admin.register(AwayNotice)
class AwayNoticeAdmin(admin.ModelAdmin):
    list_display = (
        "left_at",
        "clerk",
        "reason",
        "expected_return_at",
        "returned_at",
        "substitute",
        "approval",
    )
    list_filter = ("approval",)
    raw_id_fields = ("post", "clerk", "substitute", "decided_by")


for model in (
    HallSettings,
    Zone,
    OpeningHours,
    ExtraDuty,
    Attendance,
    RoutingOverride,
    Facility,
    TrainingRecord,
):
    admin.site.register(model, admin.ModelAdmin)
