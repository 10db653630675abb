"""Validators for the numbers that identify people and organisations in China.

Each raises ``ValidationError`` with a Chinese message (through the translation catalogue) that
names the field, and each returns the normalised value so that callers store one spelling.

- 居民身份证号码: GB 11643-1999. 17 digits, then a check character: the digits are weighted
  7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, the sum taken mod 11 indexes "10X98765432".
- 统一社会信用代码: GB 32100-2015. 18 characters from "0123456789ABCDEFGHJKLMNPQRTUWXY"; the
  last is a check over the first 17 (weights 3^i mod 31); characters 9–17 are the organisation
  code of GB 11714, whose own last character is a check as well.
- Mobile numbers: mainland China, 11 digits starting 13–19; "+86", spaces and dashes are dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


@dataclass(frozen=True)
class IdentityNumber:
    number: str
    birth_date: dt.date
    sex: str  # "M" or "F"
    region_code: str


def _field_error(field_label: str, message: str, code: str) -> ValidationError:
    return ValidationError(
        _("%(label)s: %(message)s") % {"label": field_label, "message": message}, code=code
    )


def id_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def parse_identity_number(value: str, *, today: dt.date | None = None) -> IdentityNumber:
    """Validate a resident identity number and derive the birth date and sex from it."""
    label = _("Identity number")
    number = (value or "").strip().upper().replace(" ", "")
    if not number:
        raise _field_error(label, _("this field is required."), "required")
    if len(number) != 18:
        raise _field_error(
            label, _("must be 18 characters, got %(n)d.") % {"n": len(number)}, "id_length"
        )
    if not ID_PATTERN.match(number):
        raise _field_error(
            label,
            _("the first 17 characters must be digits and the last a digit or X."),
            "id_chars",
        )
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise _field_error(
            label, _("characters 7–14 are not a real date of birth."), "id_birth_date"
        ) from None
    today = today or dt.date.today()
    if birth > today or birth.year < 1890:
        raise _field_error(
            label,
            _("the date of birth %(date)s is not possible.") % {"date": birth},
            "id_birth_date",
        )
    expected = id_check_char(number[:17])
    if number[17] != expected:
        raise _field_error(
            label,
            _("the check character is wrong (GB 11643); please check the number digit by digit."),
            "id_checksum",
        )
    sex = "M" if int(number[16]) % 2 else "F"
    return IdentityNumber(number=number, birth_date=birth, sex=sex, region_code=number[:6])


def validate_identity_number(value: str) -> str:
    return parse_identity_number(value).number


def _org_code_check(code8: str) -> str:
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(code8, ORG_WEIGHTS, strict=True)) % 11
    check = 11 - total
    return {10: "X", 11: "0"}.get(check, str(check))


def validate_credit_code(value: str) -> str:
    """Validate a unified social credit code (统一社会信用代码) and return it upper-cased."""
    label = _("Unified social credit code")
    code = (value or "").strip().upper().replace(" ", "")
    if not code:
        raise _field_error(label, _("this field is required."), "required")
    if len(code) != 18:
        raise _field_error(
            label, _("must be 18 characters, got %(n)d.") % {"n": len(code)}, "uscc_length"
        )
    if not USCC_PATTERN.match(code):
        raise _field_error(
            label,
            _(
                "contains a character that is not allowed (the letters I, O, Z, S and V never occur)."
            ),
            "uscc_chars",
        )
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(code[:17], USCC_WEIGHTS, strict=True))
    expected = USCC_CHARS[(31 - total % 31) % 31]
    if code[17] != expected:
        raise _field_error(
            label,
            _("the check character is wrong (GB 32100); please check the code."),
            "uscc_checksum",
        )
    org = code[8:17]
    # An organisation code's last character is its own check (GB 11714); individual businesses
    # registered before the reform may carry a code made of zeros there, which is not checked.
    if org[:8] != "00000000" and org[8] != _org_code_check(org[:8]):
        raise _field_error(
            label,
            _("the organisation code inside it (characters 9–17) fails its check (GB 11714)."),
            "uscc_org_checksum",
        )
    return code


def normalize_mobile(value: str) -> str:
    digits = re.sub(r"[\s\-()]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def validate_mobile(value: str) -> str:
    """Validate a mainland mobile number and return its 11 digits."""
    label = _("Mobile number")
    number = normalize_mobile(value)
    if not number:
        raise _field_error(label, _("this field is required."), "required")
    if not MOBILE_PATTERN.match(number):
        raise _field_error(
            label, _("must be 11 digits starting with 13 to 19, for example 13812345678."), "mobile"
        )
    return number
