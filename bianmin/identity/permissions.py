"""The one permission check: who may do what to which center's data.

Every service calls ``authorize(user, action, center=...)`` before it changes or reveals
anything; pages and the API call ``can(...)`` to decide what to show. The rule has two parts:

1. the *role* must be allowed the action (``ALLOWED_ROLES``);
2. the target center must lie inside the user's *scope*: their own center (clerks, managers),
   the region of their department (back-office officers: a county department serves the centers
   of its county, a township station its own center), their county, the city, or everything
   (system administrator).

A new action is one line in ``Action`` and one in ``ALLOWED_ROLES``; the test table in
``tests/test_permissions.py`` must then say what each role may do with it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bianmin.org.models import Center, Region

from .roles import SCOPE_OF_ROLE, Role, ScopeKind


class Action:
    VIEW_CENTER = "view_center"  # see a center's hall, queue, cases and figures
    SERVE_AT_WINDOW = "serve_at_window"  # call tickets, receive and accept cases, hand out results
    MANAGE_CENTER = "manage_center"  # windows, posts, away approvals, facilities, item entries
    DECIDE_CASE = "decide_case"  # back-office decision on a case of one's department
    EDIT_CATALOGUE = "edit_catalogue"  # service items and guides
    SUPERVISE = "supervise"  # inspections, assessments, audits
    REVEAL_PERSONAL_DATA = "reveal_personal_data"  # see an identity or mobile number unmasked
    MANAGE_USERS = "manage_users"
    MANAGE_CALENDAR = "manage_calendar"  # holidays and make-up days


ACTION_LABELS = {
    Action.VIEW_CENTER: gettext_lazy("view the center's data"),
    Action.SERVE_AT_WINDOW: gettext_lazy("serve at a window"),
    Action.MANAGE_CENTER: gettext_lazy("manage the center"),
    Action.DECIDE_CASE: gettext_lazy("decide cases"),
    Action.EDIT_CATALOGUE: gettext_lazy("edit the catalogue"),
    Action.SUPERVISE: gettext_lazy("supervise centers"),
    Action.REVEAL_PERSONAL_DATA: gettext_lazy("see personal data unmasked"),
    Action.MANAGE_USERS: gettext_lazy("manage users"),
    Action.MANAGE_CALENDAR: gettext_lazy("manage the working-day calendar"),
}

R = Role
ALLOWED_ROLES: dict[str, frozenset[str]] = {
    Action.VIEW_CENTER: frozenset(
        {
            R.WINDOW_CLERK,
            R.CENTER_MANAGER,
            R.BACK_OFFICE_OFFICER,
            R.COUNTY_SUPERVISOR,
            R.CITY_SUPERVISOR,
            R.SYSTEM_ADMIN,
        }
    ),
    Action.SERVE_AT_WINDOW: frozenset({R.WINDOW_CLERK, R.CENTER_MANAGER}),
    Action.MANAGE_CENTER: frozenset({R.CENTER_MANAGER, R.SYSTEM_ADMIN}),
    Action.DECIDE_CASE: frozenset({R.BACK_OFFICE_OFFICER}),
    Action.EDIT_CATALOGUE: frozenset({R.COUNTY_SUPERVISOR, R.CITY_SUPERVISOR, R.SYSTEM_ADMIN}),
    Action.SUPERVISE: frozenset({R.COUNTY_SUPERVISOR, R.CITY_SUPERVISOR}),
    # Supervisors and administrators work with masked data: they never need the full number.
    Action.REVEAL_PERSONAL_DATA: frozenset(
        {R.WINDOW_CLERK, R.CENTER_MANAGER, R.BACK_OFFICE_OFFICER}
    ),
    Action.MANAGE_USERS: frozenset({R.CENTER_MANAGER, R.SYSTEM_ADMIN}),
    Action.MANAGE_CALENDAR: frozenset({R.SYSTEM_ADMIN}),
}


def scope_region(user) -> Region | None:
    """The region a user's scope covers (None: the whole platform, or nothing for a citizen)."""
    kind = SCOPE_OF_ROLE.get(user.role)
    if kind == ScopeKind.CENTER:
        return user.center.region if user.center_id else None
    if kind == ScopeKind.DEPARTMENT:
        return user.department.region if user.department_id else None
    if kind in (ScopeKind.COUNTY, ScopeKind.CITY):
        return user.region
    return None


def in_scope(user, center: Center) -> bool:
    kind = SCOPE_OF_ROLE.get(user.role)
    if kind == ScopeKind.PLATFORM:
        return True
    if kind == ScopeKind.SELF:
        return False
    if kind == ScopeKind.CENTER:
        return user.center_id is not None and user.center_id == center.pk
    region = scope_region(user)
    return region is not None and region.contains(center.region)


def can(user, action: str, *, center: Center | None = None) -> bool:
    """May ``user`` do ``action`` (to ``center``'s data, when one is named)?"""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role not in ALLOWED_ROLES[action]:
        return False
    if center is None:
        return True
    return in_scope(user, center)


def authorize(user, action: str, *, center: Center | None = None) -> None:
    """Raise ``PermissionDenied`` with a Chinese message unless ``can(...)``."""
    if can(user, action, center=center):
        return
    label = ACTION_LABELS.get(action, action)
    if user is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Please log in first."))
    if user.role not in ALLOWED_ROLES[action]:
        raise PermissionDenied(
            _("Your role (%(role)s) may not %(action)s.")
            % {"role": Role(user.role).label, "action": label}
        )
    raise PermissionDenied(
        _("%(center)s is outside your scope (%(scope)s): you may not %(action)s there.")
        % {"center": center, "scope": user.scope_label, "action": label}
    )


def centers_in_scope(user) -> QuerySet[Center]:
    """The centers whose data ``user`` may see (empty for citizens)."""
    qs = Center.objects.select_related("region", "region__parent").order_by("region__code")
    kind = SCOPE_OF_ROLE.get(user.role)
    if not user.is_authenticated or kind == ScopeKind.SELF:
        return qs.none()
    if kind == ScopeKind.PLATFORM:
        return qs
    if kind == ScopeKind.CENTER:
        return qs.filter(pk=user.center_id)
    region = scope_region(user)
    if region is None:
        return qs.none()
    if region.level == Region.Level.CITY:
        return qs.filter(region__parent__parent=region)
    if region.level == Region.Level.COUNTY:
        return qs.filter(region__parent=region)
    return qs.filter(region=region)
