from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Center, CenterRecordChange, Department, Region
from .validators import validate_phones


class CenterAdminForm(forms.ModelForm):
    """The same phone check as the center's edit page (which also records the change)."""

    class Meta:
        model = Center
        fields = ("region", "name", "address", "phone", "complaint_phone")

    def clean(self):
        data = super().clean()
        for field, label, hotline in (
            ("phone", _("Consultation phone"), False),
            ("complaint_phone", _("Complaint phone"), True),
        ):
            try:
                validate_phones(data.get(field) or "", label=label, hotline=hotline)
            except ValidationError as error:
                self.add_error(field, error)
        return data


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "kind", "parent")
    list_filter = ("level", "kind")
    search_fields = ("code", "name")


@admin.register(Center)
class CenterAdmin(admin.ModelAdmin):
    form = CenterAdminForm
    list_display = ("name", "region", "phone")
    search_fields = ("name", "region__code")
    list_select_related = ("region",)
    raw_id_fields = ("region",)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "domain")
    search_fields = ("name",)
    list_filter = ("domain",)


@admin.register(CenterRecordChange)
class CenterRecordChangeAdmin(admin.ModelAdmin):
    """The history of centers' records: read only (append-only in the model too)."""

    list_display = ("center", "at", "actor")
    list_select_related = ("center", "actor")
    search_fields = ("center__name",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
