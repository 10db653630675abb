"""Who is at a kiosk or a display board: a paired device, or a logged-in staff browser.

A kiosk or display is an identity ``Device`` with a token (issued once, only its digest is
kept). The API takes it as ``Authorization: Bearer <token>``. A browser is paired once on
``/queue/device/``: the token is checked and a signed, long-lived cookie names the device (and
a prefix of its token digest, so that revoking or re-issuing the device unpairs the browser).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from bianmin.identity.models import Device
from bianmin.identity.permissions import Action, can
from bianmin.identity.services import device_for_token
from bianmin.org.models import Center

COOKIE = "bianmin_device"
SALT = "bianmin.queueing.device"
ONE_YEAR = 365 * 24 * 3600


def pair(response, device: Device) -> None:
    response.set_signed_cookie(
        COOKIE,
        f"{device.pk}:{device.token_digest[:16]}",
        salt=SALT,
        max_age=ONE_YEAR,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def unpair(response) -> None:
    response.delete_cookie(COOKIE)


def device_from_request(request) -> Device | None:
    if hasattr(request, "_queue_device"):
        return request._queue_device
    device = None
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        device = device_for_token(header[7:].strip())
    else:
        try:
            value = request.get_signed_cookie(COOKIE, salt=SALT)
        except (KeyError, signing.BadSignature):
            value = None
        if value and ":" in value:
            pk, prefix = value.split(":", 1)
            found = (
                Device.objects.select_related("center__region")
                .filter(pk=pk if pk.isdigit() else 0, active=True)
                .first()
            )
            if found is not None and found.token_digest.startswith(prefix):
                device = found
    request._queue_device = device
    return device


def screen_access(
    request, center: Center, *, kinds: tuple[str, ...], staff_action: str = Action.VIEW_CENTER
):
    """(user, device) allowed on a center's kiosk or board, or PermissionDenied in Chinese."""
    device = device_from_request(request)
    if device is not None and device.center_id == center.pk and device.kind in kinds:
        return None, device
    user = request.user
    if user.is_authenticated and can(user, staff_action, center=center):
        return user, None
    if device is not None and device.center_id != center.pk:
        raise PermissionDenied(_("This device belongs to another center."))
    raise PermissionDenied(
        _("This screen needs a paired kiosk or display of %(center)s, or a staff login.")
        % {"center": center.name}
    )
