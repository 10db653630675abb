from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    """Regions with their official division codes, the centers of the townships, departments."""

    name = "bianmin.org"
    verbose_name = _("Regions and centers")
