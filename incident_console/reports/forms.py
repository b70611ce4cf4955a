"""Input validation for the sitrep, communications and distribution pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from incident_console.contacts.models import PartnerContact
from incident_console.incidents.forms import LondonDateTimeField

from .models import Audience

INTERNAL = _("Internal: never shown to partners.")
PARTNER = _("Partner-facing: goes to partners once Gold approves. No personal data.")


class SitrepForm(forms.Form):
    headline = forms.CharField(
        label=_("Headline situation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter the headline situation.")},
        help_text=INTERNAL,
    )
    impact = forms.CharField(
        label=_("Impact on services and cells"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=INTERNAL,
    )
    risks_issues = forms.CharField(
        label=_("Risks and issues"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Internal. Open risks from the risk register are added automatically."),
    )
    partner_headline = forms.CharField(
        label=_("Headline for partners"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PARTNER,
    )
    requests_of_partners = forms.CharField(
        label=_("Requests of partners"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PARTNER,
    )
    next_sitrep_at = LondonDateTimeField(
        label=_("Next sitrep (optional)"), required=False, help_text=_("UK time.")
    )

    def __init__(self, *args: Any, amendment: bool = False, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if amendment:
            self.fields["amendment_reason"] = forms.CharField(
                label=_("What this amendment changes and why"),
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": _("Say what the amendment changes and why.")},
                help_text=INTERNAL,
            )
        if editing:
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)


class CommsForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Audience"),
        choices=Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who the communication was for.")},
    )
    channel = forms.CharField(
        label=_("Channel"),
        max_length=120,
        error_messages={
            "required": _("Enter the channel, for example council website or staff text message.")
        },
    )
    content = forms.CharField(
        label=_("Content"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Enter what was said.")},
    )
    approved_by = forms.CharField(
        label=_("Approved by"),
        max_length=200,
        error_messages={"required": _("Enter who approved it.")},
    )
    sent_at = LondonDateTimeField(
        label=_("Sent at"), help_text=_("UK time."), error_messages={"required": _("Enter when it was sent.")}
    )


class ContactChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.organisation}: {obj.name}, {obj.role}"


class DistributionForm(forms.Form):
    contact = ContactChoiceField(
        label=_("Single point of contact"),
        queryset=PartnerContact.objects.none(),
        required=False,
        empty_label=_("Someone else (enter below)"),
        help_text=_("SPOCs from the council's partner contacts."),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("Not needed when you choose a SPOC."),
    )
    recipient = forms.CharField(label=_("Person or role"), max_length=200, required=False)
    variant = forms.ChoiceField(
        label=_("Version sent"),
        choices=[("partner", _("Partner briefing")), ("full", _("Full sitrep (internal)"))],
        initial="partner",
        widget=forms.RadioSelect,
    )
    sent_at = LondonDateTimeField(
        label=_("Sent at"), help_text=_("UK time."), error_messages={"required": _("Enter when it was sent.")}
    )

    def __init__(self, *args: Any, contacts: QuerySet[PartnerContact] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contact"]
        assert isinstance(field, forms.ModelChoiceField)
        if contacts is not None:
            field.queryset = contacts

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("contact"):
            if not (data.get("organisation") or "").strip():
                self.add_error("organisation", _("Choose a SPOC, or enter the organisation."))
            if not (data.get("recipient") or "").strip():
                self.add_error("recipient", _("Choose a SPOC, or enter who received it."))
        return data
