from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The performance contract: `manage.py bench` (make bench). No models; its marker table is
    made by the bench itself in the bench database."""

    name = "incident_console.bench"
    label = "bench"
    verbose_name = "Benchmarks"
