"""Check an archive export against its manifest: ``manage.py verify_archive <zip>``."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from incident_console.closure.archive import verify


class Command(BaseCommand):
    help = "Recompute the SHA-256 of every file in an archive export and compare with its manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="Path to the archive ZIP")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = verify(options["archive"])
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            self.stderr.write(f"{len(problems)} problem(s): the archive does not verify.")
            sys.exit(1)
        self.stdout.write("The archive verifies: every file matches its SHA-256 in the manifest.")
