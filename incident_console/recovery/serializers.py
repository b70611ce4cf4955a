from __future__ import annotations

from typing import Any

from rest_framework import serializers

from incident_console.accounts.models import Council, User
from incident_console.assessments.models import Assessment
from incident_console.lib.choices import Service

from .models import (
    AffectedSystem,
    Body,
    ExternalNotification,
    Method,
    RestorePriority,
    SystemKind,
    SystemState,
)


class AffectedSystemSerializer(serializers.ModelSerializer[AffectedSystem]):
    shared_with: serializers.SlugRelatedField[Council] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    owner: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = AffectedSystem
        fields = [
            "id",
            "name",
            "kind",
            "services",
            "shared_with",
            "state",
            "priority",
            "restore_order",
            "owner",
            "expected_on",
            "notes",
            "version",
            "updated_at",
        ]


class SystemWriteSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=SystemKind.choices)
    services = serializers.ListField(
        child=serializers.ChoiceField(choices=Service.choices), allow_empty=False
    )
    shared_with = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        queryset=Council.objects.all(),
        required=False,
        default=list,  # type: ignore[arg-type]
    )
    state = serializers.ChoiceField(choices=SystemState.choices, default=SystemState.UNAVAILABLE)
    priority = serializers.ChoiceField(choices=RestorePriority.choices, default=RestorePriority.MEDIUM)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), required=False, allow_null=True, default=None
    )
    expected_on = serializers.DateField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = self.context.get("people")
        if people is not None:
            self.fields["owner"].queryset = people  # type: ignore[attr-defined]


class SystemUpdateSerializer(SystemWriteSerializer):
    version = serializers.IntegerField(help_text="The version you last read; a stale version gets 409.")


class ExternalNotificationSerializer(serializers.ModelSerializer[ExternalNotification]):
    who = serializers.CharField(read_only=True)
    told_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    council_told: serializers.SlugRelatedField[Council] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = ExternalNotification
        fields = [
            "id",
            "body",
            "who",
            "council_told",
            "name",
            "notified_at",
            "told_by",
            "method",
            "reference",
            "notes",
            "assessment",
        ]
        read_only_fields = ["assessment"]


class ExternalNotificationCreateSerializer(serializers.Serializer[Any]):
    body = serializers.ChoiceField(choices=Body.choices)
    council_told = serializers.SlugRelatedField(
        slug_field="slug", queryset=Council.objects.all(), required=False, allow_null=True, default=None
    )
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    notified_at = serializers.DateTimeField()
    told_by = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), required=False, help_text="Defaults to you."
    )
    method = serializers.ChoiceField(choices=Method.choices)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    assessment = serializers.PrimaryKeyRelatedField(
        queryset=Assessment.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="For a report to the ICO: the data-loss assessment it is for (one you may see that "
        "records no report yet). The report is recorded on it too, which stops its 72-hour clock.",
    )
    late_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Reasons for reporting after 72 hours, when the linked assessment's report is late.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = self.context.get("people")
        if people is not None:
            self.fields["told_by"].queryset = people  # type: ignore[attr-defined]
        assessments = self.context.get("assessments")
        if assessments is not None:
            self.fields["assessment"].queryset = assessments  # type: ignore[attr-defined]
