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


class SitrepStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    ISSUED = "issued", _("Issued")


class Sitrep(models.Model):
    """A situation report: drafted, approved by Gold, issued with a frozen snapshot."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="sitreps")
    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    # Numbers are given on issue: SITREP 3, or 3.1 for the first amendment of 3.
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    amendment = models.PositiveIntegerField(_("amendment"), default=0)
    amends = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="amendments"
    )
    amendment_reason = models.TextField(_("what this amends and why"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SitrepStatus.choices, default="draft")

    # Internal free text (never in the partner variant).
    headline = models.TextField(_("headline situation"))
    impact = models.TextField(_("impact on services and cells"), blank=True)
    risks_issues = models.TextField(_("risks and issues"), blank=True)
    # Partner-facing free text (in both variants; Gold approves it with the rest).
    partner_headline = models.TextField(_("headline for partners"), blank=True)
    requests_of_partners = models.TextField(_("requests of partners"), blank=True)
    next_sitrep_at = models.DateTimeField(_("next sitrep"), null=True, blank=True)

    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    period_start = models.DateTimeField(null=True, blank=True)
    snapshot = models.JSONField(null=True, blank=True)
    snapshot_sha256 = models.CharField(max_length=64, blank=True)
    full_pdf = models.OneToOneField(PdfJob, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    partner_pdf = models.OneToOneField(
        PdfJob, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "number", "amendment"],
                condition=models.Q(number__isnull=False),
                name="sitrep_unique_number",
            ),
            models.CheckConstraint(
                condition=models.Q(status="issued", number__isnull=False, snapshot__isnull=False)
                | ~models.Q(status="issued"),
                name="sitrep_issued_has_number_and_snapshot",
            ),
        ]
        ordering = ["incident_id", "-number", "-amendment", "-created_at"]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def number_label(self) -> str:
        if self.number is None:
            return ""
        return f"{self.number}.{self.amendment}" if self.amendment else str(self.number)

    @property
    def label(self) -> str:
        if self.number is not None:
            return str(_("SITREP %(number)s") % {"number": self.number_label})
        if self.amends_id:
            return str(_("Draft amendment to %(sitrep)s") % {"sitrep": self.amends})
        return str(_("Draft sitrep"))


class SitrepCounter(models.Model):
    """The last sitrep number issued in an incident; locked while allocating."""

    incident = models.OneToOneField("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.last_number}"


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public statement")
    PARTNERS = "partners", _("Partner update")
    STAFF = "staff", _("Staff message")
    MEMBERS = "members", _("Elected-member briefing")


class CommsEntry(models.Model):
    """One communication issued during an incident."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="comms")
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    channel = models.CharField(_("channel"), max_length=120)
    content = models.TextField(_("content"))
    approved_by = models.CharField(_("approved by"), max_length=200)
    sent_at = models.DateTimeField(_("sent at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_audience_display()} {self.sent_at:%Y-%m-%d %H:%M}"


class Distribution(models.Model):
    """A record that one variant of an issued sitrep went to a partner organisation or person."""

    sitrep = models.ForeignKey(Sitrep, on_delete=models.PROTECT, related_name="distribution")
    contact = models.ForeignKey(
        "contacts.PartnerContact", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    recipient = models.CharField(_("person or role"), max_length=200)
    variant = models.CharField(_("version sent"), max_length=20, default="partner")
    sent_at = models.DateTimeField(_("sent at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["sitrep_id", "sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.sitrep} to {self.organisation}"
