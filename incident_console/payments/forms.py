"""Input for emergency payments and bank-detail changes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from incident_console.incidents.forms import LondonDateTimeField

from .models import CallBackOutcome, KnownNumberSource, PayeeType, PaymentMethod, ReceivedVia


class MoneyField(forms.DecimalField):
    """Pounds and pence: accepts "£1,250.00" as well as "1250"."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_digits=12,
            decimal_places=2,
            min_value=Decimal("0.01"),
            error_messages={
                "required": _("Enter the amount."),
                "invalid": _("Enter the amount in pounds and pence, like 250.00"),
                "min_value": _("Enter an amount more than £0.00"),
                "max_decimal_places": _("Enter the amount to the nearest penny, like 250.50"),
                "max_digits": _("Enter an amount less than £10,000,000,000"),
                "max_whole_digits": _("Enter an amount less than £10,000,000,000"),
            },
            **kwargs,
        )

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", "").removeprefix("£").strip()
        return super().to_python(value)


class PaymentForm(forms.Form):
    payee_type = forms.ChoiceField(
        label=_("Who is being paid"),
        choices=PayeeType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who is being paid.")},
    )
    payee_reference = forms.CharField(
        label=_("Payee reference"),
        max_length=100,
        help_text=_("The provider, supplier or person number from the paper records."),
        error_messages={"required": _("Enter the payee reference.")},
    )
    payee_name = forms.CharField(
        label=_("Payee name"), max_length=200, error_messages={"required": _("Enter the payee's name.")}
    )
    amount = MoneyField(label=_("Amount in pounds"), help_text=_("For example 250.00"))
    method = forms.ChoiceField(
        label=_("How it is paid"),
        choices=PaymentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how it is paid.")},
    )
    reason = forms.CharField(
        label=_("Why it is needed now"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the payment is needed now.")},
    )
    confirm_not_duplicate = forms.BooleanField(
        label=_("I have checked this is not a duplicate"), required=False
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PaidForm(VersionForm):
    paid_at = LondonDateTimeField(
        label=_("When it was paid"), required=False, help_text=_("Leave empty if it was paid just now.")
    )


class RejectForm(VersionForm):
    reason = forms.CharField(
        label=_("Why it is rejected"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why it is rejected.")},
    )


class ReconcileForm(VersionForm):
    finance_reference = forms.CharField(
        label=_("Finance system reference"),
        max_length=100,
        error_messages={"required": _("Enter the finance system reference.")},
    )


class BankChangeForm(forms.Form):
    payee_reference = forms.CharField(
        label=_("Payee reference"),
        max_length=100,
        error_messages={"required": _("Enter the payee reference.")},
    )
    payee_name = forms.CharField(
        label=_("Payee name"), max_length=200, error_messages={"required": _("Enter the payee's name.")}
    )
    sort_code = forms.CharField(
        label=_("New sort code"),
        help_text=_("6 digits, like 30-94-57"),
        error_messages={"required": _("Enter the new sort code.")},
    )
    account_number = forms.CharField(
        label=_("New account number"),
        help_text=_("8 digits"),
        error_messages={"required": _("Enter the new account number.")},
    )
    received_via = forms.ChoiceField(
        label=_("How the request arrived"),
        choices=ReceivedVia.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the request arrived.")},
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CallBackForm(VersionForm):
    known_number_source = forms.ChoiceField(
        label=_("Where the number you called came from"),
        choices=KnownNumberSource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where the number you called came from.")},
    )
    known_number = forms.CharField(
        label=_("Number you called"),
        max_length=40,
        error_messages={"required": _("Enter the number you called.")},
    )
    number_held_before = forms.BooleanField(
        label=_("This number was held before the request arrived: it was not given in the request"),
        required=False,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome of the call-back"),
        choices=CallBackOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the call-back confirmed the change.")},
    )
    called_at = LondonDateTimeField(
        label=_("When you called"), required=False, help_text=_("Leave empty for now.")
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
