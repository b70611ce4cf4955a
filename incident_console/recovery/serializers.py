from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
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
    TellingDecision,
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
    decided_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = ExternalNotification
        fields = [
            "id",
            "body",
            "who",
            "decision",
            "council_told",
            "name",
            "notified_at",
            "told_by",
            "method",
            "reference",
            "notes",
            "assessment",
            "reason",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = ["assessment"]


class ExternalNotificationCreateSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(
        choices=TellingDecision.choices,
        default=TellingDecision.TOLD,
        help_text="`told` (the default) logs who was told; `not_needed` records that one of the usual "
        "bodies will not be told about this incident, and needs `reason` instead of `notified_at` and "
        "`method`.",
    )
    body = serializers.ChoiceField(choices=Body.choices)
    council_told = serializers.SlugRelatedField(
        slug_field="slug", queryset=Council.objects.all(), required=False, allow_null=True, default=None
    )
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    notified_at = serializers.DateTimeField(required=False, help_text="Needed when told.")
    told_by = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), required=False, help_text="Defaults to you."
    )
    method = serializers.ChoiceField(choices=Method.choices, required=False, help_text="Needed when told.")
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
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Not needed: why they do not need telling."
    )
    decided_by = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), required=False, help_text="Not needed: who decided. Defaults to you."
    )
    decided_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Not needed: when. Defaults to now."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("decision") == TellingDecision.NOT_NEEDED:
            if not attrs.get("reason", "").strip():
                raise serializers.ValidationError(
                    {"reason": _("Say why they do not need telling about this incident.")}
                )
            return attrs
        required = {"notified_at": _("Enter when they were told."), "method": _("Choose how they were told.")}
        missing = {field: message for field, message in required.items() if attrs.get(field) is None}
        if missing:
            raise serializers.ValidationError(missing)
        return attrs

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = self.context.get("people")
        if people is not None:
            self.fields["told_by"].queryset = people  # type: ignore[attr-defined]
            self.fields["decided_by"].queryset = people  # type: ignore[attr-defined]
        assessments = self.context.get("assessments")
        if assessments is not None:
            self.fields["assessment"].queryset = assessments  # type: ignore[attr-defined]
