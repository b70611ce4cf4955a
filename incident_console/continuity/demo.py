"""The exercise incident's manual records, from fixtures/demo.yaml. Everything goes through the
services, so the timeline is real."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from incident_console.accounts.models import User
from incident_console.incidents.models import Incident
from incident_console.lib.time import now

from .services import add_record, enter_record, verify_record


def load_continuity_demo(*, incident: Incident, people: dict[str, User], spec: dict[str, Any]) -> None:
    for row in spec.get("records", []):
        entry = add_record(
            incident=incident,
            actor=people[row["recorded_by"]],
            service=row["service"],
            case_reference=row["case_reference"],
            activity=row["activity"],
            happened_at=now() - timedelta(hours=row["hours_ago"]),
            summary=row["summary"],
        )
        if row.get("entered_by"):
            entry = enter_record(
                entry=entry,
                actor=people[row["entered_by"]],
                expected_version=entry.version,
                system_reference=row["system_reference"],
            )
        if row.get("verified_by"):
            verify_record(entry=entry, actor=people[row["verified_by"]], expected_version=entry.version)
