from __future__ import annotations

from typing import Any

from rest_framework import serializers

from incident_console.accounts.models import User

from .models import CaseContact, CaseService, CaseStatus, ContactResult, PriorityCase, RiskLevel


class CaseContactSerializer(serializers.ModelSerializer[CaseContact]):
    contacted_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    recorded_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = CaseContact
        fields = [
            "id",
            "contacted_at",
            "contacted_by",
            "result",
            "outcome",
            "next_contact_due",
            "recorded_by",
            "recorded_at",
        ]


class PriorityCaseSerializer(serializers.ModelSerializer[PriorityCase]):
    owner: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = PriorityCase
        fields = [
            "id",
            "number",
            "reference",
            "service",
            "why_at_risk",
            "risk_level",
            "next_contact_due",
            "last_contacted_at",
            "owner",
            "status",
            "closed_reason",
            "notes",
            "version",
            "updated_at",
        ]


class _WithPeople(serializers.Serializer[Any]):
    people_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = self.context.get("people")
        if people is not None:
            for name in self.people_fields:
                self.fields[name].queryset = people  # type: ignore[attr-defined]


class PriorityCaseCreateSerializer(_WithPeople):
    people_fields = ("owner",)

    reference = serializers.CharField(max_length=100)
    service = serializers.ChoiceField(choices=CaseService.choices)
    why_at_risk = serializers.CharField()
    risk_level = serializers.ChoiceField(
        choices=RiskLevel.choices, required=False, allow_blank=True, default=""
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), help_text="Someone who may see priority cases."
    )
    next_contact_due = serializers.DateTimeField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class PriorityCaseUpdateSerializer(_WithPeople):
    """Only the fields sent change; ``version`` is the one you last read (a stale one gets 409)."""

    people_fields = ("owner",)

    reference = serializers.CharField(max_length=100, required=False)
    service = serializers.ChoiceField(choices=CaseService.choices, required=False)
    why_at_risk = serializers.CharField(required=False)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, required=False, allow_blank=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), required=False)
    next_contact_due = serializers.DateTimeField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    closed_reason = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(help_text="The version you last read; a stale version gets 409.")


class CaseContactCreateSerializer(_WithPeople):
    people_fields = ("contacted_by",)

    contacted_at = serializers.DateTimeField()
    contacted_by = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), required=False, help_text="Defaults to you."
    )
    result = serializers.ChoiceField(choices=ContactResult.choices)
    outcome = serializers.CharField()
    next_contact_due = serializers.DateTimeField()
    version = serializers.IntegerField(
        required=False, help_text="The case version you last read; a stale version gets 409."
    )
