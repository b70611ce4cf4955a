from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "incident_console.safeguarding"
    label = "safeguarding"

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the access rules)
