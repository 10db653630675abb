"""The SMS interface of the portal's login codes.

``BIANMIN_SMS_BACKEND`` (a dotted path) chooses a class with ``send(mobile, text)``:

- ``bianmin.portal.sms.ConsoleFileBackend`` (default): appends ``<time> <masked mobile> <text>``
  to ``<var>/sms.log`` and logs it (the log filter masks the number). In development the code is
  read there; a real gateway is a class of a few lines calling the operator's API.
- ``bianmin.portal.sms.MemoryBackend`` (tests): keeps ``(mobile, text)`` in ``outbox``.

Case notifications (``bianmin.cases.notifications``) have their own backend because they are
rows tied to a case; a login code is not stored in clear anywhere, so it cannot go through a row.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from bianmin.identity.masking import mask_mobile

log = logging.getLogger("bianmin.portal.sms")
DEFAULT_BACKEND = "bianmin.portal.sms.ConsoleFileBackend"
outbox: list[tuple[str, str]] = []


class ConsoleFileBackend:
    def send(self, mobile: str, text: str) -> None:
        line = f"{timezone.localtime():%Y-%m-%d %H:%M:%S} {mask_mobile(mobile)} {text}"
        log.info(line)
        with open(settings.VAR_DIR / "sms.log", "a", encoding="utf-8") as out:
            out.write(line + "\n")


class MemoryBackend:
    def send(self, mobile: str, text: str) -> None:
        outbox.append((mobile, text))


def send(mobile: str, text: str) -> None:
    import_string(getattr(settings, "BIANMIN_SMS_BACKEND", DEFAULT_BACKEND))().send(mobile, text)
