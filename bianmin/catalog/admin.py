"""Raw reference data in the admin. Guides are edited, reviewed and published on the catalogue's
own pages (/catalog/manage/), which keep the lifecycle and the rules; here they are read-only."""

from django.contrib import admin

from .models import (
    AuditRun,
    Bundle,
    BundleItem,
    CatalogEvent,
    Domain,
    GuideVersion,
    ItemEntry,
    LifeEvent,
    ServiceItem,
)


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "full_name", "window_group", "order")
    list_editable = ("order",)


@admin.register(LifeEvent)
class LifeEventAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = ("basic_code", "name", "domain", "frequency", "handling_level", "status")
    list_filter = ("domain", "frequency", "handling_level", "status")
    search_fields = ("basic_code", "name", "keywords")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GuideVersion)
class GuideVersionAdmin(admin.ModelAdmin):
    list_display = ("item", "number", "state", "published_at", "retired_at")
    list_filter = ("state",)
    search_fields = ("item__name", "item__basic_code")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BundleItemInline(admin.TabularInline):
    model = BundleItem
    raw_id_fields = ("item",)
    extra = 0


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "life_event", "active")
    inlines = [BundleItemInline]


@admin.register(ItemEntry)
class ItemEntryAdmin(admin.ModelAdmin):
    list_display = ("center", "item", "mode", "entered_on", "withdrawn_on")
    list_filter = ("mode",)
    search_fields = ("center__name", "item__name")
    raw_id_fields = ("center", "item")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CatalogEvent)
class CatalogEventAdmin(admin.ModelAdmin):
    list_display = ("at", "kind", "item", "actor", "reason")
    list_filter = ("kind",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditRun)
class AuditRunAdmin(admin.ModelAdmin):
    list_display = ("started_at", "region", "items_checked", "centers_checked", "score")

    def has_add_permission(self, request):
        return False
