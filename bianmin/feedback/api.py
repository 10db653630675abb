"""API of the feedback app, mounted by bianmin.core.api."""

from ninja import Router

router = Router(tags=["feedback"])
