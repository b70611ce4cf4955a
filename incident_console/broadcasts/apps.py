from django.apps import AppConfig


class BroadcastsConfig(AppConfig):
    name = "incident_console.broadcasts"
    label = "broadcasts"

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the access rules)
