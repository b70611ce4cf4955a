from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("contacts/", views.contact_list, name="list"),
    path("contacts/new/", views.contact_new, name="new"),
]
