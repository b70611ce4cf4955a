from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incident_console.incidents"
    label = "incidents"

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the access rules)
