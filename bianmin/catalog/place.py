"""Where and when a guide is served: the center's own address, hours and phones.

Guides are the same everywhere (同标准受理、无差别办理); only these come from the center's record,
when a guide is shown or printed for that center. Opening hours belong to the hall app (a higher
layer), which plugs its reader in with ``register_hours_provider``; until then, or for a center
without hours, the standard hours are shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from bianmin.org.models import Center

_HOURS_PROVIDERS: list[Callable[[Center], str]] = []


def register_hours_provider(fn: Callable[[Center], str]) -> Callable[[Center], str]:
    """``fn(center) -> str`` describing the center's opening hours ("" when none are set)."""
    if fn not in _HOURS_PROVIDERS:
        _HOURS_PROVIDERS.append(fn)
    return fn


def standard_hours() -> str:
    return _("Monday to Friday 8:30–12:00 and 14:30–17:30, except public holidays")


def hours_of(center: Center) -> str:
    for provider in _HOURS_PROVIDERS:
        text = provider(center)
        if text:
            return text
    return standard_hours()


@dataclass(frozen=True)
class Place:
    center: Center
    name: str
    address: str
    hours: str
    phone: str
    complaint_phone: str


def place_for(center: Center) -> Place:
    return Place(
        center=center,
        name=center.name,
        address=center.address,
        hours=hours_of(center),
        phone=center.phone,
        complaint_phone=center.complaint_phone or "12345",
    )
