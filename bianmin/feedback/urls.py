from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("rate/pad/", views.pad, name="pad"),
    path("rate/pad/current/", views.pad_current, name="pad_current"),
    path("rate/pad/rate/", views.pad_rate, name="pad_rate"),
    path("rate/<str:token>/", views.rate, name="rate"),
    path("report/", views.citizen_report, name="citizen_report"),
    path("report/<str:token>/", views.report_progress, name="report_progress"),
    path("feedback/", views.index, name="index"),
    path("feedback/present/", views.present, name="present"),
    path("feedback/rectifications/<int:pk>/", views.rectification, name="rectification"),
    path("feedback/reports/", views.reports, name="reports"),
    path("feedback/reports/<int:pk>/", views.report, name="report"),
    path("feedback/figures/", views.figures_page, name="figures"),
    path("feedback/settings/", views.center_settings, name="settings"),
]
