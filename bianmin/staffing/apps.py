from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    """Staffing (三(二)): how many windows each queue needs, hour by hour, from the measured
    arrivals and service times and the bookings already made."""

    name = "bianmin.staffing"
    verbose_name = _("Staffing")
