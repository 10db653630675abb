from django.urls import path

from . import views

app_name = "hall"
urlpatterns = [
    path("hall/", views.index, name="index"),
    path("hall/<str:code>/", views.hall, name="hall"),
    path("hall/<str:code>/setup/", views.setup, name="setup"),
    path("hall/<str:code>/duties/", views.add_duty, name="add_duty"),
    path("hall/<str:code>/routing/", views.routing, name="routing"),
    path("hall/<str:code>/facilities/", views.facilities, name="facilities"),
    path("hall/<str:code>/training/", views.training, name="training"),
    path("hall/<str:code>/postboards/", views.postboards, name="postboards"),
    path("hall/<str:code>/away/", views.away, name="away"),
    path("hall/<str:code>/back/", views.back, name="back"),
    path("hall/<str:code>/away/<int:pk>/decide/", views.decide, name="decide"),
    path("hall/<str:code>/windows/<int:number>/board/", views.board, name="board"),
    path(
        "hall/<str:code>/windows/<int:number>/<str:action>/",
        views.window_action,
        name="window_action",
    ),
    path("hall/<str:code>/staff/<str:username>/", views.clerk_profile, name="clerk"),
]
