from django.apps import AppConfig


class CommandConfig(AppConfig):
    name = "incident_console.command"
    label = "command"

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the access rules)
