"""The exercise incident's partner SPOCs and communications log, from fixtures/demo.yaml (through
the services)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from incident_console.accounts.models import User
from incident_console.incidents.models import Incident
from incident_console.lib.time import now

from .services import record_comms


def load_reports_demo(*, incident: Incident, people: dict[str, User], spec: dict[str, Any]) -> None:
    from incident_console.contacts.services import add_contact

    admin = people["admin"]
    for row in spec.get("contacts", []):
        add_contact(council=incident.council, actor=admin, **row)
    for row in spec.get("comms", []):
        record_comms(
            incident=incident,
            actor=people[row["recorded_by"]],
            audience=row["audience"],
            channel=row["channel"],
            content=row["content"],
            approved_by=row["approved_by"],
            sent_at=now() - timedelta(minutes=row["sent_minutes_ago"]),
        )
