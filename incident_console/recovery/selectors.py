"""Reads for the recovery tracker and the external notifications log."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from incident_console.assessments.clock import Clock, ClockState
from incident_console.assessments.selectors import clocks_for
from incident_console.incidents.models import Incident
from incident_console.lib.choices import Service

from .models import USUAL_BODIES, AffectedSystem, Body, ExternalNotification


def systems_for(incident: Incident) -> QuerySet[AffectedSystem]:
    return (
        AffectedSystem.objects.filter(incident=incident)
        .select_related("owner")
        .prefetch_related("shared_with")
    )


def system_for(incident: Incident, pk: int) -> AffectedSystem | None:
    return systems_for(incident).filter(pk=pk).first()


@dataclass
class ServiceNeeds:
    """One service of one council and the systems it is still without."""

    council: str
    service: str
    waiting: list[AffectedSystem] = field(default_factory=list)
    back: list[AffectedSystem] = field(default_factory=list)


def dependencies(incident: Incident, systems: list[AffectedSystem]) -> list[ServiceNeeds]:
    """Which services (of the incident's council and of the connected councils that depend on a
    system) are still without which systems. Reads only the systems given."""
    labels = dict(Service.choices)
    rows: dict[tuple[str, str], ServiceNeeds] = {}
    # A connected council depends on the system as a whole: which of its services use it is its own
    # business, so it has one row per council.
    shared_label = str(_("Services that use the shared system"))
    for system in systems:
        needs = [(incident.council.name, str(labels.get(s, s))) for s in system.services or ["other"]]
        needs += [(c.name, shared_label) for c in system.shared_with.all() if c.pk != incident.council_id]
        for council, service in needs:
            row = rows.setdefault((council, service), ServiceNeeds(council, service))
            (row.back if system.is_back else row.waiting).append(system)
    return sorted(
        rows.values(),
        key=lambda r: (r.council != incident.council.name, r.council, -len(r.waiting), r.service),
    )


ICO_SETTLED = (ClockState.REPORTED, ClockState.NOT_REPORTABLE)


def notifications_for(incident: Incident) -> QuerySet[ExternalNotification]:
    return ExternalNotification.objects.filter(incident=incident).select_related("told_by", "council_told")


def missing_notifications(
    incident: Incident, logged: list[ExternalNotification] | None = None, clocks: list[Clock] | None = None
) -> list[str]:
    """The usual bodies not yet told, and connected councils the incident is shared with that
    have not been told by the host. The ICO counts as told once the host council's data-loss
    assessment records the report (or the decision that it is not reportable)."""
    entries = logged if logged is not None else list(notifications_for(incident))
    told = {e.body for e in entries}
    host_clocks = clocks if clocks is not None else clocks_for([incident])[incident.pk]
    if any(c.council_id == incident.council_id and c.state in ICO_SETTLED for c in host_clocks):
        told.add(Body.ICO)
    told_councils = {e.council_told_id for e in entries if e.body == Body.CONNECTED_COUNCIL}
    missing = [str(Body(b).label) for b in USUAL_BODIES if b not in told]
    missing += [c.name for c in incident.shared_with.all() if c.pk not in told_councils]
    return missing
