"""Staffing API under /api/v1/staffing/."""

from ninja import Router

router = Router(tags=["staffing"])
