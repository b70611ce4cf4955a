from django.urls import path

from . import views

app_name = "safeguarding"

urlpatterns = [
    path("incidents/<int:pk>/safeguarding/", views.deadlines, name="deadlines"),
    path("incidents/<int:pk>/safeguarding/new/", views.deadline_new, name="deadline_new"),
    path("incidents/<int:pk>/safeguarding/<int:deadline_id>/", views.deadline_edit, name="deadline_edit"),
    path(
        "incidents/<int:pk>/safeguarding/<int:deadline_id>/complete/",
        views.deadline_complete,
        name="deadline_complete",
    ),
    path("councils/<int:council_id>/safeguarding-timings/", views.timings, name="timings"),
    path("councils/<int:council_id>/safeguarding-timings/policy/", views.policy_edit, name="policy_edit"),
    path(
        "councils/<int:council_id>/safeguarding-timings/<int:rule_id>/", views.timing_edit, name="timing_edit"
    ),
]
