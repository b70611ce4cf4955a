"""Input for priority cases."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from incident_console.accounts.models import User
from incident_console.command.forms import PersonChoiceField
from incident_console.incidents.forms import LondonDateTimeField

from .models import CaseService, CaseStatus, ContactResult, PriorityCase, RiskLevel


class CaseForm(forms.Form):
    reference = forms.CharField(
        label=_("Local case reference"),
        max_length=100,
        help_text=_("The reference on the paper file or in the case management system."),
        error_messages={"required": _("Enter the local case reference.")},
    )
    service = forms.ChoiceField(
        label=_("Service"),
        choices=CaseService.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose adult or children's social care.")},
    )
    why_at_risk = forms.CharField(
        label=_("Why at risk"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: child on a child protection plan, family moved address last week."),
        error_messages={"required": _("Say why this case is at risk.")},
    )
    risk_level = forms.ChoiceField(
        label=_("Risk level"),
        choices=[("", _("Not set")), *RiskLevel.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    owner = PersonChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        help_text=_("Only people who may see priority cases are listed."),
        error_messages={"required": _("Choose who owns this case.")},
    )
    next_contact_due = LondonDateTimeField(
        label=_("Next contact due"),
        help_text=_("UK time, for example 08/12/2026 10:00."),
        error_messages={"required": _("Enter when the case must next be contacted.")},
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]


class EditCaseForm(CaseForm):
    next_contact_due = LondonDateTimeField(
        label=_("Next contact due"),
        required=False,
        help_text=_("UK time, for example 08/12/2026 10:00. Needed while the case is open."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=CaseStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the status of the case.")},
    )
    closed_reason = forms.CharField(
        label=_("Reason for closing"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the case is closed."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, case: PriorityCase) -> dict[str, Any]:
        return {
            "reference": case.reference,
            "service": case.service,
            "why_at_risk": case.why_at_risk,
            "risk_level": case.risk_level,
            "owner": case.owner,
            "next_contact_due": case.next_contact_due,
            "notes": case.notes,
            "status": case.status,
            "closed_reason": case.closed_reason,
            "version": case.version,
        }


class ContactForm(forms.Form):
    contacted_at = LondonDateTimeField(
        label=_("When the contact was made"),
        help_text=_("UK time, for example 07/12/2026 09:30."),
        error_messages={"required": _("Enter when the contact was made.")},
    )
    contacted_by = PersonChoiceField(
        label=_("Who made the contact"),
        queryset=User.objects.none(),
        error_messages={"required": _("Choose who made the contact.")},
    )
    result = forms.ChoiceField(
        label=_("Result"),
        choices=ContactResult.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the person was safe or a concern was escalated.")},
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what happened when you made contact.")},
    )
    next_contact_due = LondonDateTimeField(
        label=_("Next contact due"),
        help_text=_("UK time, for example 08/12/2026 10:00."),
        error_messages={"required": _("Enter when the case must next be contacted.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contacted_by"].queryset = people  # type: ignore[attr-defined]
