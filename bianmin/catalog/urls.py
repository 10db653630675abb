from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    # Public: anyone reads the published catalogue.
    path("catalog/", views.index, name="index"),
    path("catalog/search/", views.search, name="search"),
    path("catalog/items/<str:code>/", views.item, name="item"),
    path("catalog/items/<str:code>/print/", views.item_print, name="print"),
    path("catalog/items/<str:code>/versions/", views.versions, name="versions"),
    path("catalog/items/<str:code>/diff/", views.diff, name="diff"),
    path("catalog/versions/<int:pk>/", views.version, name="version"),
    path("catalog/files/<int:pk>/<str:kind>/", views.material_file, name="file"),
    path("catalog/bundles/", views.bundles, name="bundles"),
    path("catalog/bundles/<str:code>/", views.bundle, name="bundle"),
    path("catalog/changes/", views.changes, name="changes"),
    path("catalog/centers/<str:code>/", views.center_items, name="center_items"),
    path("catalog/export.xlsx", views.export_catalogue, name="export"),
    # Editors (supervisors, the administrator).
    path("catalog/manage/", views.manage, name="manage"),
    path("catalog/manage/items/new/", views.item_new, name="item_new"),
    path("catalog/manage/items/<str:code>/", views.item_edit, name="item_edit"),
    path("catalog/manage/items/<str:code>/cancel/", views.item_cancel, name="item_cancel"),
    path("catalog/manage/items/<str:code>/draft/", views.draft_start, name="draft_start"),
    path("catalog/manage/versions/<int:pk>/edit/", views.draft_edit, name="draft_edit"),
    path(
        "catalog/manage/versions/<int:pk>/<str:action>/",
        views.version_action,
        name="version_action",
    ),
    path("catalog/manage/bundles/new/", views.bundle_edit, name="bundle_new"),
    path("catalog/manage/bundles/<str:code>/", views.bundle_edit, name="bundle_edit"),
    path("catalog/manage/import/", views.import_catalogue, name="import"),
    # Centers: entries (进驻) and coverage.
    path("catalog/centers/<str:code>/entries/", views.entries, name="entries"),
    path(
        "catalog/centers/<str:code>/entries/<str:item_code>/<str:action>/",
        views.entry_action,
        name="entry_action",
    ),
    path("catalog/coverage/", views.coverage, name="coverage"),
    # The guide audit.
    path("catalog/audit/", views.audit, name="audit"),
    path("catalog/audit/run/", views.audit_run, name="audit_run"),
    path("catalog/audit/<int:pk>/export.xlsx", views.audit_export, name="audit_export"),
]
