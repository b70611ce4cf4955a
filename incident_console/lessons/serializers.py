from __future__ import annotations

from typing import Any

from rest_framework import serializers

from incident_console.accounts.models import User

from .models import Lesson, LessonCategory, LessonStatus, RecoveryHandover


class LessonSerializer(serializers.ModelSerializer[Lesson]):
    owner: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    raised_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = Lesson
        fields = [
            "id",
            "incident",
            "what_happened",
            "learned",
            "category",
            "owner",
            "action",
            "action_due",
            "status",
            "reason",
            "raised_by",
            "raised_at",
            "updated_at",
            "version",
        ]


class _PeopleMixin(serializers.Serializer[Any]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = self.context.get("people")
        if people is not None and "owner" in self.fields:
            self.fields["owner"].queryset = people  # type: ignore[attr-defined]


class LessonCreateSerializer(_PeopleMixin):
    what_happened = serializers.CharField()
    learned = serializers.CharField()
    category = serializers.ChoiceField(
        choices=LessonCategory.choices, required=False, allow_blank=True, default=""
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), required=False, allow_null=True, default=None
    )
    action = serializers.CharField(required=False, allow_blank=True, default="")
    action_due = serializers.DateField(required=False, allow_null=True, default=None)


class LessonUpdateSerializer(_PeopleMixin):
    """Only the fields given change. ``version`` is the one you last read: a stale one gets 409."""

    version = serializers.IntegerField()
    what_happened = serializers.CharField(required=False)
    learned = serializers.CharField(required=False)
    category = serializers.ChoiceField(choices=LessonCategory.choices, required=False, allow_blank=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), required=False, allow_null=True)
    action = serializers.CharField(required=False, allow_blank=True)
    action_due = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=LessonStatus.choices, required=False)
    reason = serializers.CharField(required=False, allow_blank=True)


class RecoveryHandoverSerializer(serializers.ModelSerializer[RecoveryHandover]):
    created_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    acknowledged_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = RecoveryHandover
        fields = [
            "id",
            "incident",
            "created_by",
            "created_at",
            "refreshed_at",
            "snapshot",
            "sha256",
            "acknowledged_by",
            "acknowledged_at",
            "acknowledgement_note",
        ]


class AcknowledgeSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, default="")
