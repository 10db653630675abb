from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The main menu's entry (bianmin/templates/base.html), translated in this app's catalogue.
NAV_LABEL = pgettext_lazy("nav", "Ratings")


class FeedbackConfig(AppConfig):
    """Ratings (好差评) from every channel, rectification of bad ratings, 办不成事 reports."""

    name = "bianmin.feedback"
    verbose_name = _("Ratings and reports")

    def ready(self) -> None:
        # Rating invitations by SMS, escalations and the default rule run in the one scheduler
        # (`bianmin serve` in the embedded default, `bianmin worker` in production).
        from bianmin.cases import scheduler

        from .timers import run_timers

        if run_timers not in scheduler.MORE_TIMERS:
            scheduler.MORE_TIMERS.append(run_timers)
