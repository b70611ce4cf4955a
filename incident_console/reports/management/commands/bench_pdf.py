"""Time a 20-page sitrep through the PDF machinery against bare WeasyPrint on the same HTML.

    python manage.py bench_pdf [--rows 38] [--repeats 5]

Prints the page count, the fastest render of each and their ratio. Exits 1 when the machinery takes
more than 1.3 times bare WeasyPrint.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from incident_console.reports import bench


class Command(BaseCommand):
    help = "Compare a 20-page sitrep render through the PDF jobs with bare WeasyPrint (budget 1.3x)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, default=38, help="rows in each long table")
        parser.add_argument("--repeats", type=int, default=5)

    def handle(self, *args: Any, **options: Any) -> None:
        result = bench.run(rows=options["rows"], repeats=options["repeats"])
        self.stdout.write(
            f"sitrep PDF, {result.pages} pages: machinery {result.machinery_ms:.0f} ms "
            f"(template {result.html_ms:.1f} ms), bare WeasyPrint {result.bare_ms:.0f} ms, "
            f"ratio {result.ratio:.3f} (budget {bench.RATIO_BUDGET})"
        )
        if result.pages < bench.TARGET_PAGES:
            raise CommandError(f"only {result.pages} pages; raise --rows to reach {bench.TARGET_PAGES}")
        if result.ratio > bench.RATIO_BUDGET:
            raise CommandError(f"OVER BUDGET: {result.ratio:.3f} > {bench.RATIO_BUDGET}")
