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
