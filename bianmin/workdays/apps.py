from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    """The working-day calendar: every deadline in bianmin is counted here."""

    name = "bianmin.workdays"
    verbose_name = _("Working days")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save

        from . import services
        from .models import DayOverride, YearSchedule

        for model in (DayOverride, YearSchedule):
            post_save.connect(services.calendar_changed, sender=model, dispatch_uid=f"wd-{model}")
            post_delete.connect(
                services.calendar_changed, sender=model, dispatch_uid=f"wd-del-{model}"
            )
        post_migrate.connect(services.forget, dispatch_uid="workdays-forget")
