"""Administration of the cases' reference data (deferral rules, dishonesty lists) and a
read-only view of cases and their events: every change of a case goes through ``services``."""

from django.contrib import admin

from .models import Case, CaseEvent, DeferralRule, DishonestEntry, Notification


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeferralRule)
class DeferralRuleAdmin(admin.ModelAdmin):
    list_display = ("item", "grace_days", "terminate")
    raw_id_fields = ("item",)


@admin.register(DishonestEntry)
class DishonestEntryAdmin(admin.ModelAdmin):
    list_display = ("center", "name", "credit_code", "listed_on", "until", "reason")
    list_filter = ("center",)
    raw_id_fields = ("center", "person")
    search_fields = ("name", "credit_code")


@admin.register(Case)
class CaseAdmin(ReadOnly):
    list_display = ("number", "item", "state", "applicant_name", "received_at", "due_at")
    list_filter = ("state",)
    search_fields = ("number",)
    list_select_related = ("item",)
    show_full_result_count = False


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnly):
    list_display = ("case", "seq", "action", "from_state", "to_state", "actor_name", "at")
    list_select_related = ("case",)
    search_fields = ("case__number",)
    show_full_result_count = False


@admin.register(Notification)
class NotificationAdmin(ReadOnly):
    list_display = ("created_at", "channel", "kind", "text", "sent_at")
    list_filter = ("channel", "kind")
    show_full_result_count = False
