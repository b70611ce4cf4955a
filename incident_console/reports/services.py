"""Writes for PDF jobs (used by every app that prints) and for situation reports.

PDF jobs: ``request_pdf`` stores the job row with its snapshot and SHA-256 and queues the render
after commit, guarded against a broker outage; the beat ``sweep`` picks up jobs the broker lost and
renders that stalled. ``render_job`` claims the row with ``select_for_update(skip_locked=True)``,
so a task delivered twice renders once; WeasyPrint runs only there, in the worker.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q

from incident_console.lib.choices import Classification
from incident_console.lib.time import now

from . import kinds
from .models import JobState, PdfJob, canonical_json, sha256_of

if TYPE_CHECKING:
    from incident_console.accounts.models import Council, User
    from incident_console.incidents.models import Incident

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# A render that has not finished after this long is taken to have died with its worker.
LEASE = timedelta(minutes=5)
# Queued jobs younger than this are left to the task queued on commit.
SWEEP_GRACE = timedelta(seconds=20)
SWEEP_BATCH = 100


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
        if job.state == JobState.RENDERING and job.claimed_at and job.claimed_at > at - LEASE:
            return None
        job.state = JobState.RENDERING
        job.attempts += 1
        job.claimed_at = at
        job.save(update_fields=["state", "attempts", "claimed_at"])
        return job


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
                | Q(state=JobState.RENDERING, claimed_at__lt=at - LEASE)
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
                    continue
                job.state = JobState.QUEUED
                job.save(update_fields=["claimed_at", "error", "state"])
            due.append(job.pk)
    return due
