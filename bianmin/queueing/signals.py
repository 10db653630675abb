"""Keep the per-process caches (cache.py) true: any change to a row they are built from drops
them here at once, and in the other processes at commit (through the push carrier)."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from . import cache, push


def _changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    cache.clear()
    push.invalidate_elsewhere()


def _hall_changed(sender, instance, **kwargs) -> None:
    """A window opened or closed, a clerk away or back: the boards reload their snapshot."""
    if kwargs.get("raw"):
        return
    _changed(sender, **kwargs)
    from bianmin.hall.models import Attendance

    window = instance.window if isinstance(instance, Attendance) else instance.post.window
    push.publish(window.center_id, {"type": "hall", "window": window.number})


def connect() -> None:
    from bianmin.catalog.models import ItemEntry, ServiceItem
    from bianmin.hall.models import Attendance, AwayNotice, Post, RoutingOverride, Window

    from .models import PriorityGroup, Queue, QueueSettings

    for model in (Attendance, AwayNotice):
        post_save.connect(
            _hall_changed, sender=model, dispatch_uid=f"queueing-{model.__name__}-save"
        )
        post_delete.connect(_changed, sender=model, dispatch_uid=f"queueing-{model.__name__}-del")
    for model in (
        Window,
        Post,
        RoutingOverride,
        ItemEntry,
        ServiceItem,
        Queue,
        QueueSettings,
        PriorityGroup,
    ):
        post_save.connect(_changed, sender=model, dispatch_uid=f"queueing-{model.__name__}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"queueing-{model.__name__}-del")
    for through in (Window.domains.through, Queue.windows.through, ServiceItem.life_events.through):
        m2m_changed.connect(_changed, sender=through, dispatch_uid=f"queueing-{through.__name__}")
