"""API shapes for sitreps, PDF jobs and the communications log."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from .models import Audience, CommsEntry, PdfJob, Sitrep


class PdfJobSerializer(serializers.ModelSerializer[PdfJob]):
    download = serializers.SerializerMethodField()

    class Meta:
        model = PdfJob
        fields = ["id", "variant", "state", "attempts", "page_count", "snapshot_sha256", "download"]
        read_only_fields = fields

    def get_download(self, job: PdfJob) -> str | None:
        return reverse("reports:job_download", args=[job.pk]) if job.state == "done" else None


class PartnerSitrepSerializer(serializers.ModelSerializer[Sitrep]):
    """What a partner may see of an issued sitrep: its number, time and the partner PDF."""

    name = serializers.CharField(source="label", read_only=True)
    partner_pdf = PdfJobSerializer(read_only=True)

    class Meta:
        model = Sitrep
        fields = ["id", "name", "number", "amendment", "status", "issued_at", "partner_pdf"]
        read_only_fields = fields


class SitrepSerializer(serializers.ModelSerializer[Sitrep]):
    name = serializers.CharField(source="label", read_only=True)
    full_pdf = PdfJobSerializer(read_only=True)
    partner_pdf = PdfJobSerializer(read_only=True)
    prepared_by = serializers.CharField(source="prepared_by.username", read_only=True)
    approved_by = serializers.CharField(source="approved_by.username", read_only=True, default=None)

    class Meta:
        model = Sitrep
        fields = [
            "id",
            "name",
            "number",
            "amendment",
            "amends",
            "amendment_reason",
            "status",
            "headline",
            "impact",
            "risks_issues",
            "partner_headline",
            "requests_of_partners",
            "next_sitrep_at",
            "prepared_by",
            "approved_by",
            "approved_at",
            "issued_at",
            "snapshot_sha256",
            "version",
            "full_pdf",
            "partner_pdf",
        ]
        read_only_fields = fields


class SitrepCreateSerializer(serializers.Serializer[Any]):
    headline = serializers.CharField()
    impact = serializers.CharField(required=False, allow_blank=True, default="")
    risks_issues = serializers.CharField(required=False, allow_blank=True, default="")
    partner_headline = serializers.CharField(required=False, allow_blank=True, default="")
    requests_of_partners = serializers.CharField(required=False, allow_blank=True, default="")
    next_sitrep_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    amends = serializers.IntegerField(required=False, allow_null=True, default=None)
    amendment_reason = serializers.CharField(required=False, allow_blank=True, default="")


class WorkflowSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class CommsSerializer(serializers.ModelSerializer[CommsEntry]):
    audience = serializers.ChoiceField(choices=Audience.choices)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)

    class Meta:
        model = CommsEntry
        fields = [
            "id",
            "audience",
            "channel",
            "content",
            "approved_by",
            "sent_at",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["id", "recorded_by", "recorded_at"]
