from django.apps import AppConfig


class ContinuityConfig(AppConfig):
    name = "incident_console.continuity"
    label = "continuity"

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the access rules)
