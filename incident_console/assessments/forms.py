"""Assessment forms. Shapes and types are checked here; the rules (ranges, reasons, who records
what) are the service's, and its errors land on the fields through `add_service_errors`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from incident_console.accounts.models import Council
from incident_console.incidents.forms import LondonDateTimeField

from .models import (
    CONTENT_FIELDS,
    Article34Exception,
    DataCategory,
    Exfiltration,
    Nature,
    PeopleCategory,
    ReportDecision,
    SignOffOutcome,
    SignOffRole,
    TellPeople,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SCORES = [(n, str(n)) for n in range(1, 6)]


def _score_field(label: StrOrPromise, hint: StrOrPromise) -> forms.IntegerField:
    # The range is the service's rule, so its message joins the others on one submit.
    return forms.IntegerField(
        label=label,
        help_text=hint,
        widget=forms.RadioSelect(choices=SCORES),
        error_messages={
            "required": _("Choose from 1 to 5."),
            "invalid": _("Choose a whole number from 1 to 5."),
        },
    )


def _count_field(label: StrOrPromise) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"invalid": _("Enter a whole number, for example 1200.")},
    )


def _text(label: StrOrPromise, hint: StrOrPromise = "") -> forms.CharField:
    return forms.CharField(
        label=label, help_text=hint, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssessmentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_('What the assessment covers, for example "Case management servers".'),
        error_messages={"required": _("Give the assessment a title.")},
    )
    council = forms.TypedChoiceField(
        label=_("Controller council"),
        help_text=_("Each council is the controller of its own data and makes its own assessment."),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whose data this assessment is about.")},
    )
    change_note = forms.CharField(label=_("What changed in this version"), max_length=300, required=False)
    nature = forms.MultipleChoiceField(
        label=_("Nature of the breach"),
        help_text=_(
            "Choose all that apply. Ransomware that makes data unavailable is a breach of availability."
        ),
        choices=Nature.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one: confidentiality, integrity or availability.")},
    )
    systems_affected = _text(_("Systems affected"))
    data_sets = _text(_("Data sets affected"))
    data_categories = forms.MultipleChoiceField(
        label=_("Categories of personal data"),
        choices=DataCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people_categories = forms.MultipleChoiceField(
        label=_("Categories of people"),
        choices=PeopleCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people_affected = _count_field(_("Approximate number of people"))
    records_affected = _count_field(_("Approximate number of records"))
    exfiltration = forms.ChoiceField(
        label=_("Has data been taken?"),
        help_text=_("Assume it has been stolen until shown otherwise."),
        choices=Exfiltration.choices,
        initial=Exfiltration.ASSUMED,
        widget=forms.RadioSelect,
    )
    likelihood = _score_field(_("Likelihood of harm to people"), _("1 is very unlikely, 5 almost certain."))
    severity = _score_field(_("Severity of harm to people"), _("1 is minimal, 5 is catastrophic."))
    consequences = _text(_("Likely consequences for people"))
    measures_taken = _text(_("Measures taken"))
    measures_proposed = _text(_("Measures proposed"))
    dpo_advice = forms.ChoiceField(
        label=_("DPO's advice on reporting to the ICO"),
        help_text=_("Recorded by the data protection officer."),
        choices=ReportDecision.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    report_decision = forms.ChoiceField(
        label=_("Decision on reporting to the ICO"),
        help_text=_("Recorded by the SIRO for the council, the controller."),
        choices=ReportDecision.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    decision_reason = _text(
        _("Reasons for the decision"),
        _("Needed when deciding not to report, or when the decision differs from the DPO's advice."),
    )
    tell_people = forms.ChoiceField(
        label=_("Telling the people affected (Article 34)"),
        choices=TellPeople.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    tell_people_exception = forms.ChoiceField(
        label=_("Exception relied on for not telling them"),
        choices=Article34Exception.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    tell_people_reason = _text(_("Reasons for not telling them"))
    ico_reference = forms.CharField(label=_("ICO case reference"), max_length=50, required=False)
    ico_reported_at = LondonDateTimeField(label=_("Reported to the ICO at (UK time)"), required=False)
    late_reason = _text(_("Reasons for reporting after 72 hours"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, councils: list[Council], editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].choices = [(c.pk, c.name) for c in councils]  # type: ignore[attr-defined]
        if len(councils) == 1 and not self.is_bound:
            self.initial.setdefault("council", councils[0].pk)
        if editing:
            del self.fields["council"]
        else:
            del self.fields["change_note"]
            del self.fields["version"]

    def content(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data.get(name) if data.get(name) is not None else "" for name in CONTENT_FIELDS} | {
            "people_affected": data.get("people_affected"),
            "records_affected": data.get("records_affected"),
            "ico_reported_at": data.get("ico_reported_at"),
        }


class SignOffForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Signing as"), widget=forms.RadioSelect, error_messages={"required": _("Choose your role.")}
    )
    statement = forms.CharField(
        label=_("Statement"),
        help_text=_("What you are signing off, or your comments if you return it."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write your statement or comments.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(SignOffRole.choices)
        self.fields["role"].choices = [(r, labels[r]) for r in roles]  # type: ignore[attr-defined]
        if len(roles) == 1 and not self.is_bound:
            self.initial["role"] = roles[0]


OUTCOMES = {SignOffOutcome.SIGNED.value, SignOffOutcome.RETURNED.value}


class AwarenessForm(forms.Form):
    council = forms.TypedChoiceField(
        label=_("Connected council"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the council you told.")},
    )
    told_at = LondonDateTimeField(
        label=_("When we told them (UK time)"), error_messages={"required": _("Enter when you told them.")}
    )
    aware_at = LondonDateTimeField(
        label=_("When they became aware (UK time)"),
        required=False,
        help_text=_("Leave blank if they first heard when we told them. Their 72 hours run from this time."),
    )

    def __init__(self, *args: Any, councils: list[Council], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].choices = [(c.pk, c.name) for c in councils]  # type: ignore[attr-defined]
