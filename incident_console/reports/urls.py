from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/jobs/<int:job_id>/", views.job_progress, name="job"),
    path("reports/jobs/<int:job_id>/retry/", views.job_retry, name="job_retry"),
    path("reports/jobs/<int:job_id>/download/", views.job_download, name="job_download"),
]
