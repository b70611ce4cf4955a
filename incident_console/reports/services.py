"""Writes for PDF jobs (used by every app that prints), situation reports and the comms log.

PDF jobs: ``request_pdf`` stores the job row with its snapshot and SHA-256 and queues the render
after commit, guarded against a broker outage; the beat ``sweep`` picks up jobs the broker lost and
renders that stalled. ``render_job`` claims the row with ``select_for_update(skip_locked=True)``,
so a task delivered twice renders once; WeasyPrint runs only there, in the worker.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from incident_console.lib.choices import Classification
from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.lib.time import now
from incident_console.timeline.services import record

from . import kinds
from .models import (
    Audience,
    CommsEntry,
    Distribution,
    JobState,
    PdfJob,
    Sitrep,
    SitrepCounter,
    SitrepStatus,
    canonical_json,
    sha256_of,
)

if TYPE_CHECKING:
    from incident_console.accounts.models import Council, User
    from incident_console.contacts.models import PartnerContact
    from incident_console.incidents.models import Incident

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# Queued jobs younger than this are left to the task queued on commit.
SWEEP_GRACE = timedelta(seconds=20)
SWEEP_BATCH = 100


def lease() -> timedelta:
    """A render that has not finished after this long is taken to have died with its worker
    (PDF_LEASE_SECONDS, five minutes unless set)."""
    return timedelta(seconds=settings.PDF_LEASE_SECONDS)


def _on_commit_queue(job_id: int) -> None:
    from . import tasks

    transaction.on_commit(lambda: tasks.queue_render(job_id))


@transaction.atomic
def request_pdf(
    *,
    council: Council,
    incident: Incident | None,
    kind: str,
    variant: str,
    key: str,
    title: str,
    snapshot: dict[str, Any],
    requested_by: User | None,
) -> PdfJob:
    """Create (or return, for a key already used) the job that renders one PDF from ``snapshot``.

    The snapshot must carry a ``document`` block with ``marking`` (a classification) and
    ``exercise`` (true for exercise incidents); the print CSS puts both on every page.
    """
    spec = kinds.get(kind)
    if variant not in spec.variants:
        raise ValueError(f"PDF kind {kind!r} has no variant {variant!r}.")
    document = snapshot.get(kinds.DOCUMENT_KEY)
    if not isinstance(document, dict) or document.get("marking") not in Classification.values:
        raise ValueError("A PDF snapshot needs a document block with a classification marking.")
    if not isinstance(document.get("exercise"), bool):
        raise ValueError("A PDF snapshot needs a document block saying whether it is an exercise.")
    existing = PdfJob.objects.filter(key=key).first()
    if existing is not None:
        return existing
    stored = json.loads(canonical_json(snapshot))
    job = PdfJob.objects.create(
        council=council,
        incident=incident,
        kind=kind,
        variant=variant,
        key=key,
        title=title[:200],
        snapshot=stored,
        snapshot_sha256=sha256_of(stored),
        requested_by=requested_by,
        created_at=now(),
    )
    _on_commit_queue(job.pk)
    return job


@transaction.atomic
def retry_job(*, job: PdfJob, actor: User | None) -> PdfJob:
    """Put a failed job back in the queue with a fresh set of attempts."""
    locked = PdfJob.objects.select_for_update().get(pk=job.pk)
    if locked.state != JobState.FAILED:
        return locked
    locked.state = JobState.QUEUED
    locked.attempts = 0
    locked.claimed_at = None
    locked.save(update_fields=["state", "attempts", "claimed_at"])
    _on_commit_queue(locked.pk)
    logger.info("PDF job %s queued again by %s", locked.pk, actor.pk if actor else None)
    return locked


def _claim(job_id: int) -> PdfJob | None:
    """Take the job for rendering, or None if it is finished or someone else holds it."""
    with transaction.atomic():
        job = PdfJob.objects.select_for_update(skip_locked=True).filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        at = now()
        if job.state == JobState.RENDERING and job.claimed_at and job.claimed_at > at - lease():
            return None
        job.state = JobState.RENDERING
        job.attempts += 1
        job.claimed_at = at
        job.save(update_fields=["state", "attempts", "claimed_at"])
        return job


def _record_outcome(job: PdfJob) -> None:
    """A finished or failed render of an incident's PDF goes on its timeline (in the caller's
    transaction): who prepared a briefing is recorded, and so is a render that needs a retry."""
    if not job.incident_id:
        return
    what = f"{job.kind} ({job.variant})"
    if job.state == JobState.DONE:
        summary = _("PDF ready: %(what)s, %(pages)s pages") % {"what": what, "pages": job.page_count}
        data: dict[str, Any] = {"job": job.pk, "sha256": job.file_sha256, "pages": job.page_count}
    else:
        summary = _("PDF could not be made: %(what)s. It can be retried.") % {"what": what}
        data = {"job": job.pk, "error": job.error[:200]}
    record(incident=job.incident, kind=f"pdf_{job.state}", actor=None, summary=summary, data=data)  # type: ignore[arg-type]


def _fail(job: PdfJob, error: str) -> None:
    with transaction.atomic():
        locked = PdfJob.objects.select_for_update().get(pk=job.pk)
        if locked.state != JobState.RENDERING or locked.claimed_at != job.claimed_at:
            return
        locked.error = error[:2000]
        locked.claimed_at = None
        if locked.attempts >= MAX_ATTEMPTS:
            locked.state = JobState.FAILED
            locked.finished_at = now()
        else:
            locked.state = JobState.QUEUED
        locked.save(update_fields=["error", "claimed_at", "state", "finished_at"])
        if locked.state == JobState.FAILED:
            _record_outcome(locked)


def render_job(*, job_id: int) -> str:
    """Render one job's PDF from its snapshot. Safe to run twice: the second run finds it done."""
    from . import rendering

    job = _claim(job_id)
    if job is None:
        return "skipped"
    try:
        if sha256_of(job.snapshot) != job.snapshot_sha256:
            raise ValueError("The stored snapshot does not match its SHA-256.")
        pdf, pages = rendering.render_pdf(job)
    except Exception as error:
        logger.exception("PDF job %s failed", job.pk)
        _fail(job, f"{type(error).__name__}: {error}")
        return "failed"
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        locked = PdfJob.objects.select_for_update().get(pk=job.pk)
        if locked.state != JobState.RENDERING or locked.claimed_at != job.claimed_at:
            return "skipped"  # the lease ran out and another worker took it over
        locked.file.save(f"{job.kind}-{job.pk}-{digest[:12]}.pdf", ContentFile(pdf), save=False)
        locked.file_sha256 = digest
        locked.page_count = pages
        locked.state = JobState.DONE
        locked.error = ""
        locked.finished_at = now()
        locked.save(update_fields=["file", "file_sha256", "page_count", "state", "error", "finished_at"])
        _record_outcome(locked)
    return "done"


