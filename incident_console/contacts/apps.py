from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "incident_console.contacts"
    label = "contacts"
