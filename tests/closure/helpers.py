"""An exercise with something in every archive section, closed."""

from __future__ import annotations

from incident_console.assessments import services as assessment_services
from incident_console.closure.models import ArchiveJob
from incident_console.incidents.models import Incident
from incident_console.incidents.services import transition_incident
from incident_console.reports import services as report_services
from tests.assessments.helpers import submitted_assessment
from tests.command.helpers import a_decision
from tests.conftest import World
from tests.reports.sitrep_helpers import an_issued


def an_eventful_exercise(w: World) -> Incident:
    """Council A's exercise with a decision, an issued sitrep and its PDFs, a signed assessment."""
    a_decision(w)
    sitrep = an_issued(w)
    for job in (sitrep.full_pdf, sitrep.partner_pdf):
        assert job is not None
        report_services.render_job(job_id=job.pk)
    assessment = submitted_assessment(w)
    assessment_services.sign_off(
        assessment=assessment, actor=w.people["dpo"], role="dpo", statement="I advise reporting."
    )
    return w.incident_a


def close(w: World, incident: Incident) -> Incident:
    for status in ("response", "recovery", "closed"):
        incident.refresh_from_db()
        if incident.status != status:
            incident = transition_incident(incident=incident, actor=w.people["admin"], to_status=status)
    return incident


def latest_archive(incident: Incident) -> ArchiveJob:
    return ArchiveJob.objects.filter(incident=incident).order_by("-pk").first()  # type: ignore[return-value]


def closed_exercise(w: World) -> Incident:
    """Council A's exercise, closed (which requests its first archive)."""
    return close(w, w.incident_a)


def built_archive(w: World, state: str = "done") -> ArchiveJob:
    """An archive of council A's closed exercise: built, or failed, or still queued."""
    from incident_console.closure import services

    incident = closed_exercise(w)
    job = latest_archive(incident)
    if state == "done" and job.state != "done":
        services.build_job(job_id=job.pk)
    elif state == "failed":
        ArchiveJob.objects.filter(pk=job.pk).update(state="failed", error="Disk full", attempts=3)
    job.refresh_from_db()
    return job
