"""Small template helpers for the case pages."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

LINE_STATUS = {
    "provided": _("provided"),
    "missing": _("missing"),
    "defective": _("defective"),
    "deferred": _("deferred (pledge)"),
    "not_needed": _("not needed"),
}
LEVELS = {
    "red": _("Overdue"),
    "yellow": _("Due soon"),
    "green": _("On time"),
    "paused": _("Clock paused"),
}


@register.filter
def get(mapping, key):
    """``posted|get:"applicant.name"``: a key with dots, which the template language cannot."""
    if mapping is None:
        return ""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def line_status(value):
    return LINE_STATUS.get(value, value)


@register.filter
def level_label(value):
    return LEVELS.get(value, "")


@register.filter
def state_label(value):
    from bianmin.cases.machine import State

    try:
        return State(value).label
    except ValueError:
        return value


@register.filter
def action_label(value):
    from bianmin.cases.machine import Act

    try:
        return Act(value).label
    except ValueError:
        return value
