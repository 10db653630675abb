from django import forms
from django.utils.translation import gettext_lazy as _

from bianmin.catalog.models import Domain

from .models import ExtraDuty, Facility, Window
from .services import HOURS_PARTS, day_label, part_label


class TemplateForm(forms.Form):
    domain_windows = forms.TypedChoiceField(
        label=_("Domain windows"), choices=[(2, "2"), (3, "3")], coerce=int, initial=2
    )
    special = forms.MultipleChoiceField(
        label=_("Special windows"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (Window.Kind.ASSISTED, _("Assisted service (帮办代办)")),
            (Window.Kind.UNRESOLVED, _("Can't-get-it-done (办不成事反映)")),
            (Window.Kind.CROSS_REGION, _("Cross-region (跨省通办/一网通办)")),
        ],
        help_text=_("Without them, the enquiry window takes these roles."),
    )


class WindowForm(forms.Form):
    number = forms.IntegerField(label=_("Window number"), required=False)
    name = forms.CharField(label=_("Window name"), max_length=40, required=False)
    kind = forms.ChoiceField(
        label=_("Window kind"), choices=[("", "—")] + list(Window.Kind.choices), required=False
    )
    domains = forms.ModelMultipleChoiceField(
        label=_("Domains"),
        queryset=Domain.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class PostForm(forms.Form):
    primary = forms.ModelChoiceField(label=_("Primary (A)"), queryset=None, required=False)
    backup = forms.ModelChoiceField(label=_("Backup (B)"), queryset=None, required=False)

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["primary"].queryset = staff
        self.fields["backup"].queryset = staff


class AwayForm(forms.Form):
    reason = forms.CharField(label=_("Reason for leaving"), max_length=120, required=False)
    destination = forms.CharField(label=_("Whereabouts"), max_length=120, required=False)
    expected_return_at = forms.DateTimeField(
        label=_("Expected return"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "invalid": _("Expected return: enter a date and time such as 2026-11-30 10:40.")
        },
    )
    phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)


class FacilityForm(forms.Form):
    """One facility's row. The quantity is checked by the service (its message names the field);
    the form only parses, with messages that name the field too."""

    kind = forms.ChoiceField(choices=Facility.Kind.choices, widget=forms.HiddenInput)
    quantity = forms.CharField(label=_("Quantity"), required=False, max_length=8)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Facility.Status.choices,
        error_messages={"invalid_choice": _("Status: choose in good order, faulty or missing.")},
    )
    last_checked_on = forms.DateField(
        label=_("Last checked on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Last checked on: enter a date such as 2026-11-30.")},
    )
    notes = forms.CharField(
        label=_("Facility notes"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("Facility notes: at most 200 characters.")},
    )


class TrainingForm(forms.Form):
    clerk = forms.ModelChoiceField(label=_("Clerk"), queryset=None, required=False)
    topic = forms.CharField(label=_("Topic"), max_length=120, required=False)
    held_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    hours = forms.CharField(label=_("Training hours"), max_length=8, required=False)
    organiser = forms.CharField(label=_("Organiser"), max_length=80, required=False)

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clerk"].queryset = staff


class DutyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ExtraDuty.Kind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    opens = forms.TimeField(label=_("Opens"), widget=forms.TimeInput(attrs={"type": "time"}))
    closes = forms.TimeField(label=_("Closes"), widget=forms.TimeInput(attrs={"type": "time"}))
    note = forms.CharField(label=_("Remarks"), max_length=120, required=False)


class CenterRecordForm(forms.Form):
    """The center's record: address, phones and each weekday's sessions (blank: closed that day).

    Hour fields are named ``hours.<weekday>.<part>`` like the service's error keys, so that each
    message lands next to its input. Validation beyond the format is the service's.
    """

    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Consultation phone"),
        max_length=40,
        required=False,
        help_text=_("A landline with its area code (0564-3330000) or a mobile number."),
    )
    complaint_phone = forms.CharField(
        label=_("Complaint phone"),
        max_length=40,
        required=False,
        help_text=_("A landline, a mobile number or the 12345 hotline."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.days = []
        for weekday in range(7):
            names = []
            for part in HOURS_PARTS:
                name = f"hours.{weekday}.{part}"
                label = _("%(day)s, %(part)s") % {
                    "day": day_label(weekday),
                    "part": part_label(part),
                }
                self.fields[name] = forms.TimeField(
                    label=label,
                    required=False,
                    input_formats=["%H:%M", "%H:%M:%S", "%H：%M"],
                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                    error_messages={
                        "invalid": _("%(field)s: enter a time such as 08:30.") % {"field": label}
                    },
                )
                names.append(name)
            self.days.append((day_label(weekday), [self[n] for n in names]))

    def hours(self) -> dict[int, tuple | None]:
        """Each weekday's four times, or None where all four are blank (closed)."""
        out: dict[int, tuple | None] = {}
        for weekday in range(7):
            times = tuple(self.cleaned_data.get(f"hours.{weekday}.{p}") for p in HOURS_PARTS)
            out[weekday] = None if all(t is None for t in times) else times
        return out

    @staticmethod
    def initial_for(center) -> dict:
        initial = {
            "address": center.address,
            "phone": center.phone,
            "complaint_phone": center.complaint_phone,
        }
        for row in center.opening_hours.all():
            for part in HOURS_PARTS:
                initial[f"hours.{row.weekday}.{part}"] = getattr(row, part)
        return initial
