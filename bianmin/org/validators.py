"""Validators for region codes and center names. Messages are Chinese and name the field."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DIVISION_CODE = re.compile(r"^\d{12}$")
CENTER_SUFFIX = "便民服务中心"


def validate_division_code(value: str) -> None:
    if not isinstance(value, str) or not DIVISION_CODE.match(value):
        raise ValidationError(
            _("Division code: must be 12 digits (statistical division code), got “%(value)s”."),
            code="division_code",
            params={"value": value},
        )


def center_name_for(township_name: str) -> str:
    """The one lawful name of a township's hall (policy 二1): "<乡镇名>便民服务中心"."""
    return f"{township_name}{CENTER_SUFFIX}"


def validate_center_name(name: str, township_name: str) -> None:
    expected = center_name_for(township_name)
    if name != expected:
        raise ValidationError(
            {
                "name": _(
                    "Center name: the hall of %(township)s must be named “%(expected)s”, "
                    "not “%(name)s” (policy 二1: 统一场所名称)."
                )
                % {"township": township_name, "expected": expected, "name": name}
            },
            code="center_name",
        )


# --- Phone numbers of a center's record -------------------------------------------------------

# A landline with its area code (0564-3330000, 05643330000, 0564-3330000-801) or a mobile
# (13905641234). A complaint line may also be a hotline: a government one (12345, 12333, 12348),
# a 400/800 number or a five-digit service number (95598).
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
HOTLINE = re.compile(r"^(?:12\d{3}|[48]00-?\d{3}-?\d{4}|9\d{4})$")
PHONE_SEPARATORS = re.compile(r"\s*[、,，;；/]\s*|\s+")


def split_phones(value: str) -> list[str]:
    """The numbers of a phone field: "0564-3330000、13905641234" holds two."""
    return [p for p in PHONE_SEPARATORS.split((value or "").strip()) if p]


def is_valid_phone(number: str, *, hotline: bool = False) -> bool:
    return bool(
        LANDLINE.match(number) or MOBILE.match(number) or (hotline and HOTLINE.match(number))
    )


def malformed_phones(value: str, *, hotline: bool = False) -> list[str]:
    """The parts of a phone field that are not a well-formed number."""
    return [p for p in split_phones(value) if not is_valid_phone(p, hotline=hotline)]


def validate_phones(value: str, *, label: str, hotline: bool = False) -> None:
    """Refuse a phone field with any malformed number; the message names the field."""
    bad = malformed_phones(value, hotline=hotline)
    if not bad:
        return
    if hotline:
        message = _(
            "%(field)s: “%(number)s” is not a phone number. Write a landline with its area "
            "code (0564-3330000), a mobile number (11 digits) or a hotline (12345)."
        )
    else:
        message = _(
            "%(field)s: “%(number)s” is not a phone number. Write a landline with its area "
            "code (0564-3330000) or a mobile number (11 digits)."
        )
    raise ValidationError(message % {"field": label, "number": "、".join(bad)}, code="phone")
