from django.apps import AppConfig


class RotasConfig(AppConfig):
    name = "incident_console.rotas"
    label = "rotas"
    verbose_name = "Rotas"

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the access rules)
