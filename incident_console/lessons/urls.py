from django.urls import path

from . import views

app_name = "lessons"

urlpatterns = [
    path("incidents/<int:pk>/lessons/", views.lesson_list, name="list"),
    path("incidents/<int:pk>/lessons/new/", views.lesson_new, name="new"),
    path("incidents/<int:pk>/lessons.csv", views.lesson_csv, name="csv"),
    path("incidents/<int:pk>/lessons/<int:lesson_id>/", views.lesson_edit, name="edit"),
    path("incidents/<int:pk>/recovery-handovers/", views.handover_list, name="handovers"),
    path("incidents/<int:pk>/recovery-handovers/<int:handover_id>/", views.handover_detail, name="handover"),
    path(
        "incidents/<int:pk>/recovery-handovers/<int:handover_id>/acknowledge/",
        views.handover_acknowledge,
        name="handover_acknowledge",
    ),
    path(
        "incidents/<int:pk>/recovery-handovers/<int:handover_id>/refresh/",
        views.handover_refresh,
        name="handover_refresh",
    ),
]
