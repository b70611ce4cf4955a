"""The ICO notification draft as a PDF kind of the shared PDF jobs (`reports/`).

The snapshot holds every Article 33 element from the assessment's current version; the worker
renders `assessments/pdf/ico_draft.html` from the snapshot alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from incident_console.incidents import access as incident_access
from incident_console.lib.time import now
from incident_console.reports.kinds import PdfKind, Variant, register
from incident_console.reports.models import PdfJob, sha256_of
from incident_console.reports.services import request_pdf
from incident_console.timeline.services import record

from .models import Assessment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from incident_console.accounts.models import User

KIND = "ico-draft"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def may_download(user: User | AnonymousUser, job: PdfJob) -> bool:
    """Only those who may see the assessment itself."""
    assessment = (
        Assessment.objects.select_related("incident").filter(pk=job.snapshot.get("assessment_id")).first()
    )
    return assessment is not None and incident_access.can(user, "view_assessment", assessment)


def register_kind() -> None:
    register(
        PdfKind(
            name=KIND,
            template="assessments/pdf/ico_draft.html",
            variants={"full": Variant(fields=None, may_download=may_download)},
        )
    )


def snapshot(assessment: Assessment) -> dict[str, Any]:
    from .selectors import clocks, dpo_contacts

    incident = assessment.incident
    v = assessment.current
    assert v is not None
    clock = next((c for c in clocks(incident) if c.council_id == assessment.council_id), None)
    return {
        "document": {
            "marking": incident.classification,
            "exercise": incident.is_exercise,
            "reference": incident.reference,
            "title": str(_("Personal data breach: notification to the ICO (draft)")),
            "subtitle": assessment.council.name,
        },
        "assessment_id": assessment.pk,
        "version": v.number,
        "version_sha256": v.content_hash(),
        "council": assessment.council.name,
        "assessment_title": assessment.title,
        "state": str(assessment.get_state_display()),
        "nature": v.nature_display(),
        "systems_affected": v.systems_affected,
        "data_sets": v.data_sets,
        "exfiltration": str(v.get_exfiltration_display()),
        "aware_at": _iso(clock.aware_at if clock else None),
        "deadline": _iso(clock.deadline if clock else None),
        "people_categories": v.people_categories_display(),
        "people_affected": v.people_affected,
        "data_categories": v.data_categories_display(),
        "records_affected": v.records_affected,
        "dpos": [
            {
                "name": p.display_name,
                "name_line": ", ".join(x for x in (p.display_name, p.job_title) if x),
                "job_title": p.job_title,
                "phone": p.mobile_phone,
                "email": p.email,
                "personal_email": p.personal_email,
            }
            for p in dpo_contacts(assessment.council_id)
        ],
        "consequences": v.consequences,
        "likelihood": v.likelihood,
        "severity": v.severity,
        "measures_taken": v.measures_taken,
        "measures_proposed": v.measures_proposed,
        "tell_people": str(v.get_tell_people_display()),
        "tell_people_exception": str(v.get_tell_people_exception_display())
        if v.tell_people_exception
        else "",
        "ico_reported_at": _iso(v.ico_reported_at),
        "ico_reference": v.ico_reference,
        "late_reason": v.late_reason,
        "sign_offs": [
            {
                "role": str(s.get_role_display()),
                "outcome": str(s.get_outcome_display()),
                "person": s.person.display_name,
                "at": _iso(s.signed_at),
            }
            for s in v.sign_offs.select_related("person").order_by("signed_at", "pk")
        ],
    }


@transaction.atomic
def request_ico_draft(*, assessment: Assessment, actor: User) -> PdfJob:
    """Queue the PDF of the current version; the same content asks for the same job."""
    data = snapshot(assessment)
    key = f"{KIND}:{assessment.pk}:{data['version']}:{sha256_of(data)[:16]}"
    existing = PdfJob.objects.filter(key=key).first()
    if existing is not None:
        return existing
    job = request_pdf(
        council=assessment.council,
        incident=assessment.incident,
        kind=KIND,
        variant="full",
        key=key,
        title=f"{assessment.incident.reference} ICO notification draft v{data['version']}",
        snapshot=data,
        requested_by=actor,
    )
    record(
        incident=assessment.incident,
        kind="ico_draft_requested",
        actor=actor,
        summary=_("Data-loss assessment %(id)s: ICO notification draft PDF requested (version %(n)s)")
        % {"id": assessment.pk, "n": data["version"]},
        data={"assessment": assessment.pk, "version": data["version"], "job": job.pk, "at": now()},
    )
    return job


def latest_job(assessment: Assessment) -> PdfJob | None:
    return (
        PdfJob.objects.filter(kind=KIND, key__startswith=f"{KIND}:{assessment.pk}:").order_by("-pk").first()
    )
