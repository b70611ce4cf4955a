"""Shared set-up for the reports tests: a PDF kind of the tests' own, and job helpers."""

from __future__ import annotations

from typing import Any

from incident_console.incidents.models import Incident
from incident_console.reports import services
from incident_console.reports.kinds import PdfKind, Variant, register
from incident_console.reports.models import PdfJob

TEST_KIND = register(
    PdfKind(
        name="test-note",
        template="reports/pdf/test_note.html",
        variants={
            "full": Variant(fields=None, access_action="view_sitreps"),
            "partner": Variant(fields=frozenset({"public"}), access_action="view_partner_sitreps"),
        },
    )
)


def note_snapshot(incident: Incident, **fields: Any) -> dict[str, Any]:
    return {
        "document": {
            "marking": incident.classification,
            "exercise": incident.is_exercise,
            "reference": incident.reference,
            "title": "Test note",
        },
        "public": fields.pop("public", "For everyone"),
        "internal": fields.pop("internal", "Inside only"),
        **fields,
    }


def a_job(incident: Incident, variant: str = "full", key: str | None = None, **fields: Any) -> PdfJob:
    return services.request_pdf(
        council=incident.council,
        incident=incident,
        kind=TEST_KIND.name,
        variant=variant,
        key=key or f"test-note:{incident.pk}:{variant}:{fields.get('public', '')}",
        title="Test note",
        snapshot=note_snapshot(incident, **fields),
        requested_by=None,
    )


def finished_job(incident: Incident, variant: str = "full", state: str = "done") -> PdfJob:
    """A job already rendered (a tiny stand-in file), or failed, without running WeasyPrint."""
    from django.core.files.base import ContentFile

    from incident_console.reports.models import JobState

    job = a_job(incident, variant=variant, key=f"finished:{incident.pk}:{variant}:{state}")
    if state == JobState.DONE:
        job.file.save(f"finished-{job.pk}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        job.page_count = 1
    job.state = state
    job.save()
    return job


def a_grab_pack(incident: Incident) -> PdfJob:
    from incident_console.reports.grab_pack import latest, request_grab_pack

    return latest(incident) or request_grab_pack(incident=incident, actor=None)


def bronze_in_social_care(w: Any) -> int:
    """Give council A's bronze a council-level social care role (once), so they may make the
    restricted grab pack. Returns the incident id, for building URLs."""
    from incident_console.accounts.models import Membership, Role

    Membership.objects.get_or_create(user=w.people["bronze"], council=w.a, role=Role.SOCIAL_CARE_ADULTS)
    return int(w.incident_a.pk)


def a_restricted_pack(w: Any) -> PdfJob:
    from incident_console.reports import grab_pack

    bronze_in_social_care(w)
    return grab_pack.request_restricted_grab_pack(incident=w.incident_a, actor=w.people["bronze"])


def rendered(job: PdfJob) -> PdfJob:
    """The job marked done with a tiny stand-in file (once), without running WeasyPrint."""
    from django.core.files.base import ContentFile

    from incident_console.reports.models import JobState

    if job.state != JobState.DONE:
        job.file.save(f"stand-in-{job.pk}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        job.page_count, job.state = 1, JobState.DONE
        job.save()
    return job
