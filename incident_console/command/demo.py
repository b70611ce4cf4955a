"""The exercise incident's command structure, decisions, risks and battle rhythm, from
fixtures/demo.yaml. Everything goes through the services, so the timeline is real."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from incident_console.accounts.models import Council, User
from incident_console.incidents.models import Incident
from incident_console.lib.time import now

from .services import add_rhythm_entry, add_risk, assign_role, record_decision


def load_command_demo(
    *,
    incident: Incident,
    actor: User,
    people: dict[str, User],
    councils: dict[str, Council],
    spec: dict[str, Any],
) -> None:
    for row in spec.get("assignments", []):
        assign_role(
            incident=incident,
            actor=actor,
            user=people[row["user"]],
            tier=row["tier"],
            cell=row.get("cell", ""),
            council=councils[row["council"]] if row.get("council") else None,
        )
    for row in spec.get("decisions", []):
        decided_at = now() - timedelta(minutes=row["decided_minutes_ago"])
        record_decision(
            incident=incident,
            actor=people[row["recorded_by"]],
            decision_maker=people[row["maker"]],
            decided_at=decided_at,
            decision=row["decision"],
            rationale=row["rationale"],
            options_considered=row.get("options_considered", ""),
            information=row.get("information", ""),
            risks=row.get("risks", ""),
            review_by=decided_at + timedelta(hours=row["review_hours"]) if row.get("review_hours") else None,
            informed=row.get("informed", ""),
        )
    for row in spec.get("risks", []):
        add_risk(
            incident=incident,
            actor=actor,
            title=row["title"],
            owner=people[row["owner"]] if row.get("owner") else None,
            likelihood=row["likelihood"],
            impact=row["impact"],
            mitigations=row.get("mitigations", ""),
        )
    for row in spec.get("rhythm", []):
        add_rhythm_entry(
            incident=incident,
            actor=actor,
            kind=row["kind"],
            title=row["title"],
            times=row["times"],
            weekdays=row.get("weekdays", []),
        )
