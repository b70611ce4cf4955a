from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "incident_console.health"
    label = "health"
