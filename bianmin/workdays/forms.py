from django import forms
from django.utils.translation import gettext_lazy as _


class AddWorkingDaysForm(forms.Form):
    start = forms.DateField(
        label=_("Start date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Start date: this field is required."),
            "invalid": _("Start date: enter a date such as 2026-09-30."),
        },
    )
    days = forms.IntegerField(
        label=_("Number of working days"),
        min_value=-3650,
        max_value=3650,
        error_messages={
            "required": _("Working days: this field is required."),
            "invalid": _("Working days: enter a whole number."),
            "min_value": _("Working days: at least -3650."),
            "max_value": _("Working days: at most 3650."),
        },
    )


class BetweenForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("From: this field is required."),
            "invalid": _("From: enter a date such as 2026-09-30."),
        },
    )
    end = forms.DateField(
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("To: this field is required."),
            "invalid": _("To: enter a date such as 2026-10-12."),
        },
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and abs((end - start).days) > 3650:
            raise forms.ValidationError(_("To: the two dates may be at most ten years apart."))
        return data
