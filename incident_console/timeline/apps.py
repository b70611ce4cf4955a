from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "incident_console.timeline"
    label = "timeline"
