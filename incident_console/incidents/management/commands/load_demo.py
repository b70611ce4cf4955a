import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import ObjectDoesNotExist

from incident_console.incidents.demo import load_demo

DEFAULT_DEMO_PASSWORD = "exercise-northgate-2026"  # noqa: S105  (demo only, documented in README)


class Command(BaseCommand):
    help = "Create the demo councils, people and the exercise incident (demo only; needs modules loaded)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and os.environ.get("ALLOW_DEMO_DATA") != "1":
            raise CommandError("Refusing to load demo data outside DEBUG; set ALLOW_DEMO_DATA=1 to insist.")
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        try:
            report = load_demo(password=password)
        except ObjectDoesNotExist as error:
            raise CommandError(
                f"Demo data refers to something missing (are the modules loaded?): {error}"
            ) from error
        assert report.incident is not None
        state = "created" if report.created_incident else "already present"
        self.stdout.write(
            f"Demo: {report.councils} councils, {report.people} people; "
            f"exercise incident {report.incident.reference} {state}."
        )
