"""API shapes for assessments. Rules are the service's; its errors come back as 400 per field."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from .models import (
    Article34Exception,
    Assessment,
    AssessmentVersion,
    DataCategory,
    Exfiltration,
    Nature,
    PeopleCategory,
    ReportDecision,
    SignOff,
    SignOffRole,
    TellPeople,
)


class SignOffSerializer(serializers.ModelSerializer[SignOff]):
    person = serializers.SlugRelatedField(slug_field="username", read_only=True)  # type: ignore[var-annotated]
    version = serializers.IntegerField(source="version.number", read_only=True)

    class Meta:
        model = SignOff
        fields = ["id", "version", "role", "outcome", "person", "signed_at", "statement", "content_hash"]


class VersionSerializer(serializers.ModelSerializer[AssessmentVersion]):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)  # type: ignore[var-annotated]
    sign_offs = SignOffSerializer(many=True, read_only=True)
    sha256 = serializers.CharField(source="content_hash", read_only=True)

    class Meta:
        model = AssessmentVersion
        fields = [
            "number",
            "author",
            "created_at",
            "change_note",
            "nature",
            "systems_affected",
            "data_sets",
            "data_categories",
            "people_categories",
            "people_affected",
            "records_affected",
            "exfiltration",
            "likelihood",
            "severity",
            "consequences",
            "measures_taken",
            "measures_proposed",
            "dpo_advice",
            "report_decision",
            "decision_reason",
            "tell_people",
            "tell_people_exception",
            "tell_people_reason",
            "ico_reference",
            "ico_reported_at",
            "late_reason",
            "sha256",
            "sign_offs",
        ]


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    council = serializers.SlugRelatedField(slug_field="slug", read_only=True)  # type: ignore[var-annotated]
    current = VersionSerializer(read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "incident", "council", "title", "state", "version", "created_at", "current"]


class ContentSerializer(serializers.Serializer[Any]):
    """Types only: ranges, reasons and who may record what are checked by the service."""

    nature = serializers.ListField(child=serializers.ChoiceField(choices=Nature.choices))
    systems_affected = serializers.CharField(required=False, allow_blank=True, default="")
    data_sets = serializers.CharField(required=False, allow_blank=True, default="")
    data_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=DataCategory.choices), required=False, default=list
    )
    people_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=PeopleCategory.choices), required=False, default=list
    )
    people_affected = serializers.IntegerField(required=False, allow_null=True, default=None)
    records_affected = serializers.IntegerField(required=False, allow_null=True, default=None)
    exfiltration = serializers.ChoiceField(choices=Exfiltration.choices, required=False, default="assumed")
    likelihood = serializers.IntegerField()
    severity = serializers.IntegerField()
    consequences = serializers.CharField(required=False, allow_blank=True, default="")
    measures_taken = serializers.CharField(required=False, allow_blank=True, default="")
    measures_proposed = serializers.CharField(required=False, allow_blank=True, default="")
    dpo_advice = serializers.ChoiceField(
        choices=ReportDecision.choices, required=False, default="", allow_blank=True
    )
    report_decision = serializers.ChoiceField(
        choices=ReportDecision.choices, required=False, default="", allow_blank=True
    )
    decision_reason = serializers.CharField(required=False, allow_blank=True, default="")
    tell_people = serializers.ChoiceField(
        choices=TellPeople.choices, required=False, default="", allow_blank=True
    )
    tell_people_exception = serializers.ChoiceField(
        choices=Article34Exception.choices, required=False, default="", allow_blank=True
    )
    tell_people_reason = serializers.CharField(required=False, allow_blank=True, default="")
    ico_reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)
    ico_reported_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    late_reason = serializers.CharField(required=False, allow_blank=True, default="")


class AssessmentCreateSerializer(ContentSerializer):
    title = serializers.CharField(max_length=200)
    council = serializers.SlugField(
        required=False, help_text="The controller council's short name; default the host."
    )


class AssessmentUpdateSerializer(ContentSerializer):
    version = serializers.IntegerField(help_text="The version you read; a stale version gives 409.")
    title = serializers.CharField(max_length=200, required=False)
    change_note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class SignOffCreateSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=SignOffRole.choices)
    statement = serializers.CharField()
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class SubmitSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(required=False, allow_null=True, default=None)
