"""Pages: login, looking up and registering people, revealing a number (logged), the access log."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import LoginForm, PersonLookupForm, PersonRegisterForm, client_ip
from .models import Person, PersonalDataAccess
from .permissions import Action, can
from .selectors import access_log_visible_to, may_audit_access_log


class LoginView(auth_views.LoginView):
    template_name = "identity/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get(self, request, *args, **kwargs):
        # A page's HTMX call (the desk's waiting list every 5 seconds, a case action) whose session
        # has ended is sent here; answering with the login page would swap a whole login page into
        # the panel. Tell HTMX to load the login page as the page itself, back to where the user was.
        if request.headers.get("HX-Request") and not request.user.is_authenticated:
            current = request.headers.get("HX-Current-URL", "")
            url = reverse(settings.LOGIN_URL)
            if current and url_has_allowed_host_and_scheme(current, {request.get_host()}):
                parts = urlsplit(current)
                url += "?" + urlencode(
                    {"next": parts.path + ("?" + parts.query if parts.query else "")}
                )
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The browser still sent a session cookie, but no session is behind it any more: idle for
        # 30 minutes, the password changed, or logged out elsewhere. Say so, once (the empty
        # session's cookie is deleted with this answer).
        request = self.request
        context["session_ended"] = (
            request.method == "GET"
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and not request.user.is_authenticated
            and not list(request.session.keys())
        )
        return context


def _require_people_access(user) -> None:
    if not can(user, Action.REVEAL_PERSONAL_DATA):
        raise PermissionDenied(
            _(
                "Only window clerks, center managers and back-office officers work with people's records."
            )
        )


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            for e in errs:
                form.add_error(field if field in form.fields else None, e.messages[0])
    else:
        for message in error.messages:
            form.add_error("id_number", message)


@login_required
def people(request):
    """Find a person by identity number, or register one (the window's first step)."""
    _require_people_access(request.user)
    lookup = PersonLookupForm(request.GET or None)
    register = PersonRegisterForm(request.POST or None)
    found = None
    searched = False
    if request.GET and lookup.is_valid():
        searched = True
        try:
            found = services.find_person(lookup.cleaned_data["id_number"])
        except ValidationError as error:
            _apply_errors(lookup, error)
            searched = False
    if request.method == "POST" and register.is_valid():
        try:
            person = services.register_person(**register.cleaned_data)
        except ValidationError as error:
            _apply_errors(register, error)
        else:
            messages.success(request, _("Saved: %(name)s.") % {"name": person.name})
            return redirect("identity:person", pk=person.pk)
    return render(
        request,
        "identity/people.html",
        {"lookup": lookup, "register": register, "found": found, "searched": searched},
    )


def _may_view_person(user, person: Person) -> bool:
    return person.user_id == user.pk or can(user, Action.REVEAL_PERSONAL_DATA)


def _person_context(obj: Person) -> dict:
    return {"person": obj, "age": obj.age_on(timezone.localdate())}


@login_required
def person(request, pk: int):
    obj = get_object_or_404(Person, pk=pk)
    if not _may_view_person(request.user, obj):
        raise PermissionDenied(_("You may not see this person's record."))
    return render(request, "identity/person.html", _person_context(obj))


@login_required
@require_POST
def reveal(request, pk: int, field: str):
    """Show one number in full (HTMX fragment); the view is logged with its purpose."""
    obj = get_object_or_404(Person, pk=pk)
    purpose = (request.POST.get("purpose") or "").strip()
    if not purpose:
        return render(
            request,
            "identity/_reveal.html",
            {
                "person": obj,
                "field": field,
                "error": _("Purpose: say why you need the full number."),
            },
            # 200, not 400: HTMX swaps only successful answers, and the clerk must see this.
        )
    reveal_fn = {
        PersonalDataAccess.Field.ID_NUMBER: services.reveal_id_number,
        PersonalDataAccess.Field.MOBILE: services.reveal_mobile,
    }.get(field)
    if reveal_fn is None:
        raise PermissionDenied(_("Unknown field."))
    value = reveal_fn(request.user, obj, purpose=purpose, ip_address=client_ip(request))
    return render(request, "identity/_reveal.html", {"person": obj, "field": field, "value": value})


@login_required
def access_log(request):
    if not may_audit_access_log(request.user):
        raise PermissionDenied(_("Your role may not audit the personal data access log."))
    page = Paginator(access_log_visible_to(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "identity/access_log.html", {"page": page})


@login_required
def me(request):
    """A citizen's own record (their numbers are masked here too; revealing them is logged)."""
    obj = getattr(request.user, "person", None)
    return render(request, "identity/me.html", _person_context(obj) if obj else {"person": None})
