from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from incident_console.accounts.models import User

from .models import (
    BankDetailChange,
    CallBackOutcome,
    EmergencyPayment,
    KnownNumberSource,
    PayeeType,
    PaymentMethod,
    ReceivedVia,
)

MONEY_ERRORS: dict[str, Any] = {
    "invalid": _("Enter the amount in pounds and pence, like 250.00"),
    "min_value": _("Enter an amount more than £0.00"),
    "max_decimal_places": _("Enter the amount to the nearest penny, like 250.50"),
    "max_digits": _("Enter an amount less than £10,000,000,000"),
    "max_whole_digits": _("Enter an amount less than £10,000,000,000"),
}


def _person() -> serializers.SlugRelatedField[User]:
    return serializers.SlugRelatedField(slug_field="username", read_only=True)


class PaymentSerializer(serializers.ModelSerializer[EmergencyPayment]):
    requested_by = _person()
    authorised_by = _person()
    rejected_by = _person()
    paid_by = _person()
    reconciled_by = _person()
    unconfirmed_bank_changes = serializers.SerializerMethodField()

    class Meta:
        model = EmergencyPayment
        fields = [
            "id",
            "number",
            "payee_type",
            "payee_reference",
            "payee_name",
            "amount",
            "method",
            "reason",
            "state",
            "requested_by",
            "requested_at",
            "not_duplicate_confirmed",
            "possible_duplicate_of",
            "authorised_by",
            "authorised_at",
            "rejected_by",
            "rejected_at",
            "rejection_reason",
            "paid_by",
            "paid_at",
            "reconciled_by",
            "reconciled_at",
            "finance_reference",
            "unconfirmed_bank_changes",
            "version",
        ]

    def get_unconfirmed_bank_changes(self, obj: EmergencyPayment) -> list[int]:
        """Bank-detail changes to this payee, recorded before the payment, that are not confirmed."""
        return [c.pk for c in getattr(obj, "bank_warnings", [])]


class PaymentCreateSerializer(serializers.Serializer[Any]):
    payee_type = serializers.ChoiceField(choices=PayeeType.choices)
    payee_reference = serializers.CharField(max_length=100)
    payee_name = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01"), error_messages=MONEY_ERRORS
    )
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    reason = serializers.CharField()
    confirm_not_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Send true after checking a likely duplicate (a 400 with `duplicate_of`) is not one.",
    )


class PaymentVersionSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(help_text="The version you last read; a stale version gets 409.")


class PaidSerializer(PaymentVersionSerializer):
    paid_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="When it was paid; defaults to now."
    )


class RejectSerializer(PaymentVersionSerializer):
    reason = serializers.CharField()


class ReconcileSerializer(PaymentVersionSerializer):
    finance_reference = serializers.CharField(max_length=100)


class BankChangeSerializer(serializers.ModelSerializer[BankDetailChange]):
    requested_by = _person()
    call_back_by = _person()
    confirmed_by = _person()
    rejected_by = _person()
    account_number = serializers.CharField(source="masked_account_number", read_only=True)

    class Meta:
        model = BankDetailChange
        fields = [
            "id",
            "number",
            "payee_reference",
            "payee_name",
            "sort_code",
            "account_number",
            "received_via",
            "notes",
            "state",
            "requested_by",
            "requested_at",
            "known_number_source",
            "known_number",
            "call_back_by",
            "call_back_at",
            "call_back_outcome",
            "call_back_notes",
            "confirmed_by",
            "confirmed_at",
            "rejected_by",
            "rejected_at",
            "rejection_reason",
            "version",
        ]


class BankChangeCreateSerializer(serializers.Serializer[Any]):
    payee_reference = serializers.CharField(max_length=100)
    payee_name = serializers.CharField(max_length=200)
    sort_code = serializers.CharField(help_text="6 digits; spaces and hyphens are ignored.")
    account_number = serializers.CharField(help_text="8 digits.")
    received_via = serializers.ChoiceField(choices=ReceivedVia.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class CallBackSerializer(PaymentVersionSerializer):
    known_number_source = serializers.ChoiceField(choices=KnownNumberSource.choices)
    known_number = serializers.CharField(max_length=40)
    number_held_before = serializers.BooleanField(
        help_text="True only if the number was held before the request arrived (not given in it)."
    )
    outcome = serializers.ChoiceField(choices=CallBackOutcome.choices)
    called_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
