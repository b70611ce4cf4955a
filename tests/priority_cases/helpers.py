"""Building blocks for priority cases tests and the shared harnesses."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from incident_console.command.models import Assignment
from incident_console.command.services import assign_role
from incident_console.lib.time import now
from incident_console.priority_cases.models import PriorityCase
from incident_console.priority_cases.services import add_case
from tests.conftest import World

REFERENCE = "CSC-40112"
WHY = "Child on a child protection plan, family moved address last week"


def gold_holds_gold(w: World) -> None:
    """The incident lead (gold) holds Gold on council A's incident: the sensitivity rule opens the
    priority cases to them."""
    if not Assignment.objects.filter(
        incident=w.incident_a, user=w.people["gold"], tier="gold", relinquished_at__isnull=True
    ).exists():
        gold = w.people["gold"]
        assign_role(incident=w.incident_a, actor=gold, user=gold, tier="gold")


def a_case(w: World, **fields: Any) -> PriorityCase:
    """A children's social care case owned by gold (holding Gold), contact due in two hours."""
    existing = PriorityCase.objects.filter(incident=w.incident_a).order_by("pk").first()
    if existing is not None and not fields:
        return existing
    gold_holds_gold(w)
    values: dict[str, Any] = {
        "reference": REFERENCE,
        "service": "childrens_social_care",
        "why_at_risk": WHY,
        "risk_level": "high",
        "owner": w.people["gold"],
        "next_contact_due": now() + timedelta(hours=2),
    }
    values.update(fields)
    return add_case(incident=w.incident_a, actor=w.people["gold"], **values)


def cases_url(w: World) -> str:
    a_case(w)
    return f"/incidents/{w.incident_a.pk}/priority-cases/"
