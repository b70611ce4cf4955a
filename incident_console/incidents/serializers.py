from __future__ import annotations

from typing import Any

from rest_framework import serializers

from incident_console.accounts.models import Council, User
from incident_console.lib.choices import Classification, Service, Stage
from incident_console.timeline.models import TimelineEvent

from .models import MAX_ESCALATE_AFTER_MINUTES, Incident, Outcome, Severity, Status

ESCALATION_HELP = (
    "Minutes a reminder waits for acknowledgement before it goes one step up the ladder; "
    "null uses the deployment's default."
)


class IncidentSerializer(serializers.ModelSerializer[Incident]):
    council: serializers.SlugRelatedField[Council] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    shared_with = serializers.ManyRelatedField(
        child_relation=serializers.SlugRelatedField[Council](slug_field="slug", read_only=True),
        read_only=True,
    )
    services_affected = serializers.ListField(child=serializers.ChoiceField(choices=Service.choices))
    items_total = serializers.IntegerField(read_only=True)
    items_complete = serializers.IntegerField(read_only=True)
    items_overdue = serializers.IntegerField(read_only=True)
    # Blank until the incident closes.
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "council",
            "reference",
            "title",
            "summary",
            "severity",
            "status",
            "outcome",
            "lga_stage",
            "services_affected",
            "aware_at",
            "declared_at",
            "closed_at",
            "classification",
            "is_exercise",
            "council_email_unavailable",
            "escalate_after_minutes",
            "shared_with",
            "version",
            "items_total",
            "items_complete",
            "items_overdue",
        ]
        read_only_fields = [
            "reference",
            "status",
            "outcome",
            "declared_at",
            "closed_at",
            "is_exercise",
            "version",
        ]


class IncidentCreateSerializer(serializers.Serializer[Any]):
    council = serializers.SlugRelatedField(slug_field="slug", queryset=Council.objects.all())
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.HIGH)
    services_affected = serializers.ListField(
        child=serializers.ChoiceField(choices=Service.choices), required=False, default=list
    )
    aware_at = serializers.DateTimeField()
    classification = serializers.ChoiceField(
        choices=Classification.choices, default=Classification.OFFICIAL_SENSITIVE
    )
    is_exercise = serializers.BooleanField(default=False)
    council_email_unavailable = serializers.BooleanField(default=False)
    escalate_after_minutes = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=MAX_ESCALATE_AFTER_MINUTES,
        help_text=ESCALATION_HELP,
    )


class IncidentUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(help_text="The version you last read; a stale version gets 409.")
    title = serializers.CharField(max_length=200, required=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)
    lga_stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    services_affected = serializers.ListField(
        child=serializers.ChoiceField(choices=Service.choices), required=False
    )
    aware_at = serializers.DateTimeField(required=False)
    classification = serializers.ChoiceField(choices=Classification.choices, required=False)
    council_email_unavailable = serializers.BooleanField(required=False)
    escalate_after_minutes = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ESCALATE_AFTER_MINUTES,
        help_text=ESCALATION_HELP,
    )


class TransitionSerializer(serializers.Serializer[Any]):
    to_status = serializers.ChoiceField(
        choices=[*Status.choices, ("stand_down", "Stand down as a false alarm")]
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class TimelineEventSerializer(serializers.ModelSerializer[TimelineEvent]):
    actor: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = TimelineEvent
        fields = ["sequence", "kind", "actor", "occurred_at", "summary", "data", "previous_hash", "hash"]
