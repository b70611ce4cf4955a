"""API shapes for the command structure, decision log, risk register and battle rhythm."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from incident_console.accounts.models import Council, User
from incident_console.lib.choices import Tier

from .models import Assignment, Decision, Handover, RhythmEntry, RhythmKind, Risk, RiskStatus
from .rhythm import parse_times


@extend_schema_field(OpenApiTypes.INT)
class PersonField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A person, by id, from the people in the serializer context (those who may take part)."""

    def get_queryset(self) -> Any:
        return self.context.get("people", User.objects.none())


class AssignmentSerializer(serializers.ModelSerializer[Assignment]):
    user: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    assigned_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    council: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    role = serializers.CharField(source="role_name", read_only=True)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "council",
            "tier",
            "cell",
            "is_deputy",
            "role",
            "user",
            "assigned_by",
            "assumed_at",
            "relinquished_at",
            "is_current",
        ]


class AssignSerializer(serializers.Serializer[Any]):
    user = PersonField()
    tier = serializers.ChoiceField(choices=Tier.choices)
    cell = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")
    is_deputy = serializers.BooleanField(required=False, default=False)
    council = serializers.SlugRelatedField(slug_field="slug", required=False, queryset=Council.objects.none())
    expected_current = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="The assignment id you saw holding this slot (null for vacant). If it changed since, 409.",
    )
    situation = serializers.CharField(required=False, allow_blank=True, default="")
    decisions_pending = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = self.context.get("councils", Council.objects.none())  # type: ignore[attr-defined]


class HandoverSerializer(serializers.ModelSerializer[Handover]):
    role = serializers.CharField(source="incoming.role_name", read_only=True)
    incoming_user = serializers.CharField(source="incoming.user.username", read_only=True)
    outgoing_user = serializers.CharField(source="outgoing.user.username", read_only=True, allow_null=True)
    written_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = Handover
        fields = [
            "id",
            "role",
            "incoming",
            "incoming_user",
            "outgoing",
            "outgoing_user",
            "written_by",
            "created_at",
            "situation",
            "open_actions",
            "open_risks",
            "decisions_pending",
            "acknowledged_at",
        ]


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    decision_maker: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    recorded_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    corrects: serializers.SlugRelatedField[Decision] = serializers.SlugRelatedField(
        slug_field="sequence", read_only=True
    )
    corrected_by = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "sequence",
            "decided_at",
            "recorded_at",
            "decision_maker",
            "maker_role",
            "decision",
            "rationale",
            "options_considered",
            "information",
            "risks",
            "review_by",
            "informed",
            "recorded_by",
            "corrects",
            "corrected_by",
        ]

    def get_corrected_by(self, obj: Decision) -> list[int]:
        return [c.sequence for c in obj.corrections.all()]


class DecisionCreateSerializer(serializers.Serializer[Any]):
    decision = serializers.CharField()
    rationale = serializers.CharField()
    decision_maker = PersonField()
    maker_role = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")
    decided_at = serializers.DateTimeField()
    options_considered = serializers.CharField(required=False, allow_blank=True, default="")
    information = serializers.CharField(required=False, allow_blank=True, default="")
    risks = serializers.CharField(required=False, allow_blank=True, default="")
    review_by = serializers.DateTimeField(required=False, allow_null=True, default=None)
    informed = serializers.CharField(required=False, allow_blank=True, default="")
    corrects = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Sequence number of the entry this corrects."
    )


class RiskSerializer(serializers.ModelSerializer[Risk]):
    owner: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    score = serializers.IntegerField(read_only=True)

    class Meta:
        model = Risk
        fields = [
            "id",
            "title",
            "owner",
            "likelihood",
            "impact",
            "score",
            "mitigations",
            "status",
            "review_on",
            "version",
            "created_at",
            "updated_at",
        ]


class RiskCreateSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=300)
    owner = PersonField(required=False, allow_null=True, default=None)
    likelihood = serializers.IntegerField(min_value=1, max_value=5)
    impact = serializers.IntegerField(min_value=1, max_value=5)
    mitigations = serializers.CharField(required=False, allow_blank=True, default="")
    review_on = serializers.DateField(required=False, allow_null=True, default=None)


class RiskUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(help_text="The version you read; a stale version gives 409.")
    title = serializers.CharField(max_length=300, required=False)
    owner = PersonField(required=False, allow_null=True)
    likelihood = serializers.IntegerField(min_value=1, max_value=5, required=False)
    impact = serializers.IntegerField(min_value=1, max_value=5, required=False)
    mitigations = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=RiskStatus.choices, required=False)
    review_on = serializers.DateField(required=False, allow_null=True)


class RhythmEntrySerializer(serializers.ModelSerializer[RhythmEntry]):
    class Meta:
        model = RhythmEntry
        fields = ["id", "kind", "title", "times", "weekdays", "created_at"]


class RhythmCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=RhythmKind.choices)
    title = serializers.CharField(max_length=200)
    times = serializers.ListField(child=serializers.CharField(max_length=5), min_length=1)
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6), required=False, default=list
    )

    def validate_times(self, value: list[str]) -> list[str]:
        try:
            parse_times(value)
        except ValueError:
            raise serializers.ValidationError("Enter times as HH:MM, for example 08:30.") from None
        return value
