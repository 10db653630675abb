from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    """Users, roles and scopes; personal data (encryption, lookup, masking, access log)."""

    name = "bianmin.identity"
    verbose_name = _("Identity and personal data")

    def ready(self) -> None:
        from . import memos
        from .crypto import check_keys

        check_keys()
        memos.connect()
