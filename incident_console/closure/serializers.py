"""Archive exports and purge records in the API."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import ArchiveJob, PurgeRecord


class ArchiveSerializer(serializers.ModelSerializer[ArchiveJob]):
    requested_by = serializers.CharField(source="requested_by.username", read_only=True, default=None)
    download = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()

    class Meta:
        model = ArchiveJob
        fields = [
            "id",
            "incident",
            "state",
            "attempts",
            "error",
            "file_count",
            "size",
            "file_sha256",
            "manifest_sha256",
            "requested_by",
            "created_at",
            "finished_at",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, job: ArchiveJob) -> str | None:
        """The API address of the ZIP (token authentication works there), once it is built."""
        return reverse("archive-download", args=[job.pk]) if job.state == "done" else None

    def get_error(self, job: ArchiveJob) -> str:
        """A plain message, never the exception text (that stays in the worker log and on the row)."""
        if not job.error or job.state == "done":
            return ""
        if job.state == "failed":
            return str(
                _(
                    "The archive could not be made. Retry it from the archive page; if it fails again, "
                    "ask your console's operators to check the worker log."
                )
            )
        return str(_("An attempt to make the archive failed. It will be tried again shortly."))


class PurgeRecordSerializer(serializers.ModelSerializer[PurgeRecord]):
    purged_by = serializers.CharField(source="purged_by.username", read_only=True)

    class Meta:
        model = PurgeRecord
        fields = [
            "id",
            "council",
            "kind",
            "incident_reference",
            "incident_title",
            "was_exercise",
            "closed_at",
            "retain_until",
            "purged_by",
            "reason",
            "purged_at",
            "counts",
        ]
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer[dict[str, str]]):
    """Purging or resetting: why, and the incident reference typed again to confirm."""

    reason = serializers.CharField(max_length=2000, error_messages={"blank": _("Say why.")})
    confirm_reference = serializers.CharField(max_length=30)

    def validate_confirm_reference(self, value: str) -> str:
        if value.strip().upper() != str(self.context["reference"]).upper():
            raise serializers.ValidationError(_("Type the incident reference exactly as shown."))
        return value.strip()
