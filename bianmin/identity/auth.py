"""API authentication: staff by their session, devices (kiosks, display boards, rating pads) by token."""

from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth

from .services import device_for_token


class DeviceTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the token is issued once by ``bianmin register_device``."""

    openapi_scheme = "bearer"

    def authenticate(self, request, token: str):
        device = device_for_token(token)
        if device is not None:
            request.device = device
        return device


class StaffSessionAuth(SessionAuth):
    """ninja's session check (with CSRF), answering the user itself rather than
    ``request.user``'s lazy proxy: every attribute a service reads of ``request.auth`` went
    through ``LazyObject.__getattribute__`` (about 3 % of a case's creation)."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None:
            return None
        return getattr(request, "_cached_user", user)  # set by the lazy proxy's first read


session_auth = StaffSessionAuth(csrf=True)
device_auth = DeviceTokenAuth()
staff_or_device = [session_auth, device_auth]
