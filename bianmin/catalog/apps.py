from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """Service items, guides and their versions, bundles, item entries per center, guide audits."""

    name = "bianmin.catalog"
    verbose_name = _("Service catalogue")
