from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "incident_console.recovery"
    label = "recovery"

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the access rules)
