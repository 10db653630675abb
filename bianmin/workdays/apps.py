from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    """The working-day calendar: every deadline in bianmin is counted here."""

    name = "bianmin.workdays"
    verbose_name = _("Working days")
