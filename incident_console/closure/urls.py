from django.urls import path

from . import views

app_name = "closure"

urlpatterns = [
    path("incidents/<int:pk>/archives/", views.archive_list, name="archives"),
    path("incidents/<int:pk>/archives/new/", views.archive_request, name="archive_request"),
    path("incidents/<int:pk>/purge/", views.purge, name="purge"),
    path("incidents/<int:pk>/reset/", views.reset, name="reset"),
    path("archives/<int:job_id>/", views.archive_progress, name="archive"),
    path("archives/<int:job_id>/retry/", views.archive_retry, name="archive_retry"),
    path("archives/<int:job_id>/download/", views.archive_download, name="archive_download"),
    path("purge-records/", views.purge_records, name="purge_records"),
    path("councils/<int:council_id>/retention/", views.retention, name="retention"),
]
