from django import forms
from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .services import lock_status, record_login


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


class LoginForm(forms.Form):
    """Username and password, with a count of attempts left and a lockout after too many."""

    username = forms.CharField(
        label=gettext_lazy("Account"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
        error_messages={"required": gettext_lazy("Account: please enter your account.")},
    )
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": gettext_lazy("Password: please enter your password.")},
    )

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user_cache = None
        super().__init__(*args, **kwargs)

    def _locked_message(self, status) -> str:
        minutes = max(1, int((status.unlocks_at - timezone.now()).total_seconds() // 60) + 1)
        return _(
            "This account is locked after too many failed logins. Try again in %(minutes)d "
            "minutes, or ask your administrator to unlock it."
        ) % {"minutes": minutes}

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or password is None:
            return self.cleaned_data
        status = lock_status(username)
        if status.locked:
            raise forms.ValidationError(self._locked_message(status), code="locked")
        user = authenticate(self.request, username=username, password=password)
        if user is None or not user.is_active:
            record_login(username, succeeded=False, ip_address=client_ip(self.request))
            status = lock_status(username)
            if status.locked:
                raise forms.ValidationError(self._locked_message(status), code="locked")
            raise forms.ValidationError(
                _("Wrong account or password. %(left)d attempts left before the account is locked.")
                % {"left": status.remaining_attempts},
                code="invalid_login",
            )
        record_login(username, succeeded=True, ip_address=client_ip(self.request))
        self.user_cache = user
        return self.cleaned_data

    def get_user(self):
        return self.user_cache


class PersonLookupForm(forms.Form):
    id_number = forms.CharField(
        label=gettext_lazy("Identity number"),
        max_length=32,
        error_messages={"required": gettext_lazy("Identity number: this field is required.")},
    )


class PersonRegisterForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=40,
        error_messages={"required": gettext_lazy("Name: this field is required.")},
    )
    id_number = forms.CharField(
        label=gettext_lazy("Identity number"),
        max_length=32,
        error_messages={"required": gettext_lazy("Identity number: this field is required.")},
    )
    mobile = forms.CharField(label=gettext_lazy("Mobile number"), max_length=20, required=False)
