from django.apps import AppConfig


class PriorityCasesConfig(AppConfig):
    name = "incident_console.priority_cases"
    label = "priority_cases"

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the access rules)
