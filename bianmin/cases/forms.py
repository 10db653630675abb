"""Turn a posted page form into the services' input (the API builds the same from its schemas).

Input names are the services' error fields (``applicant.id_number``, ``pledge.due`` …) so that an
error lands next to the input that caused it. Templates read errors with ``_`` for ``.``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .services import ApplicantIn, DeliveryIn, HandoutIn, LineIn, PledgeIn, ProxyIn


def _get(post, name: str) -> str:
    return (post.get(name) or "").strip()


def applicant_from(post) -> ApplicantIn:
    return ApplicantIn(
        kind=_get(post, "applicant.kind") or "person",
        name=_get(post, "applicant.name"),
        id_number=_get(post, "applicant.id_number"),
        mobile=_get(post, "applicant.mobile"),
        credit_code=_get(post, "applicant.credit_code"),
        legal_representative=_get(post, "applicant.legal_representative"),
        representative_id_number=_get(post, "applicant.representative_id_number"),
    )


def proxy_from(post, prefix: str = "proxy") -> ProxyIn | None:
    name, number = _get(post, f"{prefix}.name"), _get(post, f"{prefix}.id_number")
    if not (name or number):
        return None
    return ProxyIn(
        kind=_get(post, f"{prefix}.kind") or "agent",
        name=name,
        id_number=number,
        mobile=_get(post, f"{prefix}.mobile"),
        authorization=_get(post, f"{prefix}.authorization"),
    )


def lines_from(post, material_ids: list[int], *, only_changed: bool = False) -> list[LineIn]:
    """The checklist rows: ``status_<id>``, ``seen_<id>``, ``copies_<id>``, ``reason_<id>``."""
    lines = []
    for pk in material_ids:
        status = _get(post, f"status_{pk}")
        if not status:
            continue
        try:
            copies = int(_get(post, f"copies_{pk}") or 0)
        except ValueError:
            raise ValidationError(
                {"checklist": [_("Materials: copies must be a whole number.")]}
            ) from None
        lines.append(
            LineIn(
                material=pk,
                status=status,
                original_seen=bool(post.get(f"seen_{pk}")),
                copies=copies,
                reason=_get(post, f"reason_{pk}"),
            )
        )
    return lines


def date_from(post, name: str, label: str) -> dt.date | None:
    value = _get(post, name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            {name: [_("%(label)s: write the date as 2026-03-01.") % {"label": label}]}
        ) from None


def pledge_from(post) -> PledgeIn | None:
    due = date_from(post, "pledge.due", _("Pledged date"))
    signer = _get(post, "pledge.signer")
    if due is None and not signer:
        return None
    return PledgeIn(due=due, signer=signer)


def handout_from(post) -> HandoutIn:
    receiver = _get(post, "receiver") or "applicant"
    return HandoutIn(
        receiver=receiver,
        id_number=_get(post, "id_number"),
        proxy=proxy_from(post, "proxy") if receiver == "proxy" else None,
    )


def delivery_from(post) -> DeliveryIn:
    return DeliveryIn(
        recipient=_get(post, "recipient"),
        address=_get(post, "address"),
        postal_code=_get(post, "postal_code"),
        carrier=_get(post, "carrier"),
        tracking_number=_get(post, "tracking_number"),
    )


def template_errors(error: ValidationError) -> dict[str, str]:
    """{"applicant_id_number": "身份证号码：…", "general": …} for the templates (which cannot
    read names starting with an underscore, such as ``__all__``)."""
    if not hasattr(error, "error_dict"):
        return {"general": error.messages[0]}
    out = {}
    for name, errs in error.message_dict.items():
        key = "general" if name == "__all__" else name.replace(".", "_")
        out[key] = errs[0]
    return out
