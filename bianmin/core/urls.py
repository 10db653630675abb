from django.urls import path

from . import centers, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("centers/", centers.centers, name="centers"),
    path("centers/<str:code>/", centers.center, name="center"),
    path("centers/<str:code>/edit/", centers.edit_center, name="center_edit"),
]
