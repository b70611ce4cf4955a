from django.apps import AppConfig


class ClosureConfig(AppConfig):
    name = "incident_console.closure"
    label = "closure"

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the access rules)
