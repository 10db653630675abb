"""API of the portal app, mounted by bianmin.core.api."""

from ninja import Router

router = Router(tags=["portal"])
