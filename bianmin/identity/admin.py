from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Device, LoginAttempt, Person, PersonalDataAccess, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "role", "center", "department", "region", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name", "staff_number")
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            _("Role and scope"),
            {
                "fields": (
                    "full_name",
                    "staff_number",
                    "photo",
                    "role",
                    "center",
                    "department",
                    "region",
                )
            },
        ),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Role and scope"), {"fields": ("full_name", "role", "center", "department", "region")}),
    )
    raw_id_fields = ("center",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """Masked only: the admin never shows a full number (use the people page, which logs it)."""

    list_display = ("name", "id_number_masked", "mobile_masked", "birth_date", "sex")
    readonly_fields = ("id_number_masked", "mobile_masked", "birth_date", "sex", "created_at")
    fields = (
        "name",
        "id_number_masked",
        "mobile_masked",
        "birth_date",
        "sex",
        "user",
        "created_at",
    )
    search_fields = ("name",)

    def has_add_permission(self, request):
        return False  # people are registered through services.register_person (validated)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "viewer", "person", "field", "purpose", "ip_address")
    list_filter = ("field",)


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    """Deleting an account's failed attempts unlocks it."""

    list_display = ("at", "username", "succeeded", "ip_address")
    list_filter = ("succeeded",)
    search_fields = ("username",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "center", "active", "last_seen_at")
    list_filter = ("kind", "active")
    readonly_fields = ("last_seen_at", "created_at")
    raw_id_fields = ("center",)

    def has_add_permission(self, request):
        return (
            False  # devices are registered with `bianmin register_device` (the token is shown once)
        )
