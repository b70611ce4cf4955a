from django.urls import path

from . import views

app_name = "continuity"

urlpatterns = [
    path("incidents/<int:pk>/manual-records/", views.records, name="records"),
    path("incidents/<int:pk>/manual-records/new/", views.record_new, name="record_new"),
    path("incidents/<int:pk>/manual-records/export.csv", views.records_csv, name="records_csv"),
    path("incidents/<int:pk>/manual-records/close-decision/", views.close_override, name="close_override"),
    path("incidents/<int:pk>/manual-records/<int:record_id>/", views.record_detail, name="record"),
    path("incidents/<int:pk>/manual-records/<int:record_id>/enter/", views.record_enter, name="record_enter"),
    path(
        "incidents/<int:pk>/manual-records/<int:record_id>/verify/", views.record_verify, name="record_verify"
    ),
    path(
        "incidents/<int:pk>/manual-records/<int:record_id>/return/", views.record_return, name="record_return"
    ),
    path(
        "incidents/<int:pk>/manual-records/<int:record_id>/attachment/",
        views.attachment,
        name="attachment",
    ),
]
