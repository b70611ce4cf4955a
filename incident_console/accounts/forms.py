"""Forms for sign-in steps and account recovery."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import User


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        error_messages={"required": _("Enter the code from your authenticator app.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class SetupCodeForm(CodeForm):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=10,
        help_text=_("Enter the 6-digit code the app shows for this console."),
        error_messages={"required": _("Enter the 6-digit code your authenticator app shows.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class ResetRequestForm(forms.Form):
    subject = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        error_messages={"required": _("Choose the person whose sign-in needs resetting.")},
    )
    reason = forms.CharField(
        label=_("Why they need a reset"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the person needs a reset, for example a lost phone.")},
    )
    how_identity_was_checked = forms.CharField(
        label=_("How you checked it is really them"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: called back on the mobile number held in the console and asked their staff number."
        ),
        error_messages={"required": _("Say how you checked the person's identity.")},
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["subject"]
        field.queryset = people  # type: ignore[attr-defined]
        field.label_from_instance = lambda u: f"{u.display_name} ({u.username})"  # type: ignore[attr-defined]


UK_MOBILE_HELP = _("A UK mobile number, for example 07700 900123. Reminders are sent to it by text.")


def normalise_uk_mobile(value: str) -> str:
    """07700 900123, +44 7700 900123 and 0044… all become 07700900123; anything else is refused."""
    digits = "".join(ch for ch in value if ch.isdigit() or ch == "+")
    if digits.startswith("+44"):
        digits = "0" + digits[3:]
    elif digits.startswith("0044"):
        digits = "0" + digits[4:]
    if len(digits) != 11 or not digits.startswith("07") or not digits.isdigit():
        raise forms.ValidationError(
            _("Enter a UK mobile number, like 07700 900123 or +44 7700 900123"), code="invalid"
        )
    return digits


class ContactDetailsForm(forms.Form):
    """Routes that work when council email and phones do not."""

    mobile_phone = forms.CharField(
        label=_("Mobile phone (optional)"), max_length=30, required=False, help_text=UK_MOBILE_HELP
    )
    personal_email = forms.EmailField(
        label=_("Personal email address (optional)"),
        required=False,
        help_text=_("Used for reminders only when council email is down or you have no work address."),
        error_messages={"invalid": _("Enter an email address in the right format, like name@example.com")},
    )

    def clean_mobile_phone(self) -> str:
        value = str(self.cleaned_data.get("mobile_phone") or "").strip()
        return normalise_uk_mobile(value) if value else ""
