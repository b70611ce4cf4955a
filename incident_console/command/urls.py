from django.urls import path

from . import views

app_name = "command"

urlpatterns = [
    path("incidents/<int:pk>/command/", views.board, name="board"),
    path("incidents/<int:pk>/command/assign/", views.assign, name="assign"),
    path(
        "incidents/<int:pk>/command/assignments/<int:assignment_id>/relinquish/",
        views.relinquish,
        name="relinquish",
    ),
    path("incidents/<int:pk>/command/handovers/<int:handover_id>/", views.handover_detail, name="handover"),
    path(
        "incidents/<int:pk>/command/handovers/<int:handover_id>/acknowledge/",
        views.handover_acknowledge,
        name="handover_acknowledge",
    ),
    path("incidents/<int:pk>/decisions/", views.decision_log, name="decisions"),
    path("incidents/<int:pk>/decisions/new/", views.decision_new, name="decision_new"),
    path("incidents/<int:pk>/decisions/print/", views.decision_log_print, name="decisions_print"),
    path("incidents/<int:pk>/decisions.csv", views.decision_log_csv, name="decisions_csv"),
    path("incidents/<int:pk>/risks/", views.risk_register, name="risks"),
    path("incidents/<int:pk>/risks/new/", views.risk_new, name="risk_new"),
    path("incidents/<int:pk>/risks/<int:risk_id>/", views.risk_edit, name="risk_edit"),
    path("incidents/<int:pk>/battle-rhythm/", views.battle_rhythm, name="rhythm"),
    path("incidents/<int:pk>/battle-rhythm/<int:entry_id>/held/", views.rhythm_held, name="rhythm_held"),
]
