from django.urls import path

from . import views

app_name = "priority_cases"

urlpatterns = [
    path("incidents/<int:pk>/priority-cases/", views.case_list, name="list"),
    path("incidents/<int:pk>/priority-cases/new/", views.case_new, name="new"),
    path("incidents/<int:pk>/priority-cases/export.csv", views.case_export, name="export"),
    path("incidents/<int:pk>/priority-cases/access-log/", views.access_log, name="access_log"),
    path("incidents/<int:pk>/priority-cases/<int:case_id>/", views.case_detail, name="detail"),
    path("incidents/<int:pk>/priority-cases/<int:case_id>/edit/", views.case_edit, name="edit"),
]