def sweep() -> list[int]:
    """Jobs to (re)queue: queued ones the broker may have lost, and renders whose lease ran out."""
    at = now()
    with transaction.atomic():
        rows = list(
            PdfJob.objects.select_for_update(skip_locked=True)
            .filter(
                Q(state=JobState.QUEUED, created_at__lt=at - SWEEP_GRACE)
                | Q(state=JobState.QUEUED, error__gt="")
                | Q(state=JobState.RENDERING, claimed_at__lt=at - lease())
            )
            .order_by("created_at")[:SWEEP_BATCH]
        )
        due: list[int] = []
        for job in rows:
            if job.state == JobState.RENDERING:
                job.claimed_at = None
                job.error = job.error or "The render did not finish in time."
                if job.attempts >= MAX_ATTEMPTS:
                    job.state = JobState.FAILED
                    job.finished_at = at
                    job.save(update_fields=["claimed_at", "error", "state", "finished_at"])
                    _record_outcome(job)
                    continue
                job.state = JobState.QUEUED
                job.save(update_fields=["claimed_at", "error", "state"])
            due.append(job.pk)
    return due


# --- Situation reports ---------------------------------------------------------------------------

SITREP_TEXT_FIELDS = (
    "headline",
    "impact",
    "risks_issues",
    "partner_headline",
    "requests_of_partners",
    "amendment_reason",
)


def _check_open(incident: Incident) -> None:
    if not incident.is_open:
        raise ValidationError(_("This incident is closed."))


