"""Input for the recovery tracker and the external notifications log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from incident_console.accounts.models import Council, User
from incident_console.assessments.models import Assessment
from incident_console.command.forms import PersonChoiceField
from incident_console.incidents.forms import LondonDateTimeField
from incident_console.lib.choices import Service
from incident_console.lib.forms import DateField

from .models import USUAL_BODIES, AffectedSystem, Body, Method, RestorePriority, SystemKind, SystemState


class SystemForm(forms.Form):
    name = forms.CharField(
        label=_("System"),
        max_length=200,
        help_text=_("For example: social care case management (adults and children)."),
        error_messages={"required": _("Enter the name of the system.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of system"),
        choices=SystemKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of system.")},
    )
    services = forms.MultipleChoiceField(
        label=_("Services that depend on it"),
        choices=Service.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one service that depends on it.")},
    )
    shared_with = forms.ModelMultipleChoiceField(
        label=_("Connected councils that depend on it"),
        queryset=Council.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    state = forms.ChoiceField(
        label=_("State"),
        choices=SystemState.choices,
        initial=SystemState.UNAVAILABLE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the state of the system.")},
    )
    priority = forms.ChoiceField(
        label=_("Restore priority"),
        choices=RestorePriority.choices,
        initial=RestorePriority.MEDIUM,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "How much it matters to get it back (medium if you do not choose). The restore order is "
            "agreed separately."
        ),
    )
    owner = PersonChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    expected_on = DateField(
        label=_("Expected back on"),
        required=False,
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def clean_priority(self) -> str | None:
        return self.cleaned_data.get("priority") or RestorePriority.MEDIUM

    def __init__(
        self, *args: Any, people: QuerySet[User], councils: QuerySet[Council], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]
        if councils.exists():
            self.fields["shared_with"].queryset = councils  # type: ignore[attr-defined]
        else:
            del self.fields["shared_with"]


class EditSystemForm(SystemForm):
    def clean_priority(self) -> str | None:
        return self.cleaned_data.get("priority") or None  # not chosen: keep what it was

    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, system: AffectedSystem) -> dict[str, Any]:
        return {
            "name": system.name,
            "kind": system.kind,
            "services": system.services,
            "shared_with": list(system.shared_with.all()),
            "state": system.state,
            "priority": system.priority,
            "owner": system.owner,
            "expected_on": system.expected_on,
            "notes": system.notes,
            "version": system.version,
        }


class RestoreOrderForm(forms.Form):
    rationale = forms.CharField(
        label=_("Why this order"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Needed when a system serves several services or councils: the order decides between "
            "them, so it is recorded in the decision log."
        ),
    )

    def __init__(self, *args: Any, systems: list[AffectedSystem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.systems = systems
        for system in systems:
            self.fields[f"order_{system.pk}"] = forms.IntegerField(
                label=system.name,
                required=False,
                min_value=1,
                max_value=999,
                initial=system.restore_order,
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
                error_messages={
                    "invalid": _("Enter a whole number, for example 1."),
                    "min_value": _("Use whole numbers from 1."),
                    "max_value": _("Use whole numbers up to 999."),
                },
            )
            # The version of each system when the page was shown: a save after someone else's is a 409.
            self.fields[f"version_{system.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=system.version
            )
        self.order_fields(
            [*(f"order_{s.pk}" for s in systems), "rationale", *(f"version_{s.pk}" for s in systems)]
        )

    def order(self) -> dict[int, int | None]:
        return {s.pk: self.cleaned_data.get(f"order_{s.pk}") for s in self.systems}

    def versions(self) -> dict[int, int | None]:
        """The version of each system the page showed; None for a system added since then."""
        return {s.pk: self.cleaned_data.get(f"version_{s.pk}") for s in self.systems}

    def show_current(self, systems: list[AffectedSystem]) -> None:
        """After someone else saved the order first: keep what this person typed, say beside each
        system where it is now, and carry the current versions, so saving again after reviewing
        replaces the current order on purpose."""
        data = QueryDict(mutable=True)
        data.update(self.data)
        for system in systems:
            name = f"order_{system.pk}"
            if name not in self.fields:
                continue
            data[f"version_{system.pk}"] = str(system.version)
            # A bound field copies its help text when made, so set it there.
            self[name].help_text = (
                _("Saved order now: %(n)s") % {"n": system.restore_order}
                if system.restore_order
                else _("Saved order now: no place")
            )
        self.data = data


class AssessmentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.council.name})"


class ExternalNotificationForm(forms.Form):
    body = forms.ChoiceField(
        label=_("Who was told"),
        choices=Body.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who was told.")},
    )
    council_told = forms.ModelChoiceField(
        label=_("Connected council"),
        queryset=Council.objects.none(),
        required=False,
        help_text=_("Only when a connected council was told."),
    )
    name = forms.CharField(
        label=_("Name or team"),
        max_length=200,
        required=False,
        help_text=_("Who you spoke to, or who was told when it is someone else."),
    )
    notified_at = LondonDateTimeField(
        label=_("When they were told"),
        error_messages={"required": _("Enter when they were told.")},
    )
    told_by = PersonChoiceField(
        label=_("Told by"),
        queryset=User.objects.none(),
        error_messages={"required": _("Choose who told them.")},
    )
    method = forms.ChoiceField(
        label=_("How"),
        choices=Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how they were told.")},
    )
    reference = forms.CharField(label=_("Their reference"), max_length=100, required=False)
    assessment = AssessmentChoiceField(
        label=_("Data-loss assessment (ICO only)"),
        queryset=Assessment.objects.none(),
        required=False,
        empty_label=_("Not linked to an assessment"),
        help_text=_(
            "When you told the ICO, choose the assessment this report is for: the report and the ICO "
            "case reference are recorded on it too, and its 72-hour clock stops."
        ),
    )
    late_reason = forms.CharField(
        label=_("Reasons for reporting after 72 hours (ICO only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the linked assessment's report is more than 72 hours after awareness."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self,
        *args: Any,
        people: QuerySet[User],
        councils: QuerySet[Council],
        assessments: QuerySet[Assessment] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["told_by"].queryset = people  # type: ignore[attr-defined]
        self.fields["council_told"].queryset = councils  # type: ignore[attr-defined]
        if assessments is not None and assessments.exists():
            self.fields["assessment"].queryset = assessments  # type: ignore[attr-defined]
        else:
            del self.fields["assessment"]
            del self.fields["late_reason"]


class NotNeededForm(forms.Form):
    """That one of the usual bodies will not be told about this incident, and why."""

    body = forms.ChoiceField(
        label=_("Who does not need telling"),
        choices=[(b.value, b.label) for b in USUAL_BODIES],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who does not need telling.")},
    )
    reason = forms.CharField(
        label=_("Why they do not need telling"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: only adult social care is affected, so no schools or children's services; "
            "or the council has no cyber insurance."
        ),
        error_messages={"required": _("Say why they do not need telling about this incident.")},
    )
    decided_by = PersonChoiceField(
        label=_("Decided by"),
        queryset=User.objects.none(),
        error_messages={"required": _("Choose who decided.")},
    )
    decided_at = LondonDateTimeField(
        label=_("When it was decided"),
        required=False,
        help_text=_("Leave blank for now."),
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_by"].queryset = people  # type: ignore[attr-defined]
