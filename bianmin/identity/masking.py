"""Masking of personal data on screen and in logs.

On screen an identity number shows its first 4 and last 4 characters (3402**********1234), a
mobile number its first 3 and last 4 (138****5678). The log filter masks anything in a log line
that looks like either, whatever logged it.
"""

from __future__ import annotations

import logging
import re

_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_identity_number(number: str) -> str:
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_mobile(number: str) -> str:
    if len(number) != 11:
        return "*" * len(number)
    return number[:3] + "****" + number[-4:]


def mask_address(address: str) -> str:
    """The province, city and county (the first 9 characters) stay, the rest is masked:
    enough to tell which post office, not where the person lives."""
    address = address.strip()
    if len(address) <= 9:
        return address[:3] + "****" if len(address) > 3 else "****"
    return address[:9] + "****"


def mask_text(text: str) -> str:
    text = _ID_IN_TEXT.sub(lambda m: m.group(1) + "*" * 10 + m.group(2), text)
    return _MOBILE_IN_TEXT.sub(lambda m: m.group(1) + "****" + m.group(2), text)


class MaskPersonalDataFilter(logging.Filter):
    """Rewrites each record's message so that no identity or mobile number leaves unmasked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the logger's problem, not ours
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
