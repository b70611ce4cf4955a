from __future__ import annotations

from incident_console.lib.time import now
from incident_console.recovery.models import AffectedSystem, ExternalNotification
from incident_console.recovery.services import add_system, log_notification
from tests.conftest import World


def a_system(w: World) -> AffectedSystem:
    existing = AffectedSystem.objects.filter(incident=w.incident_a).first()
    if existing is not None:
        return existing
    return add_system(
        incident=w.incident_a,
        actor=w.people["gold"],
        name="Social care case management",
        kind="case_management",
        services=["adult_social_care", "childrens_social_care"],
    )


def a_notification(w: World) -> ExternalNotification:
    existing = ExternalNotification.objects.filter(incident=w.incident_a).first()
    if existing is not None:
        return existing
    return log_notification(
        incident=w.incident_a,
        actor=w.people["gold"],
        body="ncsc",
        notified_at=now(),
        told_by=w.people["gold"],
        method="phone",
        reference="NCSC-1234",
    )
