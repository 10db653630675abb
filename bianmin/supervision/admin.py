"""Reference data for administrators: the checklist and the assessment's weights per year.

Supervisors edit the checklist on /supervision/checklist/ (each change logged and versioned);
the admin is the system administrator's way to the same rows and to the weights."""

from django.contrib import admin

from .models import AssessmentWeights, Checklist, ChecklistItem


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ("order", "code", "area", "clause", "text", "hint", "active")


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "updated_at")
    inlines = [ChecklistItemInline]


@admin.register(AssessmentWeights)
class AssessmentWeightsAdmin(admin.ModelAdmin):
    list_display = (
        "year",
        "ratings",
        "cases_on_time",
        "one_time_notice",
        "queue_wait",
        "guides",
        "inspection_items",
        "tasks_on_time",
        "wait_target_minutes",
    )
