from django.urls import path

from . import views

app_name = "queueing"
urlpatterns = [
    path("queue/", views.index, name="index"),
    path("queue/device/", views.device_pair, name="device"),
    path("queue/t/<str:public_id>/", views.ticket, name="ticket"),
    path("queue/t/<str:public_id>/print/", views.ticket_print, name="ticket_print"),
    path("queue/t/<str:public_id>/cancel/", views.ticket_cancel, name="ticket_cancel"),
    path("queue/<str:code>/", views.desk, name="desk"),
    path("queue/<str:code>/issue/", views.desk_issue, name="desk_issue"),
    path("queue/<str:code>/tickets/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path(
        "queue/<str:code>/windows/<int:number>/screen/",
        views.window_screen,
        name="window_screen",
    ),
    path(
        "queue/<str:code>/windows/<int:number>/<str:action>/",
        views.desk_action,
        name="desk_action",
    ),
    path("queue/<str:code>/kiosk/", views.kiosk, name="kiosk"),
    path("queue/<str:code>/kiosk/take/", views.kiosk_take, name="kiosk_take"),
    path("queue/<str:code>/kiosk/checkin/", views.kiosk_checkin, name="kiosk_checkin"),
    path("queue/<str:code>/display/", views.display, name="display"),
    path("queue/<str:code>/board.json", views.board_json, name="board_json"),
    path("queue/<str:code>/events/", views.events, name="events"),
    path("queue/<str:code>/figures/", views.figures_page, name="figures"),
    path("queue/<str:code>/appointments/", views.appointments, name="appointments"),
    path("queue/<str:code>/book/", views.book, name="book"),
    path("queue/<str:code>/settings/", views.settings_page, name="settings"),
]
