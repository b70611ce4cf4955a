from __future__ import annotations

from typing import Any

from rest_framework import serializers

from incident_console.accounts.models import User

from .models import Activity, ManualRecord, ManualService


class ManualRecordSerializer(serializers.ModelSerializer[ManualRecord]):
    recorded_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    entered_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    verified_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    returned_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    has_attachment = serializers.SerializerMethodField()

    class Meta:
        model = ManualRecord
        fields = [
            "id",
            "service",
            "case_reference",
            "activity",
            "happened_at",
            "summary",
            "recorded_by",
            "recorded_at",
            "state",
            "entered_by",
            "entered_at",
            "system_reference",
            "verified_by",
            "verified_at",
            "returned_reason",
            "returned_by",
            "returned_at",
            "has_attachment",
            "attachment_name",
            "attachment_type",
            "attachment_size",
            "version",
        ]

    def get_has_attachment(self, obj: ManualRecord) -> bool:
        return bool(obj.attachment)


class ManualRecordCreateSerializer(serializers.Serializer[Any]):
    service = serializers.ChoiceField(choices=ManualService.choices)
    case_reference = serializers.CharField(max_length=100)
    activity = serializers.ChoiceField(choices=Activity.choices)
    happened_at = serializers.DateTimeField()
    summary = serializers.CharField()
    attachment = serializers.FileField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Optional (multipart only): a JPEG or PNG photo, or a PDF scan, of the paper form.",
    )


class RecordVersionSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(help_text="The version you last read; a stale version gets 409.")


class EnterSerializer(RecordVersionSerializer):
    system_reference = serializers.CharField(max_length=100)


class ReturnSerializer(RecordVersionSerializer):
    reason = serializers.CharField()
