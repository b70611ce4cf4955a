from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from rest_framework import serializers

from incident_console.accounts.models import User

from .models import Override, Rota, Swap

MAX_RANGE = timedelta(days=366)
YEARS = range(2000, 2101)


def sane_instant(value: datetime) -> None:
    if value.year not in YEARS:
        raise serializers.ValidationError("Give a time between the years 2000 and 2100.")


class RotaSerializer(serializers.ModelSerializer[Rota]):
    council: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    owner: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = Rota
        fields = ["id", "council", "name", "cover", "owner", "anchor_date", "incident"]
        read_only_fields = fields


# What puts a person on a shift (resolver.Shift.source); named ShiftSourceEnum in the schema.
SHIFT_SOURCES = ("pattern", "swap", "override")


class ShiftSerializer(serializers.Serializer[Any]):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    person = serializers.CharField(allow_null=True, help_text="Username; null for nobody (a gap).")
    kind = serializers.ChoiceField(
        choices=list(SHIFT_SOURCES),
        help_text="What puts the person on: the rota, a swap or cover.",
    )
    shift_name = serializers.CharField(help_text="The pattern's name, e.g. 08:00-20:00; empty for cover.")


class MyShiftSerializer(ShiftSerializer):
    rota = serializers.IntegerField()
    position = serializers.CharField()
    standby = serializers.BooleanField()
    takes_over_from = serializers.CharField(allow_null=True)
    hands_over_to = serializers.CharField(allow_null=True)


class GapSerializer(serializers.Serializer[Any]):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class RangeQuerySerializer(serializers.Serializer[Any]):
    start = serializers.DateTimeField(
        help_text="ISO 8601 with an offset, e.g. 2026-10-24T00:00:00+01:00", validators=[sane_instant]
    )
    end = serializers.DateTimeField(validators=[sane_instant])

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": "The end must be after the start."})
        if attrs["end"] - attrs["start"] > MAX_RANGE:
            raise serializers.ValidationError({"end": "Ask for at most 366 days at a time."})
        return attrs


class DaysQuerySerializer(serializers.Serializer[Any]):
    days = serializers.IntegerField(min_value=1, max_value=366, default=14)


class OverrideSerializer(serializers.ModelSerializer[Override]):
    user: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.all()
    )
    created_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = Override
        fields = ["id", "user", "start", "end", "reason", "created_by", "created_at"]
        read_only_fields = ["id", "created_by", "created_at"]
        extra_kwargs = {"start": {"validators": [sane_instant]}, "end": {"validators": [sane_instant]}}


class SwapSerializer(serializers.ModelSerializer[Swap]):
    requested_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    other: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.all()
    )

    class Meta:
        model = Swap
        fields = [
            "id",
            "rota",
            "requested_by",
            "requested_shift_start",
            "other",
            "other_shift_start",
            "status",
            "created_at",
            "decided_at",
        ]
        read_only_fields = ["id", "rota", "requested_by", "status", "created_at", "decided_at"]
        extra_kwargs = {
            "requested_shift_start": {"validators": [sane_instant]},
            "other_shift_start": {"validators": [sane_instant]},
        }
