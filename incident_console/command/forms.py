"""Input validation for the command pages, with messages a person can act on."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from incident_console.accounts.models import Council, User
from incident_console.incidents.forms import LondonDateTimeField
from incident_console.lib.choices import Cell, Tier
from incident_console.lib.forms import DateField

from .models import RhythmKind, RiskStatus

OTHER_CELL = "__other__"
SCORES = [(n, str(n)) for n in range(1, 6)]
WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        person: User = obj
        return f"{person.display_name} ({person.job_title})" if person.job_title else person.display_name


class AssignForm(forms.Form):
    user = PersonChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        error_messages={"required": _("Choose who takes on the role.")},
    )
    tier = forms.ChoiceField(
        label=_("Tier"),
        choices=Tier.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose Gold, Silver or Bronze.")},
    )
    cell = forms.ChoiceField(
        label=_("Cell"),
        required=False,
        help_text=_(
            "Leave blank for the Gold commander. A cell at Gold makes this person that cell's "
            "representative at Gold."
        ),
    )
    other_cell = forms.CharField(
        label=_("Name of another cell"),
        required=False,
        max_length=60,
        help_text=_("Only if you chose 'Another cell', for example Housing or Schools."),
    )
    is_deputy = forms.BooleanField(label=_("As deputy"), required=False)
    council = forms.ModelChoiceField(
        label=_("Council whose command structure this is"), queryset=Council.objects.none(), required=False
    )
    situation = forms.CharField(
        label=_("Handover: the situation now"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "When the role changes hands a handover is written for the incoming person, with the open "
            "actions and open risks listed automatically."
        ),
    )
    decisions_pending = forms.CharField(
        label=_("Handover: decisions pending"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    expected = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        people: QuerySet[User],
        councils: QuerySet[Council],
        cells: list[str],
        own_role: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if own_role:  # the holder hands over their own role: only who takes it over, and the handover
            for name in ("tier", "cell", "other_cell", "is_deputy", "council"):
                del self.fields[name]
        self.fields["user"].queryset = people  # type: ignore[attr-defined]
        if "cell" in self.fields:
            choices: list[tuple[str, Any]] = [("", _("No cell (Gold commander)")), *Cell.choices]
            choices += [(c, c) for c in cells if c not in Cell.values]
            choices.append((OTHER_CELL, _("Another cell")))
            self.fields["cell"].choices = choices  # type: ignore[attr-defined]
        if "council" in self.fields and councils.count() > 1:
            self.fields["council"].queryset = councils  # type: ignore[attr-defined]
        elif "council" in self.fields:
            del self.fields["council"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("cell") == OTHER_CELL:
            other = (data.get("other_cell") or "").strip()
            if not other:
                self.add_error("other_cell", _("Enter the name of the cell."))
            data["cell"] = other
        return data


class DecisionForm(forms.Form):
    decision = forms.CharField(
        label=_("Decision"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the decision.")},
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why this option: the information, risks, powers and policies weighed."),
        error_messages={"required": _("Enter the rationale for the decision.")},
    )
    decision_maker = PersonChoiceField(
        label=_("Decision maker"),
        queryset=User.objects.none(),
        error_messages={"required": _("Choose who made the decision.")},
        help_text=_("If you are recording for someone else as loggist, choose them here."),
    )
    maker_role = forms.CharField(
        label=_("Their role"),
        required=False,
        max_length=120,
        help_text=_("Leave blank to use the command roles they hold now."),
    )
    decided_at = LondonDateTimeField(
        label=_("Time of the decision"),
        help_text=_("UK time."),
        error_messages={"required": _("Enter when the decision was made.")},
    )
    options_considered = forms.CharField(
        label=_("Options considered and rejected"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    information = forms.CharField(
        label=_("Information relied on"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    risks = forms.CharField(label=_("Risks"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    review_by = LondonDateTimeField(label=_("Review by"), required=False, help_text=_("UK time."))
    informed = forms.CharField(
        label=_("Who was told"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision_maker"].queryset = people  # type: ignore[attr-defined]


class RiskForm(forms.Form):
    title = forms.CharField(
        label=_("Risk"),
        max_length=300,
        error_messages={"required": _("Describe the risk.")},
        help_text=_("What could happen, and what it would do to people or services."),
    )
    owner = PersonChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    likelihood = forms.TypedChoiceField(
        label=_("Likelihood (1 rare to 5 almost certain)"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a likelihood from 1 to 5.")},
    )
    impact = forms.TypedChoiceField(
        label=_("Impact (1 minimal to 5 severe)"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose an impact from 1 to 5.")},
    )
    mitigations = forms.CharField(
        label=_("Mitigations"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    review_on = DateField(
        label=_("Review date"),
        required=False,
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]


class EditRiskForm(RiskForm):
    status = forms.ChoiceField(label=_("Status"), choices=RiskStatus.choices, widget=forms.RadioSelect)
    version = forms.IntegerField(widget=forms.HiddenInput)


class RhythmForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=RhythmKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of meeting or deadline this is.")},
    )
    title = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": _("Enter a name, for example Silver meeting.")},
    )
    times = forms.CharField(
        label=_("Times"),
        help_text=_("UK time, HH:MM, separated by commas, for example 08:30, 16:30."),
        error_messages={"required": _("Enter at least one time.")},
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for every day."),
    )

    def clean_times(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["times"].split(",") if t.strip()]
