"""Forms of the catalogue pages. They parse input; the rules live in ``rules`` and ``services``."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Domain, GuideVersion, ItemEntry, Material, ServiceItem


def _named(template, label):
    """A message naming its field, translated when shown (not when this module is imported)."""
    return lazy(lambda: str(template) % {"field": str(label)}, str)()


def _required(label) -> dict:
    return {"required": _named(_("%(field)s: this field is required."), label)}


def _int_messages(label) -> dict:
    return {
        "invalid": _named(_("%(field)s: enter a whole number."), label),
        "min_value": _named(_("%(field)s: may not be negative."), label),
        "max_value": _named(_("%(field)s: the number is too large."), label),
        "required": _named(_("%(field)s: this field is required."), label),
    }


class ItemForm(forms.Form):
    basic_code = forms.CharField(
        label=_("Basic code"), max_length=12, error_messages=_required(_("Basic code"))
    )
    implementation_code = forms.CharField(
        label=_("Implementation code"), max_length=36, required=False
    )
    name = forms.CharField(
        label=_("Item name"), max_length=120, error_messages=_required(_("Item name"))
    )
    domain = forms.ModelChoiceField(
        label=_("Domain"),
        queryset=Domain.objects.order_by("order", "code"),
        to_field_name="code",
        error_messages=_required(_("Domain")),
    )
    item_type = forms.ChoiceField(label=_("Item type"), choices=ServiceItem.ItemType.choices)
    legal_basis = forms.CharField(
        label=pgettext_lazy("catalogue", "Legal basis"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    implementing_body = forms.CharField(
        label=_("Implementing body"), max_length=120, required=False
    )
    handling_level = forms.ChoiceField(
        label=_("Handling level"), choices=ServiceItem.HandlingLevel.choices
    )
    frequency = forms.ChoiceField(label=_("Frequency class"), choices=ServiceItem.Frequency.choices)
    service_object = forms.MultipleChoiceField(
        label=_("Service object"),
        choices=[("person", _("Persons")), ("organisation", _("Organisations"))],
        widget=forms.CheckboxSelectMultiple,
        error_messages=_required(_("Service object")),
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=[
            ("window", pgettext_lazy("catalogue", "At the window")),
            ("online", pgettext_lazy("catalogue", "Online")),
            ("kiosk", _("Self-service kiosk")),
            ("post", pgettext_lazy("catalogue", "By post")),
        ],
        widget=forms.CheckboxSelectMultiple,
        error_messages=_required(_("Channels")),
    )
    supports_appointment = forms.BooleanField(label=_("Appointment"), required=False)
    supports_express = forms.BooleanField(label=_("Express delivery of the result"), required=False)
    supports_online_payment = forms.BooleanField(label=_("Online payment"), required=False)
    cross_region = forms.ChoiceField(
        label=_("Cross-region scope"), choices=ServiceItem.CrossRegion.choices, required=False
    )
    life_events = forms.CharField(
        label=_("Life events"),
        required=False,
        help_text=_("Separated by 、 e.g. 退休、新生儿出生"),
    )
    keywords = forms.CharField(label=_("Other names"), max_length=200, required=False)

    def item_data(self) -> dict:
        from .search import split_keywords

        d = dict(self.cleaned_data)
        d["domain"] = d["domain"].code
        d["life_events"] = split_keywords(d.get("life_events", ""))
        return d


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, error_messages=_required(_("Reason"))
    )


class GuideForm(forms.Form):
    conditions = forms.CharField(
        label=_("Conditions"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    statutory_days = forms.IntegerField(
        label=_("Statutory time limit (working days)"),
        required=False,
        min_value=0,
        max_value=365,
        error_messages=_int_messages(_("Statutory time limit")),
    )
    promised_days = forms.IntegerField(
        label=_("Promised time limit (working days)"),
        required=False,
        min_value=0,
        max_value=365,
        error_messages=_int_messages(_("Promised time limit")),
    )
    time_limit_note = forms.CharField(label=_("Time limit note"), max_length=300, required=False)
    allows_deferral = forms.BooleanField(
        label=_("Deferred materials (容缺) allowed"), required=False
    )
    visits = forms.IntegerField(
        label=_("Visits to the hall"),
        required=False,
        min_value=0,
        max_value=9,
        error_messages=_int_messages(_("Visits to the hall")),
    )
    result_type = forms.ChoiceField(
        label=_("Result type"),
        choices=[("", "—"), *GuideVersion.ResultType.choices],
        required=False,
    )
    result_name = forms.CharField(label=_("Result name"), max_length=120, required=False)
    result_sample = forms.CharField(widget=forms.HiddenInput, required=False)
    result_sample_upload = forms.FileField(label=_("Result sample"), required=False)
    online_url = forms.CharField(
        label=_("Online application address"), max_length=200, required=False
    )
    change_note = forms.CharField(
        label=pgettext_lazy("catalogue", "What changed"), max_length=300, required=False
    )


class SpareRowMixin:
    """The editor offers one spare row per table. Its selects always submit a value, so Django
    would think it changed; a row counts as filled in only when one of its text fields is."""

    def has_changed(self) -> bool:
        if not super().has_changed():
            return False
        return any(
            isinstance(field, forms.CharField)
            and not isinstance(field, forms.ChoiceField)
            and str(self[name].value() or "").strip()
            for name, field in self.fields.items()
        )


class MaterialForm(SpareRowMixin, forms.Form):
    name = forms.CharField(
        label=_("Material name"), max_length=120, error_messages=_required(_("Material name"))
    )
    necessity = forms.ChoiceField(label=_("Necessity"), choices=Material.Necessity.choices)
    condition_note = forms.CharField(label=_("When needed"), max_length=300, required=False)
    form = forms.ChoiceField(
        label=_("Form"), choices=[("", "—"), *Material.Form.choices], required=False
    )
    paper_copies = forms.IntegerField(
        label=_("Paper copies"),
        min_value=0,
        max_value=99,
        initial=0,
        required=False,
        error_messages=_int_messages(_("Paper copies")),
    )
    specification = forms.CharField(label=_("Paper specification"), max_length=120, required=False)
    source_channel = forms.ChoiceField(
        label=_("Source channel"), choices=Material.SourceChannel.choices
    )
    source_note = forms.CharField(label=_("Source note"), max_length=200, required=False)
    acceptance_standard = forms.CharField(
        label=_("Acceptance standard"), max_length=300, required=False
    )
    basis = forms.CharField(label=_("Basis"), max_length=300, required=False)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)
    deferrable = forms.BooleanField(label=_("May be deferred (容缺)"), required=False)
    blank_form = forms.CharField(widget=forms.HiddenInput, required=False)
    blank_form_upload = forms.FileField(label=_("Blank form"), required=False)
    sample = forms.CharField(widget=forms.HiddenInput, required=False)
    sample_upload = forms.FileField(label=_("Filled sample"), required=False)


class StepForm(SpareRowMixin, forms.Form):
    name = forms.CharField(
        label=_("Step name"), max_length=60, error_messages=_required(_("Step name"))
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    days = forms.IntegerField(
        label=_("Working days"),
        min_value=0,
        max_value=365,
        required=False,
        error_messages=_int_messages(_("Working days")),
    )


class SpecialStepForm(StepForm):
    counts_in_limit = forms.BooleanField(label=_("Counts in the time limit"), required=False)


class FeeForm(SpareRowMixin, forms.Form):
    name = forms.CharField(
        label=_("Fee item"), max_length=120, error_messages=_required(_("Fee item"))
    )
    standard = forms.CharField(label=_("Fee standard"), max_length=200, required=False)
    basis = forms.CharField(label=_("Fee basis"), max_length=300, required=False)
    exemption = forms.CharField(label=_("Reduction or exemption"), max_length=300, required=False)


class FAQForm(SpareRowMixin, forms.Form):
    question = forms.CharField(
        label=_("Question"), max_length=300, error_messages=_required(_("Question"))
    )
    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


def _formset(form, prefix):
    return forms.formset_factory(form, extra=1, can_delete=True, can_order=True), prefix


GUIDE_FORMSETS = {
    "materials": _formset(MaterialForm, "materials"),
    "steps": _formset(StepForm, "steps"),
    "special_steps": _formset(SpecialStepForm, "special"),
    "fees": _formset(FeeForm, "fees"),
    "faq": _formset(FAQForm, "faq"),
}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"), error_messages=_required(_("Excel workbook"))
    )


class EntryForm(forms.Form):
    mode = forms.ChoiceField(label=_("Mode"), choices=ItemEntry.Mode.choices)


class BundleForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32, error_messages=_required(_("Code")))
    name = forms.CharField(
        label=_("Bundle name"), max_length=80, error_messages=_required(_("Bundle name"))
    )
    life_event = forms.CharField(
        label=_("Life event"), max_length=32, error_messages=_required(_("Life event"))
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    items = forms.ModelMultipleChoiceField(
        label=_("Items"),
        queryset=ServiceItem.objects.filter(status=ServiceItem.Status.ACTIVE).select_related(
            "domain"
        ),
        to_field_name="basic_code",
        widget=forms.CheckboxSelectMultiple,
        error_messages=_required(_("Items")),
    )
