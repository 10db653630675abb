"""Schema errors of the JSON API in the user's words: the field named in Chinese (with its key,
for the integrator), and what is wrong with it — instead of pydantic's English.

``describe(errors)`` turns pydantic's error list into ``{"applicant.id_number": ["身份证号码
（applicant.id_number）：此项为必填项。"]}``. A field without a label here shows its key alone.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LABELS = {
    "item": gettext_lazy("Item"),
    "item_id": gettext_lazy("Item"),
    "center": gettext_lazy("Center"),
    "applicant": gettext_lazy("Applicant"),
    "proxy": gettext_lazy("Proxy"),
    "kind": gettext_lazy("Kind"),
    "name": gettext_lazy("Name"),
    "id_number": gettext_lazy("Identity number"),
    "mobile": gettext_lazy("Mobile number"),
    "phone": gettext_lazy("Phone"),
    "credit_code": gettext_lazy("Unified social credit code"),
    "legal_representative": gettext_lazy("Legal representative"),
    "authorization": gettext_lazy("Written authorization"),
    "checklist": gettext_lazy("Material checklist"),
    "lines": gettext_lazy("Material checklist"),
    "material": gettext_lazy("Material"),
    "status": gettext_lazy("Status"),
    "copies": gettext_lazy("Copies taken"),
    "original_seen": gettext_lazy("Original seen"),
    "accept": gettext_lazy("Accept"),
    "pledge": gettext_lazy("Pledge"),
    "due": gettext_lazy("Pledged date"),
    "signer": gettext_lazy("Pledge signed by"),
    "reason": gettext_lazy("Reason"),
    "legal_basis": gettext_lazy("Legal basis of the decision"),
    "note": gettext_lazy("Note"),
    "comment": gettext_lazy("Comment"),
    "authority": gettext_lazy("Receiving authority"),
    "days": gettext_lazy("Working days"),
    "recipient": gettext_lazy("Recipient"),
    "address": gettext_lazy("Address"),
    "postal_code": gettext_lazy("Postal code"),
    "carrier": gettext_lazy("Carrier"),
    "tracking_number": gettext_lazy("Tracking number"),
    "receiver": gettext_lazy("Person collecting"),
    "number": gettext_lazy("Number"),
    "secret": gettext_lazy("Mobile number or identity number"),
    "channel": gettext_lazy("Channel"),
    "day": gettext_lazy("Day"),
    "start": gettext_lazy("Start"),
    "end": gettext_lazy("End"),
    "window": gettext_lazy("Window"),
    "window_number": gettext_lazy("Window number"),
    "level": gettext_lazy("Rating"),
    "idempotency_key": gettext_lazy("Idempotency key"),
    "rows": gettext_lazy("Rows"),
}

PROBLEMS = {
    "missing": gettext_lazy("this field is required."),
    "int_parsing": gettext_lazy("must be a whole number."),
    "int_type": gettext_lazy("must be a whole number."),
    "int_from_float": gettext_lazy("must be a whole number."),
    "float_parsing": gettext_lazy("must be a number."),
    "bool_parsing": gettext_lazy("must be true or false."),
    "bool_type": gettext_lazy("must be true or false."),
    "string_type": gettext_lazy("must be text."),
    "string_too_long": gettext_lazy("is too long."),
    "date_parsing": gettext_lazy("must be a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": gettext_lazy("must be a date (YYYY-MM-DD)."),
    "date_type": gettext_lazy("must be a date (YYYY-MM-DD)."),
    "datetime_parsing": gettext_lazy("must be a date and time (ISO 8601)."),
    "datetime_from_date_parsing": gettext_lazy("must be a date and time (ISO 8601)."),
    "list_type": gettext_lazy("must be a list."),
    "model_type": gettext_lazy("must be an object."),
    "dict_type": gettext_lazy("must be an object."),
    "literal_error": gettext_lazy("is not one of the allowed values."),
    "enum": gettext_lazy("is not one of the allowed values."),
    "json_invalid": gettext_lazy("the body is not valid JSON."),
}


def _path(loc) -> list[str]:
    """pydantic's location without ninja's wrapper (``body``/``query``, ``payload``)."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form", "file"):
        parts = parts[1:]
    if parts and parts[0] == "payload":
        parts = parts[1:]
    return parts


def describe(errors: list[dict]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for e in errors:
        parts = _path(e.get("loc", ()))
        key = ".".join(parts) or "__all__"
        names = [p for p in parts if not p.isdigit()]
        label = str(LABELS[names[-1]]) if names and names[-1] in LABELS else ""
        field = f"{label}（{key}）" if label else key
        problem = str(PROBLEMS.get(e.get("type", ""), gettext_lazy("missing or not valid")))
        if key == "__all__":
            message = problem[:1].upper() + problem[1:]
        else:
            message = _("%(field)s: %(problem)s") % {"field": field, "problem": problem}
        out.setdefault(key, []).append(message)
    return out
