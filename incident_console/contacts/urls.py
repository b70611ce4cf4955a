from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("contacts/", views.contact_list, name="list"),
    path("contacts/new/", views.contact_new, name="new"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="edit"),
    path("contacts/<int:pk>/verify/", views.contact_verify, name="verify"),
    path("contacts/export.csv", views.contact_export, name="export"),
    path("contacts/vulnerable-families.csv", views.families_export, name="families_export"),
    path("contacts/import/", views.contact_import, name="import"),
    path("contacts/access-log/", views.access_log, name="access_log"),
]
