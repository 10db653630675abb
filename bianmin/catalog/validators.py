"""Field validators of the catalogue. Every message is Chinese in the interface and names the field."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_DOMAIN_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_BASIC_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{0,11}$")

# One phone number: a landline with area code (0564-3330000, 05643330000, 0564-3330000-801),
# a mobile (13905641234), a government hotline (12345, 12333, 12348), or a 400/800 number.
_PHONE = re.compile(
    r"^(?:"
    r"0\d{2,3}-?\d{7,8}(?:-\d{1,6})?"
    r"|1[3-9]\d{9}"
    r"|12\d{3}"
    r"|[48]00-?\d{3}-?\d{4}"
    r"|9\d{4}"
    r")$"
)
PHONE_SEPARATORS = re.compile(r"\s*[、,，;；/]\s*|\s+")


def validate_domain_code(value: str) -> None:
    if not _DOMAIN_CODE.match(value or ""):
        raise ValidationError(
            _(
                "Code: use lowercase letters, digits and _ only, starting with a letter (e.g. renshe)."
            ),
            code="invalid",
        )


def validate_basic_code(value: str) -> None:
    if not _BASIC_CODE.match(value or ""):
        raise ValidationError(
            _("Basic code: up to 12 letters, digits or -, e.g. 000108014000."), code="invalid"
        )


def split_phones(value: str) -> list[str]:
    return [p for p in PHONE_SEPARATORS.split((value or "").strip()) if p]


def is_valid_phone(number: str) -> bool:
    return bool(_PHONE.match(number))


def malformed_phones(value: str) -> list[str]:
    """The parts of a phone field that are not a well-formed Chinese phone number."""
    return [p for p in split_phones(value) if not is_valid_phone(p)]


def validate_phones(value: str, *, label: str) -> None:
    bad = malformed_phones(value)
    if bad:
        raise ValidationError(
            _(
                "%(field)s: %(number)s is not a phone number. Write a landline with its area code "
                "(0564-3330000), a mobile number (11 digits) or a hotline (12345)."
            )
            % {"field": label, "number": "、".join(bad)},
            code="invalid",
        )
