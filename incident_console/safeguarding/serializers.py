from __future__ import annotations

from typing import Any

from rest_framework import serializers

from incident_console.accounts.models import User

from .models import Deadline, DeadlineStatus, Kind, TimingRule

OUTCOME_CHOICES = [
    (s.value, s.label) for s in (DeadlineStatus.MET, DeadlineStatus.MISSED, DeadlineStatus.NOT_NEEDED)
]


class DeadlineSerializer(serializers.ModelSerializer[Deadline]):
    owner: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    timescale = serializers.CharField(read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Deadline
        fields = [
            "id",
            "incident",
            "kind",
            "service",
            "case_reference",
            "start_date",
            "timescale",
            "computed_due_at",
            "due_at",
            "override_reason",
            "owner",
            "status",
            "completed_at",
            "note",
            "overdue",
            "version",
            "updated_at",
        ]

    def get_overdue(self, obj: Deadline) -> bool:
        from incident_console.lib.time import now

        return obj.is_open and obj.due_at <= now()


class DeadlineWriteSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Kind.choices)
    case_reference = serializers.CharField(max_length=50)
    start_date = serializers.DateField(required=False, allow_null=True, default=None)
    due_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The date the court set, or a date other than the timescale gives (with override_reason).",
    )
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), required=False, allow_null=True, default=None
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = self.context.get("people")
        if people is not None:
            self.fields["owner"].queryset = people  # type: ignore[attr-defined]


class DeadlineUpdateSerializer(DeadlineWriteSerializer):
    version = serializers.IntegerField(help_text="The version you last read; a stale version gets 409.")


class CompleteSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=OUTCOME_CHOICES)
    completed_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(help_text="The version you last read; a stale version gets 409.")


class TimingRuleSerializer(serializers.ModelSerializer[TimingRule]):
    council: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    timescale = serializers.CharField(read_only=True)

    class Meta:
        model = TimingRule
        fields = [
            "id",
            "council",
            "kind",
            "service",
            "amount",
            "unit",
            "timescale",
            "start_label",
            "local_default",
            "version",
        ]
