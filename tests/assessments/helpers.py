"""Assessments for tests and the shared harnesses."""

from __future__ import annotations

from typing import Any

from incident_console.assessments import services
from incident_console.assessments.models import Assessment
from incident_console.command.models import Assignment
from incident_console.command.services import assign_role
from tests.conftest import World


def content(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "nature": ["confidentiality", "availability"],
        "systems_affected": "Social care case management servers",
        "data_sets": "Adult social care case records; children's safeguarding records",
        "data_categories": ["social_care", "safeguarding", "contact"],
        "people_categories": ["adults_receiving_care", "children_and_families"],
        "people_affected": 4200,
        "records_affected": 18000,
        "exfiltration": "assumed",
        "likelihood": 4,
        "severity": 5,
        "consequences": "Distress, risk to children if addresses of placements are published.",
        "measures_taken": "Servers isolated; passwords reset.",
        "measures_proposed": "Dark-web monitoring; letters to families.",
    }
    values.update(overrides)
    return values


def command_roles(w: World) -> None:
    """gold holds Gold and bronze holds Silver (IT) on council A's incident."""
    if Assignment.objects.filter(incident=w.incident_a, relinquished_at__isnull=True).exists():
        return
    gold = w.people["gold"]
    assign_role(incident=w.incident_a, actor=gold, user=gold, tier="gold")
    assign_role(incident=w.incident_a, actor=gold, user=w.people["bronze"], tier="silver", cell="it")


def an_assessment(w: World, *, submitted: bool = False, **overrides: Any) -> Assessment:
    """An assessment of council A's incident written by bronze (a Silver holder)."""
    existing = Assessment.objects.filter(incident=w.incident_a).first()
    if existing is not None:
        return existing
    command_roles(w)
    assessment = services.create_assessment(
        incident=w.incident_a,
        council=w.a,
        actor=w.people["bronze"],
        title="Case management servers",
        content=content(**overrides),
    )
    if submitted:
        assessment = services.submit(assessment=assessment, actor=w.people["bronze"])
    return assessment


def submitted_assessment(w: World) -> Assessment:
    assessment = an_assessment(w)
    if assessment.state == "draft":
        assessment = services.submit(assessment=assessment, actor=w.people["bronze"])
    return assessment
