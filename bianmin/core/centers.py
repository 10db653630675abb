"""Pages: the centers a user may see, grouped by county, and one center's record."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from bianmin.identity.permissions import Action, authorize, can, centers_in_scope
from bianmin.org.models import Center, Region


@login_required
def centers(request):
    if not can(request.user, Action.VIEW_CENTER):
        raise PermissionDenied(_("Your role may not view centers."))
    qs = centers_in_scope(request.user)
    county_code = request.GET.get("county", "")
    if county_code:
        qs = qs.filter(region__parent__code=county_code)
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(name__contains=query)
    counties = (
        Region.objects.filter(
            level=Region.Level.COUNTY, children__center__in=centers_in_scope(request.user)
        )
        .distinct()
        .order_by("code")
    )
    groups: dict[Region, list[Center]] = {}
    for center in qs:
        groups.setdefault(center.region.parent, []).append(center)
    return render(
        request,
        "core/centers.html",
        {
            "groups": groups,
            "counties": counties,
            "county_code": county_code,
            "q": query,
            "total": qs.count(),
        },
    )


@login_required
def center(request, code: str):
    obj = get_object_or_404(
        Center.objects.select_related("region", "region__parent"), region__code=code
    )
    authorize(request.user, Action.VIEW_CENTER, center=obj)
    staff = obj.staff.filter(is_active=True).order_by("role", "username")
    return render(request, "core/center.html", {"center": obj, "staff": staff})
