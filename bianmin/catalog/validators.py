"""Field validators of the catalogue. Every message is Chinese in the interface and names the field."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_DOMAIN_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_BASIC_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{0,11}$")


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
