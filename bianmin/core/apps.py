from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shell that composes the apps: home page, health check, API root, CLI, demo data.

    It sits above every app of the policy and may import any of them; none imports it.
    """

    name = "bianmin.core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        # get_FOO_display() from labels translated once per language (bianmin/common/choices.py).
        from bianmin.common import choices

        choices.install()
