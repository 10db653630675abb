"""The roles of the policy and the scope each one works in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen / business")
    WINDOW_CLERK = "window_clerk", _("Window clerk")
    BACK_OFFICE_OFFICER = "back_office_officer", _("Back-office officer")
    CENTER_MANAGER = "center_manager", _("Center manager")
    COUNTY_SUPERVISOR = "county_supervisor", _("County supervisor")
    CITY_SUPERVISOR = "city_supervisor", _("City supervisor")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class ScopeKind(models.TextChoices):
    SELF = "self", _("Own affairs")
    CENTER = "center", _("Center")
    DEPARTMENT = "department", _("Department")
    COUNTY = "county", _("County")
    CITY = "city", _("City")
    PLATFORM = "platform", _("Whole platform")


SCOPE_OF_ROLE = {
    Role.CITIZEN: ScopeKind.SELF,
    Role.WINDOW_CLERK: ScopeKind.CENTER,
    Role.CENTER_MANAGER: ScopeKind.CENTER,
    Role.BACK_OFFICE_OFFICER: ScopeKind.DEPARTMENT,
    Role.COUNTY_SUPERVISOR: ScopeKind.COUNTY,
    Role.CITY_SUPERVISOR: ScopeKind.CITY,
    Role.SYSTEM_ADMIN: ScopeKind.PLATFORM,
}