def _clean_text(values: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    errors: dict[str, str] = {}
    if "headline" in cleaned and not cleaned["headline"]:
        errors["headline"] = _("Enter the headline situation.")
    next_at = cleaned.get("next_sitrep_at")
    if isinstance(next_at, datetime) and next_at <= now():
        errors["next_sitrep_at"] = _("The next sitrep time must be in the future.")
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def draft_sitrep(
    *,
    incident: Incident,
    actor: User,
    headline: str,
    impact: str = "",
    risks_issues: str = "",
    partner_headline: str = "",
    requests_of_partners: str = "",
    next_sitrep_at: datetime | None = None,
    amends: Sitrep | None = None,
    amendment_reason: str = "",
) -> Sitrep:
    """Start a sitrep (or an amendment of an issued one). Numbers are given on issue."""
    _check_open(incident)
    values = _clean_text(
        {
            "headline": headline,
            "impact": impact,
            "risks_issues": risks_issues,
            "partner_headline": partner_headline,
            "requests_of_partners": requests_of_partners,
            "next_sitrep_at": next_sitrep_at,
            "amendment_reason": amendment_reason,
        }
    )
    if amends is not None:
        if amends.incident_id != incident.pk or amends.status != SitrepStatus.ISSUED or amends.amendment:
            raise ValidationError({"amends": _("Choose an issued sitrep of this incident to amend.")})
        if not values["amendment_reason"]:
            raise ValidationError({"amendment_reason": _("Say what the amendment changes and why.")})
    sitrep = Sitrep.objects.create(
        incident=incident,
        council=incident.council,
        amends=amends,
        prepared_by=actor,
        created_at=now(),
        **values,
    )
    record(
        incident=incident,
        kind="sitrep_drafted",
        actor=actor,
        summary=(
            _("Amendment to %(sitrep)s drafted") % {"sitrep": amends.label} if amends else _("Sitrep drafted")
        ),
        data={"sitrep": sitrep.pk, "amends": amends.pk if amends else None},
    )
    return sitrep


@transaction.atomic
def update_sitrep(
    *,
    sitrep: Sitrep,
    actor: User,
    expected_version: int | None,
    headline: str,
    impact: str,
    risks_issues: str,
    partner_headline: str,
    requests_of_partners: str,
    next_sitrep_at: datetime | None,
    amendment_reason: str = "",
) -> Sitrep:
    """Edit a draft. Editing an approved draft sends it back for approval; issued ones are amended."""
    locked = Sitrep.objects.select_for_update().select_related("incident").get(pk=sitrep.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError(current_version=locked.version)
    _check_open(locked.incident)
    if locked.status == SitrepStatus.ISSUED:
        raise ValidationError(_("An issued sitrep cannot be changed. Draft an amendment instead."))
    values = _clean_text(
        {
            "headline": headline,
            "impact": impact,
            "risks_issues": risks_issues,
            "partner_headline": partner_headline,
            "requests_of_partners": requests_of_partners,
            "next_sitrep_at": next_sitrep_at,
            "amendment_reason": amendment_reason,
        }
    )
    if locked.amends_id and not values["amendment_reason"]:
        raise ValidationError({"amendment_reason": _("Say what the amendment changes and why.")})
    for key, value in values.items():
        setattr(locked, key, value)
    was_approved = locked.status == SitrepStatus.APPROVED
    locked.status = SitrepStatus.DRAFT
    locked.approved_by = None
    locked.approved_at = None
    locked.version += 1
    locked.save()
    record(
        incident=locked.incident,
        kind="sitrep_updated",
        actor=actor,
        summary=(
            _("Approved sitrep draft changed; it needs approval again")
            if was_approved
            else _("Sitrep draft changed")
        ),
        data={"sitrep": locked.pk, "version": locked.version},
    )
    return locked


@transaction.atomic
def approve_sitrep(*, sitrep: Sitrep, actor: User, expected_version: int | None = None) -> Sitrep:
    """Gold (or their deputy, or the incident lead) approves a draft, partner-facing text included."""
    locked = Sitrep.objects.select_for_update().select_related("incident").get(pk=sitrep.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError(current_version=locked.version)
    _check_open(locked.incident)
    if locked.status != SitrepStatus.DRAFT:
        raise ValidationError(_("Only a draft can be approved."))
    locked.status = SitrepStatus.APPROVED
    locked.approved_by = actor
    locked.approved_at = now()
    locked.version += 1
    locked.save()
    record(
        incident=locked.incident,
        kind="sitrep_approved",
        actor=actor,
        summary=_("Sitrep draft approved by %(name)s") % {"name": actor.display_name},
        data={"sitrep": locked.pk, "version": locked.version},
    )
    return locked


def _allocate_number(sitrep: Sitrep) -> tuple[int, int]:
    """The next number (SITREP n) or amendment (n.m), under a row lock so two issues never clash."""
    if sitrep.amends_id:
        parent = Sitrep.objects.select_for_update().get(pk=sitrep.amends_id)
        assert parent.number is not None
        last = (
            Sitrep.objects.filter(incident_id=sitrep.incident_id, number=parent.number)
            .order_by("-amendment")
            .values_list("amendment", flat=True)
            .first()
        )
        return parent.number, (last or 0) + 1
    SitrepCounter.objects.get_or_create(incident_id=sitrep.incident_id)
    counter = SitrepCounter.objects.select_for_update().get(incident_id=sitrep.incident_id)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number, 0


@transaction.atomic
def issue_sitrep(*, sitrep: Sitrep, actor: User, expected_version: int | None = None) -> Sitrep:
    """Number the sitrep, freeze its snapshot with a SHA-256, and queue both PDF variants."""
    from . import snapshot as snapshots

    locked = (
        Sitrep.objects.select_for_update(of=("self",)).select_related("incident", "amends").get(pk=sitrep.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError(current_version=locked.version)
    _check_open(locked.incident)
    if locked.status != SitrepStatus.APPROVED:
        raise ValidationError(_("A sitrep must be approved by Gold before it is issued."))
    locked.number, locked.amendment = _allocate_number(locked)
    issued_at = now()
    locked.period_start = snapshots.period_start_for(locked)
    locked.issued_at = issued_at
    locked.issued_by = actor
    data = json.loads(canonical_json(snapshots.build(locked, issued_at=issued_at)))
    locked.snapshot = data
    locked.snapshot_sha256 = sha256_of(data)
    locked.status = SitrepStatus.ISSUED
    locked.version += 1
    for variant in ("full", "partner"):
        job = request_pdf(
            council=locked.council,
            incident=locked.incident,
            kind="sitrep",
            variant=variant,
            key=f"sitrep:{locked.pk}:{variant}",
            title=f"{locked.incident.reference} {locked.label} {variant}",
            snapshot=data,
            requested_by=actor,
        )
        setattr(locked, f"{variant}_pdf", job)
    locked.save()
    record(
        incident=locked.incident,
        kind="sitrep_issued",
        actor=actor,
        summary=_("%(sitrep)s issued") % {"sitrep": locked.label},
        data={"sitrep": locked.pk, "number": locked.number_label, "sha256": locked.snapshot_sha256},
    )
    return locked


# --- Distribution and the communications log ------------------------------------------------------


@transaction.atomic
def record_distribution(
    *,
    sitrep: Sitrep,
    actor: User,
    variant: str,
    sent_at: datetime,
    organisation: str = "",
    recipient: str = "",
    contact: PartnerContact | None = None,
) -> Distribution:
    """Record that one variant of an issued sitrep went to a partner contact (a SPOC from the
    council's contacts) or to a named organisation and person."""
    errors: dict[str, str] = {}
    if sitrep.status != SitrepStatus.ISSUED:
        raise ValidationError(_("Only an issued sitrep can be sent to partners."))
    if contact is not None:
        if contact.council_id != sitrep.council_id:
            raise ValidationError({"contact": _("Choose a contact of this council.")})
        organisation = organisation.strip() or contact.organisation
        recipient = recipient.strip() or f"{contact.name}, {contact.role}"
    if not organisation.strip():
        errors["organisation"] = _("Enter the organisation.")
    if not recipient.strip():
        errors["recipient"] = _("Enter who received it.")
    if variant not in {"partner", "full"}:
        errors["variant"] = _("Choose the partner briefing or the full sitrep.")
    if sent_at > now() + timedelta(minutes=5):
        errors["sent_at"] = _("The time it was sent must be now or in the past.")
    if errors:
        raise ValidationError(errors)
    row = Distribution.objects.create(
        sitrep=sitrep,
        contact=contact,
        organisation=organisation.strip(),
        recipient=recipient.strip(),
        variant=variant,
        sent_at=sent_at,
        recorded_by=actor,
        recorded_at=now(),
    )
    record(
        incident=sitrep.incident,
        kind="sitrep_distributed",
        actor=actor,
        summary=_("%(sitrep)s sent to %(organisation)s")
        % {"sitrep": sitrep.label, "organisation": row.organisation[:150]},
        data={"sitrep": sitrep.pk, "distribution": row.pk, "variant": variant},
    )
    return row


@transaction.atomic
def record_comms(
    *,
    incident: Incident,
    actor: User,
    audience: str,
    channel: str,
    content: str,
    approved_by: str,
    sent_at: datetime,
) -> CommsEntry:
    _check_open(incident)
    errors: dict[str, str] = {}
    if audience not in Audience.values:
        errors["audience"] = _("Choose who the communication was for.")
    for field, value, message in (
        ("channel", channel, _("Enter the channel.")),
        ("content", content, _("Enter what was said.")),
        ("approved_by", approved_by, _("Enter who approved it.")),
    ):
        if not value.strip():
            errors[field] = message
    if sent_at > now() + timedelta(minutes=5):
        errors["sent_at"] = _("The time it was sent must be now or in the past.")
    if errors:
        raise ValidationError(errors)
    entry = CommsEntry.objects.create(
        incident=incident,
        audience=audience,
        channel=channel.strip(),
        content=content.strip(),
        approved_by=approved_by.strip(),
        sent_at=sent_at,
        recorded_by=actor,
        recorded_at=now(),
    )
    record(
        incident=incident,
        kind="comms_recorded",
        actor=actor,
        summary=_("%(audience)s recorded (%(channel)s)")
        % {"audience": entry.get_audience_display(), "channel": entry.channel[:100]},
        data={"comms": entry.pk, "audience": audience},
    )
    return entry
