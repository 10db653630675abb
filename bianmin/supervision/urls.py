from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("supervision/", views.index, name="index"),
    path("supervision/inspections/start/", views.start, name="start"),
    path("supervision/inspections/<int:pk>/", views.inspection, name="inspection"),
    path("supervision/inspections/<int:pk>/answers/<int:answer_id>/", views.answer, name="answer"),
    path("supervision/inspections/<int:pk>/finish/", views.finish, name="finish"),
    path("supervision/inspections/<int:pk>/summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("supervision/photos/answers/<int:answer_id>/", views.answer_photo, name="answer_photo"),
    path("supervision/photos/tasks/<int:pk>/", views.task_photo, name="task_photo"),
    path("supervision/tasks/<int:pk>/", views.task, name="task"),
    path("supervision/assessment/", views.this_year, name="assessment"),
    path("supervision/assessment/<int:year>/", views.ranking, name="ranking"),
    path("supervision/assessment/<int:year>/<str:code>/", views.breakdown, name="breakdown"),
    path("supervision/checklist/", views.checklist, name="checklist"),
]
