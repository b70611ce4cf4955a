"""The exercise incident's priority cases, from fixtures/demo.yaml (through the services)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from incident_console.accounts.models import User
from incident_console.incidents.models import Incident
from incident_console.lib.time import now

from .models import PriorityCase
from .services import add_case, record_contact


def load_priority_cases_demo(
    *, incident: Incident, people: dict[str, User], spec: list[dict[str, Any]]
) -> None:
    for row in spec:
        case = add_case(
            incident=incident,
            actor=people[row.get("added_by", row["owner"])],
            reference=row["reference"],
            service=row["service"],
            why_at_risk=row["why_at_risk"],
            risk_level=row.get("risk_level", ""),
            owner=people[row["owner"]],
            next_contact_due=now() + timedelta(minutes=row["next_contact_in_minutes"]),
            notes=row.get("notes", ""),
        )
        contact = row.get("contacted")
        if contact:
            case = PriorityCase.objects.get(pk=case.pk)
            record_contact(
                case=case,
                actor=people[contact["by"]],
                contacted_at=now() - timedelta(minutes=contact["minutes_ago"]),
                contacted_by=people[contact["by"]],
                result=contact["result"],
                outcome=contact["outcome"],
                next_contact_due=now() + timedelta(minutes=contact["next_contact_in_minutes"]),
            )
