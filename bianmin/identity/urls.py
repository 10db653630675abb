from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "identity"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/reveal/<str:field>/", views.reveal, name="reveal"),
    path("people/access-log/", views.access_log, name="access_log"),
    path("me/", views.me, name="me"),
]
