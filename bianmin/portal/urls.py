from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("portal/", views.home, name="home"),
    path("portal/search/", views.search, name="search"),
    path("portal/guides/<str:code>/", views.guide, name="guide"),
    path("portal/guides/<str:code>/apply/", views.apply, name="apply"),
    path("portal/guides/<str:code>/ticket/", views.take_ticket, name="ticket"),
    path("portal/guides/<str:code>/book/", views.book, name="book"),
    path("portal/login/", views.login_view, name="login"),
    path("portal/register/", views.register, name="register"),
    path("portal/logout/", views.logout_view, name="logout"),
    path("portal/me/", views.mine, name="mine"),
    path("portal/me/applications/<int:pk>/", views.application, name="application"),
    path("portal/me/cases/<str:number>/", views.case, name="case"),
    path("portal/progress/", views.progress, name="progress"),
    path("portal/report/", views.report, name="report"),
    path("portal/kiosk/<str:code>/", views.kiosk_home, name="kiosk"),
    path("portal/kiosk/<str:code>/guides/", views.kiosk_guides, name="kiosk_guides"),
    path("portal/kiosk/<str:code>/guides/<str:item_code>/", views.kiosk_guide, name="kiosk_guide"),
    path("portal/kiosk/<str:code>/progress/", views.kiosk_progress, name="kiosk_progress"),
    path("portal/kiosk/<str:code>/me/", views.kiosk_mine, name="kiosk_mine"),
]
