from __future__ import annotations

from typing import Any

from rest_framework import serializers

from incident_console.accounts.models import User

from .models import Checklist, ChecklistItem, GuidanceModule, ItemStatus, ProgressNote, StrategicAction


class StrategicActionSerializer(serializers.ModelSerializer[StrategicAction]):
    class Meta:
        model = StrategicAction
        fields = [
            "action_id",
            "position",
            "text",
            "default_tier",
            "default_cell",
            "due_offset_hours",
            "stage_tags",
        ]


class ModuleSerializer(serializers.ModelSerializer[GuidanceModule]):
    version = serializers.IntegerField(source="current_version.number", read_only=True)
    content_hash = serializers.CharField(source="current_version.content_hash", read_only=True)
    actions = StrategicActionSerializer(source="current_version.actions", many=True, read_only=True)
    document = serializers.JSONField(source="current_version.document", read_only=True)

    class Meta:
        model = GuidanceModule
        fields = ["slug", "title", "service", "version", "content_hash", "actions", "document"]


class ProgressNoteSerializer(serializers.ModelSerializer[ProgressNote]):
    author: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = ProgressNote
        fields = ["author", "created_at", "text"]


class ChecklistItemSerializer(serializers.ModelSerializer[ChecklistItem]):
    module = serializers.CharField(source="checklist.module.slug", read_only=True)
    action_id = serializers.CharField(source="strategic_action.action_id", read_only=True, default=None)
    owner: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    notes = ProgressNoteSerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistItem
        fields = [
            "id",
            "module",
            "action_id",
            "position",
            "title",
            "status",
            "not_applicable_reason",
            "owner",
            "suggested_tier",
            "suggested_cell",
            "due_at",
            "completed_at",
            "version",
            "updated_at",
            "notes",
        ]


class ChecklistItemUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(help_text="The version you last read; a stale version gets 409.")
    status = serializers.ChoiceField(choices=ItemStatus.choices, required=False)
    not_applicable_reason = serializers.CharField(required=False, allow_blank=True)
    owner = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.all(), required=False, allow_null=True
    )
    due_at = serializers.DateTimeField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_owner(self, value: User | None) -> User | None:
        people = self.context["people"]
        if value is not None and not people.filter(pk=value.pk).exists():
            raise serializers.ValidationError("The owner must be someone working on this incident.")
        return value


class ChecklistSerializer(serializers.ModelSerializer[Checklist]):
    module = serializers.CharField(source="module.slug")
    module_version = serializers.IntegerField(source="module_version.number")
    items_total = serializers.IntegerField()
    items_done = serializers.IntegerField()
    items_not_applicable = serializers.IntegerField()
    items_overdue = serializers.IntegerField()

    class Meta:
        model = Checklist
        fields = [
            "id",
            "module",
            "module_version",
            "applied_at",
            "items_total",
            "items_done",
            "items_not_applicable",
            "items_overdue",
        ]
