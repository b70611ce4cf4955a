"""Closure: archive exports of closed incidents, and the records that purges leave behind."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from incident_console.reports.models import JobState


def archive_storage() -> FileSystemStorage:
    # Not under STATIC_ROOT or any served path: downloads go through an access-checked view.
    return FileSystemStorage(location=settings.ARCHIVE_STORAGE_DIR)


class ArchiveJob(models.Model):
    """One archive export to build. The row is the work; the broker only speeds it up.

    Same shape as ``reports.PdfJob`` (queued, building, ready or failed; claimed with a lease;
    swept by beat), but its product is a ZIP built from the database, not a PDF from a snapshot.
    """

    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="archives")
    state = models.CharField(_("state"), max_length=12, choices=JobState.choices, default=JobState.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(storage=archive_storage, upload_to="%Y/%m/", blank=True)
    file_sha256 = models.CharField(_("SHA-256 of the ZIP"), max_length=64, blank=True)
    manifest_sha256 = models.CharField(_("SHA-256 of the manifest"), max_length=64, blank=True)
    file_count = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["state", "claimed_at"],
                name="archivejob_waiting",
                condition=models.Q(state__in=["queued", "rendering"]),
            )
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"archive #{self.pk} ({self.state})"

    @property
    def is_finished(self) -> bool:
        return self.state in {JobState.DONE, JobState.FAILED}

    @property
    def filename(self) -> str:
        return f"{self.incident.reference}-archive-{self.pk}.zip"


class PurgeKind(models.TextChoices):
    PURGE = "purge", _("Purged")
    RESET = "reset", _("Exercise reset")


class PurgeRecord(models.Model):
    """What was purged, by whom and why. Holds no link to the incident: it outlives it."""

    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=PurgeKind.choices, default=PurgeKind.PURGE)
    incident_reference = models.CharField(_("incident reference"), max_length=30)
    incident_title = models.CharField(_("incident title"), max_length=200)
    was_exercise = models.BooleanField(_("exercise"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    retain_until = models.DateTimeField(_("retain until"), null=True, blank=True)
    purged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("why"))
    purged_at = models.DateTimeField(_("when"))
    counts = models.JSONField(_("rows removed"), default=dict)

    class Meta:
        ordering = ["-purged_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.incident_reference}"

    @property
    def total_rows(self) -> int:
        return sum(int(v) for v in self.counts.values())


class PurgeUnlock(models.Model):
    """SQLite only: a row here, inserted and removed inside the purge transaction, lets the
    append-only triggers allow deletes (PostgreSQL uses a ``SET LOCAL`` setting instead)."""

    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"unlock #{self.pk}"
