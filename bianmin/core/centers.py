"""Pages: the centers a user may see, grouped by county, one center's record, and the page on
which its manager (or a supervisor of its county or city) edits the address, phones and hours."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from bianmin.hall import selectors as hall_selectors
from bianmin.hall import services as hall_services
from bianmin.hall.forms import CenterRecordForm
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


def _get_center(code: str) -> Center:
    return get_object_or_404(
        Center.objects.select_related("region", "region__parent"), region__code=code
    )


@login_required
def center(request, code: str):
    obj = _get_center(code)
    authorize(request.user, Action.VIEW_CENTER, center=obj)
    staff = obj.staff.filter(is_active=True).order_by("role", "username")
    return render(
        request,
        "core/center.html",
        {
            "center": obj,
            "staff": staff,
            "hours_text": hall_selectors.opening_hours_text(obj),
            "may_edit": hall_services.may_edit_center_record(request.user, obj),
            "changes": obj.record_changes.select_related("actor")[:10],
        },
    )


@login_required
def edit_center(request, code: str):
    """The center's record as an HTMX form: a refused save comes back with every message next
    to its field and every typed value kept; a good one goes back to the center's page."""
    obj = _get_center(code)
    if not hall_services.may_edit_center_record(request.user, obj):
        raise PermissionDenied(
            _("Only the center's manager or a supervisor of its county or city edits its record.")
        )
    if request.method == "POST":
        form = CenterRecordForm(request.POST)
        if form.is_valid():
            try:
                change = hall_services.update_center_record(
                    request.user,
                    obj,
                    address=form.cleaned_data["address"],
                    phone=form.cleaned_data["phone"],
                    complaint_phone=form.cleaned_data["complaint_phone"],
                    hours=form.hours(),
                )
            except ValidationError as error:
                for field, messages_ in error.message_dict.items():
                    for message in messages_:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(
                    request,
                    _("Saved.") if change else _("Nothing changed: the record is as it was."),
                )
                url = reverse("core:center", args=[code])
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = url
                    return response
                return redirect(url)
    else:
        form = CenterRecordForm(initial=CenterRecordForm.initial_for(obj))
    context = {"center": obj, "form": form}
    if request.headers.get("HX-Request"):
        return render(request, "core/_center_record_form.html", context)
    return render(request, "core/center_edit.html", context)
