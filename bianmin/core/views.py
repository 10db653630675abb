"""The home page: what each role sees first after logging in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone

from bianmin.identity.permissions import Action, can, centers_in_scope
from bianmin.identity.roles import Role, ScopeKind
from bianmin.org.models import Region
from bianmin.workdays import services as workdays


def home(request):
    """Citizens (signed in or not) land on the portal; staff see what their role needs first.

    A browser that still carries a session cookie was logged in (its session ran out): it goes
    to the login page and comes back here, as a clerk whose desk sat idle expects."""
    if not request.user.is_authenticated:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return redirect_to_login(request.get_full_path())
        return redirect("portal:home")
    if request.user.role == Role.CITIZEN:
        # The staff login sends everyone here after signing in: a citizen's home is the portal
        # (their cases, numbers and bookings), not the staff dashboard.
        return redirect("portal:home")
    return _home(request)


@login_required
def _home(request):
    user = request.user
    today = timezone.localdate()
    context = {
        "today": today,
        "today_info": workdays.day_info(today),
        "next_workday": workdays.add_working_days(today, 1),
        "year_status": workdays.year_status(today.year + 1),
        "next_year": today.year + 1,
        "can_people": can(user, Action.REVEAL_PERSONAL_DATA),
    }
    if user.scope_kind == ScopeKind.CENTER and user.center_id:
        context["center"] = user.center
        context["colleagues"] = user.center.staff.filter(is_active=True).order_by(
            "role", "username"
        )
    elif user.scope_kind in (
        ScopeKind.COUNTY,
        ScopeKind.CITY,
        ScopeKind.PLATFORM,
        ScopeKind.DEPARTMENT,
    ):
        centers = centers_in_scope(user)
        context["centers_count"] = centers.count()
        context["counties"] = (
            Region.objects.filter(level=Region.Level.COUNTY, children__center__in=centers)
            .annotate(n=Count("children__center"))
            .order_by("code")
        )
    return render(request, "core/home.html", context)
