"""API shapes for the key contacts register. Phones and emails are checked by the service."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from incident_console.accounts.models import Council, User
from incident_console.lib.choices import ContactCategory

from .models import PartnerContact


class ContactSerializer(serializers.ModelSerializer[PartnerContact]):
    council: serializers.SlugRelatedField[Council] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    verified_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    needs_checking = serializers.SerializerMethodField()

    class Meta:
        model = PartnerContact
        fields = [
            "id",
            "council",
            "incident",
            "category",
            "organisation",
            "role",
            "name",
            "phone",
            "out_of_band_phone",
            "email",
            "personal_email",
            "address",
            "notes",
            "is_spoc",
            "verified_at",
            "verified_by",
            "needs_checking",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_needs_checking(self, obj: PartnerContact) -> bool:
        return obj.needs_checking(self.context["at"])


class _ContactFields(serializers.Serializer[Any]):
    organisation = serializers.CharField(max_length=200)
    role = serializers.CharField(max_length=200)
    name = serializers.CharField(max_length=200)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    out_of_band_phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    personal_email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    address = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    is_spoc = serializers.BooleanField(required=False, default=False)


class ContactCreateSerializer(_ContactFields):
    council = serializers.SlugField(
        required=False, help_text="The council's short name; needed only if you belong to several."
    )
    category = serializers.ChoiceField(
        choices=ContactCategory.choices, default=ContactCategory.PROVIDERS_PARTNERS
    )
    incident = serializers.IntegerField(required=False, allow_null=True, default=None)


class ContactUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(help_text="The version you read; a stale version gives 409.")
    organisation = serializers.CharField(max_length=200, required=False)
    role = serializers.CharField(max_length=200, required=False)
    name = serializers.CharField(max_length=200, required=False)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    out_of_band_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    personal_email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    is_spoc = serializers.BooleanField(required=False)
