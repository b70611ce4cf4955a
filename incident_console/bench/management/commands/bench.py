"""The performance contract in one run: `make bench` (BENCH_SCALE=full|small).

    DATABASE_URL=postgres://…/console_bench python manage.py bench [--scale full] [--fresh]

Creates and migrates the bench database if it is missing, makes (or reuses) the dataset at the
chosen scale and the next smaller one, then times pages and API endpoints against their floors,
the PDFs against bare WeasyPrint, the reminder sweep, rota lookups and throughput under wrk.
Prints a table, writes docs/benchmarks.json and the figures in docs/benchmarks.md, and exits 1
when a target is missed.
"""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from incident_console.bench import data, report, runner


def prepare_database(*, fresh: bool) -> None:
    """Create the bench database if missing (drop it first with ``fresh``), then migrate it."""
    db = connection.settings_dict
    name = str(db["NAME"])
    if fresh and "bench" not in name:
        raise CommandError(f"--fresh drops the database; refusing for {name!r} (its name has no 'bench')")
    quoted = connection.ops.quote_name(name)
    # Django's own way in before the database exists: a cursor on the server's "postgres" database.
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if exists and fresh:
            cursor.execute(f"DROP DATABASE {quoted} WITH (FORCE)")
            exists = False
        if not exists:
            cursor.execute(f"CREATE DATABASE {quoted}")
    call_command("migrate", interactive=False, verbosity=0)


class Command(BaseCommand):
    help = "Generate data at scale and measure pages, API, PDFs, the sweep, rotas and throughput."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(data.PAIRS), default="full")
        parser.add_argument("--fresh", action="store_true", help="drop and regenerate the bench database")
        parser.add_argument(
            "--requests", type=int, default=100, help="timed requests per page, after warm-up"
        )
        parser.add_argument("--wrk-duration", type=int, default=10, help="seconds of wrk per endpoint")
        parser.add_argument("--pdf-repeats", type=int, default=5)
        parser.add_argument("--parts", nargs="+", choices=runner.PARTS, default=list(runner.PARTS))
        parser.add_argument("--json", type=Path, default=Path(settings.BASE_DIR) / "docs" / "benchmarks.json")
        parser.add_argument(
            "--markdown", type=Path, default=Path(settings.BASE_DIR) / "docs" / "benchmarks.md"
        )
        parser.add_argument("--no-write", action="store_true", help="print the table only")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("the bench needs PostgreSQL: set DATABASE_URL (make bench sets it)")
        prepare_database(fresh=options["fresh"])
        measured, compared = data.PAIRS[options["scale"]]
        datasets = []
        for scale in (measured, compared):
            self.stdout.write(f"data: {scale.name} scale …")
            dataset = data.ensure(scale)
            self.stdout.write(
                f"data: {scale.name} scale {'reused' if dataset.reused else 'made'} ({dataset.seconds:.1f} s)"
            )
            datasets.append(dataset)
        run_options = runner.Options(
            requests=options["requests"],
            wrk_duration=options["wrk_duration"],
            pdf_repeats=options["pdf_repeats"],
            parts=tuple(options["parts"]),
            gunicorn_log=Path(settings.BASE_DIR) / "var" / "bench-gunicorn.log",
        )
        rows = runner.run(datasets[0], datasets[1], run_options, progress=self.stdout.write)
        self.stdout.write("")
        self.stdout.write(report.table(rows))
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
        meta = {
            "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "command": f"make bench BENCH_SCALE={options['scale']}",
            "machine": f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
            f"Python {platform.python_version()}, PostgreSQL {server}, load average at the end "
            f"{os.getloadavg()[0]:.1f} (the machine is shared)",
            "scale": options["scale"],
        }
        if not options["no_write"]:
            report.write_json(options["json"], rows, meta)
            report.update_markdown(options["markdown"], rows, meta)
        missed = [r for r in rows if r.met is False]
        if missed:
            for r in missed:
                self.stdout.write(f"TARGET MISSED: {r.section} / {r.name}: {r.measured} (target {r.target})")
            raise SystemExit(1)
        self.stdout.write("Every target met.")
