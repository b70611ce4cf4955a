from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from incident_console.guidance.loading import ModuleLoadError, load_modules


class Command(BaseCommand):
    help = (
        "Validate every guidance module file (<dir>/*/module.yaml) and load new or changed ones. "
        "If any file is invalid, print its problems and load nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--path", type=Path, help="Directory holding the module folders (default: settings.MODULES_DIR)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_modules(directory=options["path"])
        except ModuleLoadError as exc:
            raise CommandError(str(exc)) from exc
        for result in report.modules:
            self.stdout.write(result.describe())
