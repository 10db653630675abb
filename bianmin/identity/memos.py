"""Word to every app process when a row they may keep in memory changes (``bianmin.common.bus``).

A kept session row carries its user, the user's center (with its township) and department; a
kept device row carries its center. A save or delete of any of them, anywhere, makes every
process read them again. Connected in ``IdentityConfig.ready``.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from bianmin.common import bus

SESSION = "session"
DEVICE = "device"


def _session(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        bus.send(SESSION, instance.session_key)


def _user(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    # Signing in writes only ``last_login``, which no check reads; everything else counts.
    if not raw and set(update_fields or ()) != {"last_login"}:
        bus.send(SESSION, None)


def _everyone(sender, raw=False, **kwargs) -> None:
    if not raw:
        bus.send(SESSION, None)
        bus.send(DEVICE, None)


def _device(sender, raw=False, **kwargs) -> None:
    if not raw:
        bus.send(DEVICE, None)


def connect() -> None:
    from bianmin.org.models import Center, Department, Region

    from .models import Device, Session, User

    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_session, sender=Session, dispatch_uid=f"memo-session-{name}")
        signal.connect(_user, sender=User, dispatch_uid=f"memo-user-{name}")
        signal.connect(_device, sender=Device, dispatch_uid=f"memo-device-{name}")
        for model in (Center, Region, Department):
            signal.connect(_everyone, sender=model, dispatch_uid=f"memo-{model.__name__}-{name}")
