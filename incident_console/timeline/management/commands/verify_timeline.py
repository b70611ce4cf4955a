from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from incident_console.timeline.selectors import verify_all


class Command(BaseCommand):
    help = "Check every incident's hash-chained timeline; print the first broken row of each, or ok."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--incident", type=int, action="append", help="Only check this incident id.")

    def handle(self, *args: Any, **options: Any) -> None:
        broken = verify_all(options["incident"])
        if not broken:
            self.stdout.write("ok")
            return
        for row in broken:
            self.stdout.write(
                f"incident {row.incident_id}: first broken row is sequence {row.sequence} "
                f"(event id {row.event_id}): {row.reason}"
            )
        raise CommandError(f"{len(broken)} incident timeline(s) broken")
