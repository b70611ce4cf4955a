"""The exercise incident's data-loss assessment and the connected council told, from
fixtures/demo.yaml. Everything goes through the services, so the timeline is real."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from incident_console.accounts.models import Council, User
from incident_console.incidents.models import Incident

from .services import create_assessment, record_awareness, submit


def load_assessment_demo(
    *, incident: Incident, people: dict[str, User], councils: dict[str, Council], spec: dict[str, Any]
) -> None:
    for row in spec.get("told", []):
        told_at = incident.aware_at + timedelta(minutes=row["minutes_after_awareness"])
        record_awareness(
            incident=incident,
            council=councils[row["council"]],
            actor=people[row["recorded_by"]],
            told_at=told_at,
        )
    for row in spec.get("assessments", []):
        author = people[row["author"]]
        assessment = create_assessment(
            incident=incident,
            council=councils[row["council"]],
            actor=author,
            title=row["title"],
            content=row["content"],
        )
        if row.get("submit"):
            submit(assessment=assessment, actor=author)
