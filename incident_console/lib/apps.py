from django.apps import AppConfig


class LibConfig(AppConfig):
    """Shared helpers. Installed only so Django finds the `console_tags` template library."""

    name = "incident_console.lib"
    label = "lib"
    verbose_name = "Shared helpers"
