from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "incident_console.payments"
    label = "payments"

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the access rules)
