"""Reads for the recovery tracker and the external notifications log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from incident_console.assessments.access import visible_q
from incident_console.assessments.clock import Clock, ClockState
from incident_console.assessments.models import Assessment, AssessmentVersion, ReportDecision
from incident_console.assessments.selectors import clocks_for
from incident_console.incidents.models import Incident
from incident_console.lib.choices import Service

from .models import USUAL_BODIES, AffectedSystem, Body, ExternalNotification

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from incident_console.accounts.models import User


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
    return ExternalNotification.objects.filter(incident=incident).select_related(
        "told_by", "council_told", "decided_by"
    )


def unreported_assessments(user: User | AnonymousUser, incident: Incident) -> QuerySet[Assessment]:
    """The incident's data-loss assessments this person may see whose current version records no
    ICO report yet: the ones a report to the ICO in the log can be linked to."""
    return (
        Assessment.objects.filter(incident=incident, current__ico_reported_at__isnull=True)
        .filter(visible_q(user, incident))
        .distinct()
        .select_related("council", "current")
        .order_by("created_at", "pk")
    )


def awaiting_ico_report(user: User | AnonymousUser, incident: Incident) -> list[Assessment]:
    """Of those, the host council's assessments where the SIRO has decided to report to the ICO
    and the report is not yet recorded."""
    return list(
        unreported_assessments(user, incident).filter(
            council_id=incident.council_id, current__report_decision=ReportDecision.REPORT
        )
    )


@dataclass(frozen=True)
class LogRow:
    """One line of the external notifications log: a logged notification, or an ICO report that
    was recorded only on a data-loss assessment."""

    who: str
    notified_at: datetime
    told_by: str
    method: str
    reference: str
    notes: str
    assessment_url: str = ""  # empty when this person may not open the assessment
    on_assessment: bool = False
    not_needed: bool = False  # decided not to tell: notified_at is when, told_by who decided
    reason: str = ""


def _row(entry: ExternalNotification, assessment_url: str) -> LogRow:
    if entry.not_needed:
        assert entry.decided_at is not None and entry.decided_by is not None
        return LogRow(
            who=entry.who,
            notified_at=entry.decided_at,
            told_by=entry.decided_by.display_name,
            method=str(_("Not needed")),
            reference="",
            notes=entry.notes,
            not_needed=True,
            reason=entry.reason,
        )
    assert entry.notified_at is not None and entry.told_by is not None
    return LogRow(
        who=entry.who,
        notified_at=entry.notified_at,
        told_by=entry.told_by.display_name,
        method=str(entry.get_method_display()),
        reference=entry.reference,
        notes=entry.notes,
        assessment_url=assessment_url,
    )


def log_rows(
    user: User | AnonymousUser, incident: Incident, logged: list[ExternalNotification]
) -> list[LogRow]:
    """The log as shown: every logged notification, plus each ICO report recorded on an
    assessment that no logged notification is linked to, newest first. The ICO case reference of
    a report recorded only on an assessment stays with the assessment, which few may see."""
    mine = Assessment.objects.filter(incident=incident).filter(visible_q(user, incident))
    visible = set(mine.values_list("pk", flat=True))

    def url(assessment_id: int | None) -> str:
        if assessment_id is None or assessment_id not in visible:
            return ""
        return reverse("assessments:detail", args=[assessment_id])

    rows = [_row(entry, url(entry.assessment_id)) for entry in logged]
    linked = {e.assessment_id for e in logged if e.assessment_id}
    reported = list(
        AssessmentVersion.objects.filter(
            assessment__incident=incident, assessment__current_id=F("pk"), ico_reported_at__isnull=False
        )
        .exclude(assessment_id__in=linked)
        .select_related("assessment__council")
    )
    recorders: dict[int, str] = {}
    for version in (
        AssessmentVersion.objects.filter(
            assessment_id__in=[v.assessment_id for v in reported], ico_reported_at__isnull=False
        )
        .select_related("author")
        .order_by("-number")
    ):
        recorders[version.assessment_id] = version.author.display_name  # the earliest wins
    ico = str(Body.ICO.label)
    for version in reported:
        assert version.ico_reported_at is not None
        rows.append(
            LogRow(
                who=f"{ico}: {version.assessment.council.name}",
                notified_at=version.ico_reported_at,
                told_by=recorders.get(version.assessment_id, ""),
                method=str(_("Recorded on the data-loss assessment")),
                reference="",
                notes="",
                assessment_url=url(version.assessment_id),
                on_assessment=True,
            )
        )
    return sorted(rows, key=lambda r: r.notified_at, reverse=True)


def missing_notifications(
    incident: Incident, logged: list[ExternalNotification] | None = None, clocks: list[Clock] | None = None
) -> list[str]:
    """The usual bodies not yet told, and connected councils the incident is shared with that
    have not been told by the host. A usual body recorded as not needing telling counts as
    covered. The ICO counts as told once the host council's data-loss assessment records the
    report (or the decision that it is not reportable)."""
    entries = logged if logged is not None else list(notifications_for(incident))
    told = {e.body for e in entries}  # told, or recorded as not needed
    host_clocks = clocks if clocks is not None else clocks_for([incident])[incident.pk]
    if any(c.council_id == incident.council_id and c.state in ICO_SETTLED for c in host_clocks):
        told.add(Body.ICO)
    told_councils = {
        e.council_told_id for e in entries if e.body == Body.CONNECTED_COUNCIL and not e.not_needed
    }
    missing = [str(Body(b).label) for b in USUAL_BODIES if b not in told]
    missing += [c.name for c in incident.shared_with.all() if c.pk not in told_councils]
    return missing
