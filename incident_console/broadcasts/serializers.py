from __future__ import annotations

from typing import Any

from rest_framework import serializers

from .models import MESSAGE_MAX_LENGTH, Audience, Broadcast


class BroadcastSerializer(serializers.ModelSerializer[Broadcast]):
    sender = serializers.CharField(source="sender.username", read_only=True)
    acknowledged = serializers.SerializerMethodField()
    asked = serializers.SerializerMethodField()

    class Meta:
        model = Broadcast
        fields = [
            "id",
            "sent_at",
            "sender",
            "audience",
            "cell",
            "message",
            "chase_minutes",
            "acknowledged",
            "asked",
        ]

    def _counts(self, obj: Broadcast) -> tuple[int, int]:
        counts: dict[int, tuple[int, int]] = self.context.get("counts", {})
        return counts.get(obj.pk, (0, 0))

    def get_acknowledged(self, obj: Broadcast) -> int:
        return self._counts(obj)[0]

    def get_asked(self, obj: Broadcast) -> int:
        return self._counts(obj)[1]


class BroadcastCreateSerializer(serializers.Serializer[Any]):
    audience = serializers.ChoiceField(choices=Audience.choices)
    cell = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    message = serializers.CharField(max_length=MESSAGE_MAX_LENGTH)


class RecipientStatusSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(source="recipient.user.username")
    name = serializers.CharField(source="recipient.user.display_name")
    reason = serializers.CharField(source="recipient.reason")
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    messages_sent = serializers.IntegerField()
    failed = serializers.ListField(child=serializers.CharField())


class BroadcastDetailSerializer(BroadcastSerializer):
    recipients = serializers.SerializerMethodField()

    class Meta(BroadcastSerializer.Meta):
        fields = [*BroadcastSerializer.Meta.fields, "recipients"]

    def get_recipients(self, obj: Broadcast) -> list[dict[str, Any]]:
        return list(RecipientStatusSerializer(self.context.get("statuses", []), many=True).data)
