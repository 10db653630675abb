from django.conf import settings

import bianmin
from bianmin.identity.permissions import Action, can
from bianmin.identity.selectors import may_audit_access_log


def site(request):
    user = getattr(request, "user", None)
    nav = {}
    if user is not None and user.is_authenticated:
        nav = {
            "citizen": getattr(user, "role", "") == "citizen",
            "centers": can(user, Action.VIEW_CENTER),
            "hall": can(user, Action.VIEW_CENTER) and bool(getattr(user, "center_id", None)),
            "people": can(user, Action.REVEAL_PERSONAL_DATA),
            "cases": can(user, Action.SERVE_AT_WINDOW)
            or can(user, Action.DECIDE_CASE)
            or can(user, Action.VIEW_CENTER),
            "access_log": may_audit_access_log(user),
            "feedback": can(user, Action.VIEW_CENTER),
            "supervision": can(user, Action.SUPERVISE) or can(user, Action.MANAGE_CENTER),
        }
    return {
        "BIANMIN_VERSION": bianmin.__version__,
        "BIANMIN_PRODUCTION": settings.PRODUCTION,
        "nav": nav,
    }
