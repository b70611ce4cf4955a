from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "incident_console.reports"
    label = "reports"

    def ready(self) -> None:
        from . import access, registry  # noqa: F401  (registers the access rules and PDF kinds)
