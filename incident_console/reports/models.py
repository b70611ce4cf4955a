"""PDF jobs (the one PDF machinery for every app), situation reports, the communications log and
where each sitrep was sent."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


def canonical_json(data: Any) -> str:
    """The one serialisation a snapshot's SHA-256 is computed over."""
    return json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_of(data: Any) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def pdf_storage() -> FileSystemStorage:
    # Not under STATIC_ROOT or any served path: downloads go through an access-checked view.
    return FileSystemStorage(location=settings.PDF_STORAGE_DIR)


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Rendering")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class PdfJob(models.Model):
    """One PDF to render from a stored snapshot. The row is the work; the broker only speeds it up."""

    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.PROTECT, related_name="pdf_jobs"
    )
    kind = models.CharField(_("kind"), max_length=40)
    variant = models.CharField(_("variant"), max_length=40, blank=True)
    # Repeating a request with the same key returns the existing job (idempotent requests).
    key = models.CharField(max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    snapshot = models.JSONField()
    snapshot_sha256 = models.CharField(max_length=64)
    state = models.CharField(_("state"), max_length=12, choices=JobState.choices, default=JobState.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(storage=pdf_storage, upload_to="%Y/%m/", blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["state", "claimed_at"],
                name="pdfjob_waiting",
                condition=models.Q(state__in=["queued", "rendering"]),
            )
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind}:{self.variant} #{self.pk} ({self.state})"

    @property
    def is_finished(self) -> bool:
        return self.state in {JobState.DONE, JobState.FAILED}

    @property
    def filename(self) -> str:
        slug = "".join(c if c.isalnum() or c in "-." else "-" for c in self.title).strip("-")
        return f"{slug or 'report'}.pdf"
