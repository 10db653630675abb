from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("cases/", views.index, name="index"),
    path("cases/new/", views.new_case, name="new"),
    path("cases/overdue/", views.overdue_list, name="overdue"),
    path("cases/dishonest/", views.dishonest, name="dishonest"),
    path("cases/progress/", views.progress_lookup, name="progress_lookup"),
    path("cases/p/<str:token>/", views.progress, name="progress"),
    path("cases/<str:number>/", views.detail, name="detail"),
    path("cases/<str:number>/do/<str:action>/", views.act, name="act"),
    path("cases/<str:number>/notices/<str:kind>.pdf", views.notice_pdf, name="notice_pdf"),
    path("cases/<str:number>/archive.pdf", views.archive_pdf, name="archive_pdf"),
    path("cases/<str:number>/files/<int:pk>/", views.file_view, name="file"),
    path(
        "cases/<str:number>/deliveries/<int:pk>/address/",
        views.delivery_address,
        name="delivery_address",
    ),
]
