from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """Supervision (三(四)): unannounced inspections with their checklists and findings, the
    tasks that follow, and the yearly assessment of each center from its measured figures."""

    name = "bianmin.supervision"
    verbose_name = _("Supervision")
