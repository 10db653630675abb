from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallConfig(AppConfig):
    """Windows, posts with backups, away notices, routing of items to windows, facilities, training."""

    name = "bianmin.hall"
    verbose_name = _("Hall")

    def ready(self) -> None:
        # The catalogue audit (a lower layer) offers a registry; the hall plugs its check in.
        from bianmin.catalog.audit import register_check
        from bianmin.catalog.place import register_hours_provider

        from .checks import CODE, unserved_items_check
        from .selectors import opening_hours_text

        register_check(unserved_items_check, names={CODE: _("Entered item served by no window")})
        register_hours_provider(opening_hours_text)  # guides show each center's own hours
