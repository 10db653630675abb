from django.urls import path

from . import views

app_name = "hall"
urlpatterns = [path("hall/", views.index, name="index")]
