from __future__ import annotations

from typing import Any

from incident_console.incidents.models import Incident, Status
from incident_console.incidents.services import transition_incident
from incident_console.lessons.models import Lesson, RecoveryHandover
from incident_console.lessons.services import add_lesson
from tests.conftest import World


def a_lesson(w: World, **fields: Any) -> Lesson:
    existing = Lesson.objects.filter(incident=w.incident_a).first()
    if existing is not None and not fields:
        return existing
    values: dict[str, Any] = {
        "what_happened": "Paper rota worked but nobody held the personal mobile numbers of the EDT",
        "learned": "Keep the EDT's personal mobile numbers in the grab pack",
        "category": "social_care",
    }
    values.update(fields)
    return add_lesson(incident=w.incident_a, actor=w.people["gold"], **values)


def move_to(w: World, incident: Incident, *statuses: str, reason: str = "") -> Incident:
    for status in statuses:
        incident.refresh_from_db()
        incident = transition_incident(
            incident=incident,
            actor=w.people["gold"],
            to_status=status,
            reason=reason if status == Status.RESPONSE and incident.status == Status.RECOVERY else "",
        )
    return incident


def a_recovery_handover(w: World) -> RecoveryHandover:
    """Council A's incident moved from response to recovery, and the handover that made."""
    existing = RecoveryHandover.objects.filter(incident=w.incident_a).order_by("-pk").first()
    if existing is not None:
        return existing
    incident = w.incident_a
    incident.refresh_from_db()
    if incident.status == Status.DECLARED:
        move_to(w, incident, Status.RESPONSE)
    move_to(w, incident, Status.RECOVERY)
    return RecoveryHandover.objects.get(incident=w.incident_a)
