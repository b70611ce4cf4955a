"""Check every assessment sign-off still matches the exact content it signed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from incident_console.assessments.models import SignOff
from incident_console.assessments.selectors import verify_sign_offs


class Command(BaseCommand):
    help = "Name every sign-off whose SHA-256 no longer matches the assessment version it signed."

    def handle(self, *args: Any, **options: Any) -> None:
        mismatches = verify_sign_offs()
        total = SignOff.objects.count()
        for mismatch in mismatches:
            self.stderr.write(f"NO LONGER MATCHES: {mismatch.describe()}")
        if mismatches:
            raise CommandError(f"{len(mismatches)} of {total} sign-offs no longer match what was signed.")
        self.stdout.write(f"All {total} sign-offs match the content they signed.")
