"""The JSON API under /api/v1/: each app adds its router; errors answer in Chinese.

OpenAPI at /api/v1/openapi.json, interactive docs at /api/v1/docs.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

import bianmin
from bianmin.cases.api import router as cases_router
from bianmin.catalog.api import router as catalog_router
from bianmin.core.api_errors import describe
from bianmin.feedback.api import router as feedback_router
from bianmin.hall.api import router as hall_router
from bianmin.identity.api import router as identity_router
from bianmin.org.api import router as org_router
from bianmin.portal.api import router as portal_router
from bianmin.queueing.api import router as queue_router
from bianmin.staffing.api import router as staffing_router
from bianmin.supervision.api import router as supervision_router
from bianmin.workdays.api import router as workdays_router

api = NinjaAPI(
    title="bianmin API",
    version=bianmin.__version__,
    description=(
        "便民 — township service centers. Staff authenticate with their session (and the "
        "X-CSRFToken header on writes); kiosks, display boards and rating pads with "
        "`Authorization: Bearer <device token>`. Error messages are in Chinese and name the field."
    ),
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    first = next(iter(errors.values()))[0]
    return api.create_response(request, {"detail": first, "errors": errors}, status=422)


@api.exception_handler(SchemaValidationError)
def _schema_error(request, exc: SchemaValidationError):
    errors = describe(exc.errors)
    first = next(iter(errors.values()))[0] if errors else _("The request is not valid.")
    return api.create_response(request, {"detail": first, "errors": errors}, status=422)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    message = str(exc)
    if message.startswith("Cannot parse request body"):  # django-ninja's own words
        message = _("the body is not valid JSON.")
        message = message[:1].upper() + message[1:]
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or _("Not allowed.")}, status=403)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {"detail": _("Please log in first.")}, status=401)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


# The queue's routes first: Django tries the API's routes in this order on every request, and
# the kiosks' and windows' calls are most of the API's traffic (docs/benchmarks.md, Queue).
api.add_router("/queue", queue_router)
api.add_router("/identity", identity_router)
api.add_router("/org", org_router)
api.add_router("/workdays", workdays_router)
api.add_router("/catalog", catalog_router)
api.add_router("/hall", hall_router)
api.add_router("/cases", cases_router)
api.add_router("/feedback", feedback_router)
api.add_router("/portal", portal_router)
api.add_router("/supervision", supervision_router)
api.add_router("/staffing", staffing_router)


def urls():
    """``api.urls`` with each router's routes under its own prefix (``queue/``, ``cases/``, …).

    django-ninja gives one flat list of 160-odd routes, which Django tries one by one on every
    call: a case's route came after 77 others (5 % of a case creation's CPU). Grouped, Django
    tries a dozen prefixes, then the routes of one router. Names, namespace and views are
    ninja's own, so ``reverse`` and the OpenAPI schema are unchanged.
    """
    from django.urls import include, path
    from django.urls.resolvers import RoutePattern

    patterns, app_name, namespace = api.urls
    groups: dict[str, list] = {}
    grouped = []
    for pattern in patterns:
        route = pattern.pattern._route if isinstance(pattern.pattern, RoutePattern) else None
        head, slash, rest = (route or "").partition("/")
        if not (route and slash and rest):
            grouped.append(pattern)  # docs, openapi.json, the root: as they are
            continue
        if head not in groups:
            groups[head] = []
            grouped.append(path(f"{head}/", include(groups[head])))
        groups[head].append(path(rest, pattern.callback, pattern.default_args, name=pattern.name))
    return grouped, app_name, namespace
