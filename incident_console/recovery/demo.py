"""The exercise incident's affected systems and who has been told, from fixtures/demo.yaml.
Everything goes through the services, so the timeline is real."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from incident_console.accounts.models import Council, User
from incident_console.incidents.models import Incident

from .services import add_system, log_notification


def load_recovery_demo(
    *, incident: Incident, people: dict[str, User], councils: dict[str, Council], spec: dict[str, Any]
) -> None:
    for row in spec.get("systems", []):
        add_system(
            incident=incident,
            actor=people[row["added_by"]],
            name=row["name"],
            kind=row["kind"],
            services=row["services"],
            shared_with=[councils[c] for c in row.get("shared_with", [])],
            state=row.get("state", "unavailable"),
            owner=people[row["owner"]] if row.get("owner") else None,
            notes=row.get("notes", ""),
        )
    for row in spec.get("told", []):
        log_notification(
            incident=incident,
            actor=people[row["told_by"]],
            body=row["body"],
            council_told=councils[row["council"]] if row.get("council") else None,
            notified_at=incident.aware_at + timedelta(minutes=row["minutes_after_awareness"]),
            told_by=people[row["told_by"]],
            method=row["method"],
            reference=row.get("reference", ""),
        )
