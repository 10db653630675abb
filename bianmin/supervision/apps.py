from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The main menu's entry (bianmin/templates/base.html), translated in this app's catalogue.
NAV_LABEL = pgettext_lazy("nav", "Supervision")


class SupervisionConfig(AppConfig):
    """Supervision (三(四)): unannounced inspections with their checklists and findings, the
    tasks that follow, and the yearly assessment of each center from its measured figures."""

    name = "bianmin.supervision"
    verbose_name = _("Supervision")
