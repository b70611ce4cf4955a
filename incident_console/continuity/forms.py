"""Input for manual records, their reconciliation and Gold's closure decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from incident_console.incidents.forms import LondonDateTimeField

from .models import Activity, ManualService
from .selectors import STATE_FILTERS


class ManualRecordForm(forms.Form):
    service = forms.ChoiceField(
        label=_("Service"),
        choices=ManualService.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose adult social care or children's social care.")},
    )
    case_reference = forms.CharField(
        label=_("Local case reference"),
        max_length=100,
        help_text=_("The reference on the paper form or in the team's paper diary."),
        error_messages={
            "required": _("Enter the local case reference."),
            "max_length": _("The case reference must be 100 characters or fewer."),
        },
    )
    activity = forms.ChoiceField(
        label=_("What was done"),
        choices=Activity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what was done.")},
    )
    happened_at = LondonDateTimeField(
        label=_("When it happened"),
        help_text=_("UK time, for example 03/11/2026 14:30."),
        error_messages={"required": _("Enter when it happened.")},
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was done and anything the person entering it into the system must know."),
        error_messages={"required": _("Enter a summary of what was done.")},
    )
    attachment = forms.FileField(
        label=_("Photo or scan of the paper form"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
        error_messages={"invalid": _("The file could not be read. Choose the photo or scan again.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachment"].help_text = _(
            "Optional. A JPEG or PNG photo, or a PDF scan, smaller than %(limit)s."
        ) % {"limit": filesizeformat(settings.MANUAL_RECORD_MAX_UPLOAD_BYTES)}


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("unreconciled", _("Not yet reconciled")),
            ("pending", _("Waiting to be entered")),
            ("entered", _("Entered, waiting to be verified")),
            ("verified", _("Verified")),
            ("all", _("All records")),
        ],
    )
    service = forms.ChoiceField(
        label=_("Service"), required=False, choices=[("", _("Both services")), *ManualService.choices]
    )

    def values(self) -> tuple[str, str]:
        if not self.is_valid():
            return "unreconciled", ""
        state = self.cleaned_data.get("state") or "unreconciled"
        return (state if state in STATE_FILTERS else "unreconciled"), self.cleaned_data.get("service") or ""


class EnterForm(forms.Form):
    prefix = "enter"  # three forms share the record page
    system_reference = forms.CharField(
        label=_("Reference in the restored system"),
        max_length=100,
        help_text=_("The case or activity reference the restored system gave the entry."),
        error_messages={
            "required": _("Enter the reference the restored system gave it."),
            "max_length": _("The reference must be 100 characters or fewer."),
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class VerifyForm(forms.Form):
    prefix = "verify"
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReturnForm(forms.Form):
    prefix = "return"
    reason = forms.CharField(
        label=_("What is wrong with the entry"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what is wrong with the entry, so it can be put right.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CloseOverrideForm(forms.Form):
    rationale = forms.CharField(
        label=_("Why the incident may close before these records are reconciled"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("This is recorded in the decision log as your decision."),
        error_messages={"required": _("Say why the incident may close before these are reconciled.")},
    )
