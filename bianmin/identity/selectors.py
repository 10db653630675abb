"""Reads of identity data shared by pages and the API."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from bianmin.org.models import Region

from .models import PersonalDataAccess, User
from .roles import Role


def access_log_visible_to(user: User) -> QuerySet[PersonalDataAccess]:
    """Unmasked views that ``user`` may audit: all for the city and the administrator, the
    county's staff for a county supervisor, the center's staff for a center manager."""
    qs = PersonalDataAccess.objects.select_related("viewer", "viewer__center", "person").order_by(
        "-at", "-id"
    )
    if user.role in (Role.SYSTEM_ADMIN, Role.CITY_SUPERVISOR):
        return qs
    if user.role == Role.COUNTY_SUPERVISOR and user.region_id:
        county: Region = user.region
        return qs.filter(
            Q(viewer__center__region__parent=county)
            | Q(viewer__department__region=county)
            | Q(viewer__department__region__parent=county)
        )
    if user.role == Role.CENTER_MANAGER and user.center_id:
        return qs.filter(viewer__center=user.center_id)
    return qs.none()


def may_audit_access_log(user: User) -> bool:
    return user.is_authenticated and user.role in (
        Role.SYSTEM_ADMIN,
        Role.CITY_SUPERVISOR,
        Role.COUNTY_SUPERVISOR,
        Role.CENTER_MANAGER,
    )
