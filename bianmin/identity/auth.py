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


session_auth = SessionAuth(csrf=True)
device_auth = DeviceTokenAuth()
staff_or_device = [session_auth, device_auth]
