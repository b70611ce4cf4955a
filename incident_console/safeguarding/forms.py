"""Input for safeguarding critical timings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from incident_console.accounts.models import User
from incident_console.command.forms import PersonChoiceField
from incident_console.incidents.forms import LondonDateTimeField

from .models import Deadline, DeadlineStatus, Kind, Region, TimingPolicy, TimingRule, Unit

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATE_INVALID = _("Enter a date, for example 27/11/2026")


def _date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=DATE_FORMATS,
        error_messages={"invalid": DATE_INVALID},
        **kwargs,
    )


class DeadlineForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of item"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of item.")},
    )
    case_reference = forms.CharField(
        label=_("Local case reference"),
        max_length=50,
        help_text=_("The reference on the paper file. Do not enter names."),
        error_messages={"required": _("Enter the local case reference.")},
    )
    start_date = _date_field(
        _("Date the clock started"),
        required=False,
        help_text=_(
            "For example the date the referral was received or of the strategy discussion. "
            "Not needed for a court deadline."
        ),
    )
    due_on = _date_field(
        _("Due date"),
        required=False,
        help_text=_(
            "For a court deadline, the date the court set. Otherwise leave empty to use the "
            "council's timescale, or enter a different date and say why."
        ),
    )
    override_reason = forms.CharField(
        label=_("Why the due date differs from the timescale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    owner = PersonChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]


class EditDeadlineForm(DeadlineForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, deadline: Deadline) -> dict[str, Any]:
        from incident_console.lib.time import london

        return {
            "kind": deadline.kind,
            "case_reference": deadline.case_reference,
            "start_date": deadline.start_date,
            "due_on": london(deadline.due_at).date() if deadline.computed_due_at != deadline.due_at else None,
            "override_reason": deadline.override_reason,
            "owner": deadline.owner,
            "note": deadline.note,
            "version": deadline.version,
        }


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (s.value, s.label) for s in (DeadlineStatus.MET, DeadlineStatus.MISSED, DeadlineStatus.NOT_NEEDED)
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose met, missed or not needed.")},
    )
    completed_at = LondonDateTimeField(
        label=_("When it was done"),
        required=False,
        help_text=_("Leave empty for now. For example 03/11/2026 14:30"),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class RuleForm(forms.Form):
    amount = forms.IntegerField(
        label=_("How many"),
        required=False,
        min_value=1,
        max_value=520,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        help_text=_("Leave empty for a court deadline."),
        error_messages={
            "invalid": _("Enter a whole number, for example 15."),
            "min_value": _("Enter a whole number of 1 or more."),
            "max_value": _("Enter a number up to 520."),
        },
    )
    unit = forms.ChoiceField(
        label=_("Counted in"),
        choices=Unit.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the time is counted.")},
    )
    start_label = forms.CharField(
        label=_("The clock starts at"),
        max_length=100,
        help_text=_("For example: referral received, strategy discussion."),
        error_messages={"required": _("Say what starts the clock, for example referral received.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, rule: TimingRule) -> dict[str, Any]:
        return {
            "amount": rule.amount,
            "unit": rule.unit,
            "start_label": rule.start_label,
            "version": rule.version,
        }


class PolicyForm(forms.Form):
    region = forms.ChoiceField(
        label=_("Bank holidays of"),
        choices=Region.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose England or Wales.")},
    )
    due_time = forms.TimeField(
        label=_("Items fall due at"),
        input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
        help_text=_("UK time, 24-hour clock, for example 17:00"),
        error_messages={
            "required": _("Enter a time, for example 17:00"),
            "invalid": _("Enter a time, for example 17:00"),
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, policy: TimingPolicy) -> dict[str, Any]:
        return {"region": policy.region, "due_time": policy.due_time, "version": policy.version}
