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
