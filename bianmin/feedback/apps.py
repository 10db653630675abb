from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Ratings (好差评) from every channel, rectification of bad ratings, 办不成事 reports."""

    name = "bianmin.feedback"
    verbose_name = _("Ratings and reports")
