"""Writes for closure: archive exports, exercise resets and purges.

Archives: ``request_archive`` stores an ``ArchiveJob`` row and queues the build after commit,
guarded against a broker outage; the beat ``sweep`` picks up jobs the broker lost and builds that
stalled. ``build_job`` claims the row with ``select_for_update(skip_locked=True)`` (a task
delivered twice builds once) and writes the ZIP to ARCHIVE_STORAGE_DIR.

Purges: the one place where the append-only guard on the timeline and the decision log is lifted,
for the length of the purge transaction only (PostgreSQL: ``SET LOCAL console.purge = 'on'``,
which the trigger functions check; SQLite: a ``PurgeUnlock`` row the triggers look for). Rows are
found by walking every relation down from the incident, and removed with raw deletes; the foreign
keys are checked when the transaction commits. A ``PurgeRecord`` survives with the counts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from incident_console.incidents.models import Incident, Invitation, Participation, Status
from incident_console.lib.choices import Stage
from incident_console.lib.errors import ValidationError
from incident_console.lib.time import now
from incident_console.reports.models import JobState
from incident_console.timeline.services import record

from . import archive
from .models import ArchiveJob, PurgeKind, PurgeRecord, PurgeUnlock

if TYPE_CHECKING:
    from incident_console.accounts.models import Council, User

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
LEASE = timedelta(minutes=10)
SWEEP_GRACE = timedelta(seconds=20)
SWEEP_BATCH = 20


def _on_commit_queue(job_id: int) -> None:
    from . import tasks

    transaction.on_commit(lambda: tasks.queue_build(job_id))


@transaction.atomic
def request_archive(*, incident: Incident, actor: User | None) -> ArchiveJob:
    """Ask for an archive export of a closed incident. Each request makes a new archive."""
    if incident.status != Status.CLOSED:
        raise ValidationError(_("An archive can only be made of a closed incident."))
    job = ArchiveJob.objects.create(
        council_id=incident.council_id, incident=incident, requested_by=actor, created_at=now()
    )
    record(
        incident=incident,
        kind="archive_requested",
        actor=actor,
        summary=_("Archive export %(number)s requested") % {"number": job.pk},
        data={"archive": job.pk},
    )
    _on_commit_queue(job.pk)
    return job


@transaction.atomic
def retry_archive(*, job: ArchiveJob, actor: User | None) -> ArchiveJob:
    """Put a failed archive back in the queue with a fresh set of attempts."""
    locked = ArchiveJob.objects.select_for_update().get(pk=job.pk)
    if locked.state != JobState.FAILED:
        return locked
    locked.state = JobState.QUEUED
    locked.attempts = 0
    locked.claimed_at = None
    locked.save(update_fields=["state", "attempts", "claimed_at"])
    record(
        incident=job.incident,
        kind="archive_retried",
        actor=actor,
        summary=_("Archive export %(number)s retried") % {"number": locked.pk},
        data={"archive": locked.pk},
    )
    _on_commit_queue(locked.pk)
    return locked


@transaction.atomic
def record_archive_download(*, job: ArchiveJob, actor: User, via: str) -> int:
    """Log one download of an archive ZIP, before it is sent.

    The incident's timeline says who downloaded which archive (no case content). The priority
    cases' access log, which the DPO and Caldicott guardian read, gets a row for each case the ZIP
    holds, as for the restricted grab pack. The ZIP holds no vulnerable-family contacts, so their
    access log has nothing to record. Raises FileNotFoundError, and logs nothing, if the ZIP is
    not in storage. Returns how many cases were logged.
    """
    from incident_console.priority_cases.models import PriorityCase, PriorityCaseAccess
    from incident_console.priority_cases.services import record_access

    with job.file.storage.open(str(job.file.name), "rb") as handle:
        case_ids = archive.priority_case_ids(handle)
    cases = list(PriorityCase.objects.filter(incident_id=job.incident_id, pk__in=case_ids).order_by("pk"))
    what = _("Archive export %(number)s downloaded") % {"number": job.pk}
    if cases:
        log_via = PriorityCaseAccess.Via.API if via == "api" else PriorityCaseAccess.Via.EXPORT
        record_access(incident=job.incident, cases=cases, actor=actor, via=log_via, what=what)
    record(
        incident=job.incident,
        kind="archive_downloaded",
        actor=actor,
        summary=what,
        data={
            "archive": job.pk,
            "via": via,
            "manifest_sha256": job.manifest_sha256,
            "priority_cases": len(cases),
        },
    )
    return len(cases)


def _claim(job_id: int) -> ArchiveJob | None:
    with transaction.atomic():
        job = ArchiveJob.objects.select_for_update(skip_locked=True).filter(pk=job_id).first()
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


def _gone(job: ArchiveJob) -> str:
    logger.info("Archive job %s ended: its incident was purged while the archive was being built", job.pk)
    return "gone"


def _fail(job: ArchiveJob, error: str) -> None:
    with transaction.atomic():
        locked = ArchiveJob.objects.select_for_update().filter(pk=job.pk).first()
        if locked is None:
            _gone(job)
            return
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


def build_job(*, job_id: int) -> str:
    """Build one archive ZIP. Safe to run twice: the second run finds it done. If the incident is
    purged while its archive is being built, the job row goes with it: the build ends quietly
    ("gone"), with a line in the log."""
    import hashlib

    job = _claim(job_id)
    if job is None:
        return "skipped"
    try:
        incident = Incident.objects.select_related("council").get(pk=job.incident_id)
        built = archive.build(incident)
    except Exception as error:
        if not ArchiveJob.objects.filter(pk=job.pk).exists():
            return _gone(job)
        # The full text stays in the worker log and on the job row; the API and pages show a
        # plain message instead (see ArchiveSerializer.get_error).
        logger.exception("Archive job %s failed", job.pk)
        _fail(job, f"{type(error).__name__}: {error}")
        return "failed"
    digest = hashlib.sha256(built.content).hexdigest()
    with transaction.atomic():
        locked = ArchiveJob.objects.select_for_update().filter(pk=job.pk).first()
        if locked is None:
            return _gone(job)
        if locked.state != JobState.RENDERING or locked.claimed_at != job.claimed_at:
            return "skipped"
        locked.file.save(
            f"{incident.reference}-{job.pk}-{digest[:12]}.zip", ContentFile(built.content), save=False
        )
        locked.file_sha256 = digest
        locked.manifest_sha256 = built.manifest_sha256
        locked.file_count = len(built.manifest["files"]) + 1
        locked.size = len(built.content)
        locked.state = JobState.DONE
        locked.error = ""
        locked.finished_at = now()
        locked.save(
            update_fields=[
                "file",
                "file_sha256",
                "manifest_sha256",
                "file_count",
                "size",
                "state",
                "error",
                "finished_at",
            ]
        )
    return "done"


def sweep() -> list[int]:
    """Archive jobs to (re)queue: queued ones the broker may have lost, and stalled builds."""
    at = now()
    with transaction.atomic():
        rows = list(
            ArchiveJob.objects.select_for_update(skip_locked=True)
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
                job.error = job.error or "The build did not finish in time."
                if job.attempts >= MAX_ATTEMPTS:
                    job.state = JobState.FAILED
                    job.finished_at = at
                    job.save(update_fields=["claimed_at", "error", "state", "finished_at"])
                    continue
                job.state = JobState.QUEUED
                job.save(update_fields=["claimed_at", "error", "state"])
            due.append(job.pk)
    return due


# --- Purge and reset -----------------------------------------------------------------------------


def purge_refusal(incident: Incident) -> str | None:
    """Why this incident may not be purged now, or None if it may."""
    if incident.is_exercise:
        return None
    if incident.status != Status.CLOSED or incident.retain_until is None:
        return str(
            _("A real incident can only be purged after it has closed and its retention period has passed.")
        )
    if incident.retain_until > now():
        from incident_console.lib.time import london

        return str(
            _("%(reference)s is a real incident kept until %(date)s. It cannot be purged before then.")
            % {"reference": incident.reference, "date": f"{london(incident.retain_until):%-d %B %Y}"}
        )
    return None


@contextmanager
def _append_only_lifted() -> Iterator[None]:
    """Let the append-only triggers allow deletes, inside the current transaction only."""
    vendor = connection.vendor
    unlock: PurgeUnlock | None = None
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL console.purge = 'on'")
    elif vendor == "sqlite":
        unlock = PurgeUnlock.objects.create()
    try:
        yield
    finally:
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL console.purge = 'off'")
        elif unlock is not None:
            PurgeUnlock.objects.filter(pk=unlock.pk).delete()


def _collect(incident: Incident, keep: set[type[models.Model]]) -> dict[type[models.Model], set[Any]]:
    """Every row that belongs to the incident: rows pointing at it, rows pointing at those, ..."""
    found: dict[type[models.Model], set[Any]] = {Incident: {incident.pk}}
    frontier: dict[type[models.Model], set[Any]] = {Incident: {incident.pk}}
    while frontier:
        following: dict[type[models.Model], set[Any]] = {}
        for model, pks in frontier.items():
            for rel in model._meta.get_fields(include_hidden=True):
                if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
                    continue
                related = rel.related_model
                if related is None or related in keep or isinstance(related, str):
                    continue
                field = rel.field  # type: ignore[union-attr]
                rows = set(
                    related._base_manager.filter(**{f"{field.name}__in": pks}).values_list("pk", flat=True)
                )
                new = rows - found.get(related, set())
                if new:
                    found.setdefault(related, set()).update(new)
                    following.setdefault(related, set()).update(new)
        frontier = following
    return found


def _remove(found: dict[type[models.Model], set[Any]]) -> tuple[dict[str, int], list[str]]:
    """Raw-delete the rows found; return the counts per model and the stored files to remove."""
    files: list[str] = []
    for model, pks in found.items():
        # Every stored file of every row removed: PDFs, archive ZIPs, uploaded scans.
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and pks:
                for stored in model._base_manager.filter(pk__in=pks).exclude(**{field.name: ""}):
                    value = getattr(stored, field.name)
                    files.append(value.storage.path(value.name))
    counts: dict[str, int] = {}
    for model, pks in reversed(list(found.items())):
        if not pks:
            continue
        deleted = model._base_manager.filter(pk__in=pks)._raw_delete(using=connection.alias)
        counts[model._meta.label] = int(deleted or len(pks))
    return dict(sorted(counts.items())), files


def _remove_files_after_commit(paths: list[str]) -> None:
    import os

    def remove() -> None:
        for path in paths:
            with suppress(FileNotFoundError):
                os.remove(path)

    transaction.on_commit(remove)


def _check_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why.")})
    return reason


@transaction.atomic
def purge_incident(*, incident: Incident, actor: User, reason: str) -> PurgeRecord:
    """Remove an exercise, or a real incident whose retention period has passed, with everything
    in it. Leaves a PurgeRecord of what was removed, by whom and why."""
    reason = _check_reason(reason)
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    refusal = purge_refusal(locked)
    if refusal:
        raise ValidationError(refusal)
    with _append_only_lifted():
        found = _collect(locked, keep=set())
        counts, files = _remove(found)
    _remove_files_after_commit(files)
    purged = PurgeRecord.objects.create(
        council_id=locked.council_id,
        kind=PurgeKind.PURGE,
        incident_reference=locked.reference,
        incident_title=locked.title,
        was_exercise=locked.is_exercise,
        closed_at=locked.closed_at,
        retain_until=locked.retain_until,
        purged_by=actor,
        reason=reason,
        purged_at=now(),
        counts=counts,
    )
    logger.info("Incident %s purged by %s: %s", locked.reference, actor.pk, counts)
    return purged


@transaction.atomic
def reset_exercise(*, incident: Incident, actor: User, reason: str) -> PurgeRecord:
    """Clear an exercise so it can be run again: everything recorded in it is removed (with a
    PurgeRecord); the incident, its people and invitations stay, and it is declared afresh."""
    reason = _check_reason(reason)
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if not locked.is_exercise:
        raise ValidationError(_("Only an exercise can be reset."))
    keep: set[type[models.Model]] = {Participation, Invitation, Incident.shared_with.through}
    with _append_only_lifted():
        found = _collect(locked, keep=keep)
        found.pop(Incident)
        counts, files = _remove(found)
    _remove_files_after_commit(files)
    purged = PurgeRecord.objects.create(
        council_id=locked.council_id,
        kind=PurgeKind.RESET,
        incident_reference=locked.reference,
        incident_title=locked.title,
        was_exercise=True,
        closed_at=locked.closed_at,
        retain_until=locked.retain_until,
        purged_by=actor,
        reason=reason,
        purged_at=now(),
        counts=counts,
    )
    at = now()
    locked.status = Status.DECLARED
    locked.outcome = ""
    locked.lga_stage = Stage.IDENTIFY
    locked.closed_at = None
    locked.retain_until = None
    locked.declared_at = at
    locked.version += 1
    locked.save()
    record(
        incident=locked,
        kind="exercise_reset",
        actor=actor,
        summary=_("Exercise reset to run again"),
        data={"reason": reason, "purge_record": purged.pk},
    )
    return purged


# --- Retention setting ---------------------------------------------------------------------------

MAX_RETENTION_DAYS = 100 * 365


@transaction.atomic
def set_retention(*, council: Council, actor: User, retention_days: int | None) -> Council:
    """Set how long the council keeps a closed real incident (None: the deployment's default).
    Applies to incidents closed from now on; recorded in the council audit log."""
    from incident_console.accounts import audit
    from incident_console.accounts.models import Council as CouncilModel

    if retention_days is not None and not 1 <= retention_days <= MAX_RETENTION_DAYS:
        raise ValidationError({"retention_days": _("Enter a number of days between 1 and 36500.")})
    locked = CouncilModel.objects.select_for_update().get(pk=council.pk)
    old = locked.retention_days
    locked.retention_days = retention_days
    locked.save(update_fields=["retention_days"])
    audit.record(
        council=locked,
        actor=actor,
        kind="retention_changed",
        summary=_("Retention period set to %(days)s days") % {"days": locked.retention},
        data={"from": old, "to": retention_days},
    )
    return locked
