from django.urls import path

from . import views

app_name = "staffing"
urlpatterns = [
    path("staffing/", views.index, name="index"),
    path("staffing/<str:code>/", views.plan_page, name="plan"),
    path("staffing/<str:code>/peaks/", views.add_peak, name="add_peak"),
    path("staffing/<str:code>/peaks/<int:pk>/remove/", views.remove_peak, name="remove_peak"),
    path("staffing/<str:code>/target/", views.target, name="target"),
]
