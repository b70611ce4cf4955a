from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "incident_console.guidance"
    label = "guidance"
