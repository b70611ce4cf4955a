from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "incident_console.assessments"
    label = "assessments"

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the access rules)
        from .pdf import register_kind

        register_kind()
