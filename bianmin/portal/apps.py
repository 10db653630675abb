from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The citizen's side: the portal, citizen login, and the 24-hour kiosk."""

    name = "bianmin.portal"
    verbose_name = _("Citizen portal")
