"""URL map: pages of each app, the admin, the API and the health check."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from bianmin.core.api import urls as api_urls
from bianmin.core.health import healthz

admin.site.site_header = _("Bianmin administration")
admin.site.site_title = _("Bianmin administration")


def _admin_login(request, extra_context=None):
    """One login page for everything, so the admin gets the lockout and the Chinese messages."""
    return redirect_to_login(request.get_full_path())


admin.site.login = _admin_login

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Staff photos for the post boards. Behind nginx in production, location /media/ serves them.
    re_path(
        r"^media/(?P<path>staff-photos/[\w.-]+)$", serve, {"document_root": settings.MEDIA_ROOT}
    ),
    path("api/v1/", api_urls()),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("bianmin.identity.urls")),
    path("", include("bianmin.workdays.urls")),
    path("", include("bianmin.catalog.urls")),
    path("", include("bianmin.hall.urls")),
    path("", include("bianmin.queueing.urls")),
    path("", include("bianmin.cases.urls")),
    path("", include("bianmin.feedback.urls")),
    path("", include("bianmin.portal.urls")),
    path("", include("bianmin.supervision.urls")),
    path("", include("bianmin.staffing.urls")),
    path("", include("bianmin.core.urls")),
]
