from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """The case lifecycle: intake, one-time notices, pledges, acceptance, decisions, hand-out."""

    name = "bianmin.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # The queue's desk shows, beside the visit it serves, links that apps above it offer:
        # here, "open a case" from the visit, and the cases opened from it.
        from bianmin.queueing import selectors as queue_selectors

        from .links import visit_links

        if visit_links not in queue_selectors.VISIT_LINK_PROVIDERS:
            queue_selectors.VISIT_LINK_PROVIDERS.append(visit_links)
