"""Check an archive export against its manifest: ``manage.py verify_archive <zip>``.

With ``--archive-id N`` the manifest itself is checked against the SHA-256 the console stored when
it built archive N (and, without a path, the stored copy of archive N is checked). With
``--manifest-sha256 HASH`` it is checked against a value you hold. Either catches a manifest
rewritten to match a changed file, which the manifest alone cannot.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from incident_console.closure.archive import verify
from incident_console.closure.models import ArchiveJob

SHA256 = re.compile(r"^[0-9a-f]{64}$")


class Command(BaseCommand):
    help = (
        "Recompute the SHA-256 of every file in an archive export and compare with its manifest; "
        "optionally check the manifest against the SHA-256 recorded when the archive was built."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", nargs="?", help="Path to the archive ZIP")
        parser.add_argument(
            "--archive-id",
            type=int,
            help="The archive's number in the console: check the manifest against the SHA-256 recorded "
            "for it (and, with no path, check the stored copy)",
        )
        parser.add_argument(
            "--manifest-sha256", help="The SHA-256 the manifest must have (64 hexadecimal characters)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: str | None = options["archive"]
        expected: str | None = options["manifest_sha256"]
        if expected is not None:
            expected = expected.strip().lower()
            if not SHA256.match(expected):
                raise CommandError("--manifest-sha256 must be 64 hexadecimal characters.")
        if options["archive_id"] is not None:
            job = ArchiveJob.objects.filter(pk=options["archive_id"]).first()
            if job is None:
                raise CommandError(f"There is no archive {options['archive_id']}.")
            if not job.manifest_sha256:
                raise CommandError(f"Archive {job.pk} has not been built, so it has no recorded manifest.")
            if expected is not None and expected != job.manifest_sha256:
                raise CommandError(
                    f"--manifest-sha256 differs from the value recorded for archive {job.pk}: give one."
                )
            expected = job.manifest_sha256
            if path is None:
                if not job.file:
                    raise CommandError(f"Archive {job.pk} has no stored file; give the path to a copy.")
                path = job.file.path
        if path is None:
            raise CommandError("Give the path to the archive ZIP, or --archive-id.")
        problems = verify(path, manifest_sha256=expected)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            self.stderr.write(f"{len(problems)} problem(s): the archive does not verify.")
            sys.exit(1)
        if expected:
            self.stdout.write(
                "The archive verifies: the manifest has the expected SHA-256 and every file matches it."
            )
        else:
            self.stdout.write("The archive verifies: every file matches its SHA-256 in the manifest.")
