from django.contrib import admin

from .models import DayOverride, YearSchedule


@admin.register(DayOverride)
class DayOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "is_workday", "note", "created_by", "created_at")
    list_filter = ("is_workday",)
    date_hierarchy = "date"
    search_fields = ("name", "note")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(YearSchedule)
class YearScheduleAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "entered_at")
