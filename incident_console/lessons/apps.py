from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "incident_console.lessons"
    label = "lessons"

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the access rules)
