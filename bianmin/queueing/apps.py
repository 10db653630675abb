from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    """Tickets, appointments, calling, the priority lane, transfers, visits, display boards."""

    name = "bianmin.queueing"
    verbose_name = _("Queue")

    def ready(self) -> None:
        # The hall (a lower layer) offers a registry for queue lengths on its pages.
        from bianmin.hall.selectors import QUEUE_LENGTH_PROVIDERS

        from . import signals
        from .selectors import waiting_for_window

        if waiting_for_window not in QUEUE_LENGTH_PROVIDERS:
            QUEUE_LENGTH_PROVIDERS.append(waiting_for_window)
        signals.connect()
