from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/jobs/<int:job_id>/", views.job_progress, name="job"),
    path("reports/jobs/<int:job_id>/retry/", views.job_retry, name="job_retry"),
    path("reports/jobs/<int:job_id>/download/", views.job_download, name="job_download"),
    path("incidents/<int:pk>/sitreps/", views.sitrep_list, name="sitreps"),
    path("incidents/<int:pk>/sitreps/new/", views.sitrep_new, name="sitrep_new"),
    path("incidents/<int:pk>/sitreps/<int:sitrep_id>/", views.sitrep_detail, name="sitrep"),
    path("incidents/<int:pk>/sitreps/<int:sitrep_id>/edit/", views.sitrep_edit, name="sitrep_edit"),
    path("incidents/<int:pk>/sitreps/<int:sitrep_id>/approve/", views.sitrep_approve, name="sitrep_approve"),
    path("incidents/<int:pk>/sitreps/<int:sitrep_id>/issue/", views.sitrep_issue, name="sitrep_issue"),
    path("incidents/<int:pk>/comms/", views.comms_log, name="comms"),
    path("incidents/<int:pk>/grab-pack/", views.grab_pack_page, name="grab_pack"),
    path("incidents/<int:pk>/comms/new/", views.comms_new, name="comms_new"),
]
