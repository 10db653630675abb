from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallConfig(AppConfig):
    """Windows, posts with backups, away notices, routing of items to windows, facilities, training."""

    name = "bianmin.hall"
    verbose_name = _("Hall")
