from django.contrib import admin

from .models import Center, Department, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "kind", "parent")
    list_filter = ("level", "kind")
    search_fields = ("code", "name")


@admin.register(Center)
class CenterAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "phone")
    search_fields = ("name", "region__code")
    list_select_related = ("region",)
    raw_id_fields = ("region",)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "domain")
    search_fields = ("name",)
    list_filter = ("domain",)
