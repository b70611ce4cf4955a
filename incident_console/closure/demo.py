"""Demo: close a finished exercise through the services (which requests its archive export)."""

from __future__ import annotations

from typing import Any

from incident_console.accounts.models import User
from incident_console.incidents.models import Incident, Status
from incident_console.incidents.services import transition_incident


def load_closure_demo(*, incident: Incident, people: dict[str, User], spec: dict[str, Any]) -> None:
    actor = people[spec["closed_by"]]
    for status in (Status.RESPONSE, Status.RECOVERY, Status.CLOSED):
        incident.refresh_from_db()
        if incident.status != status:
            incident = transition_incident(incident=incident, actor=actor, to_status=status)
