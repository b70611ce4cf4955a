"""Input validation for the key contacts register. The service checks phones and emails (UK
formats) once for the form, the CSV import and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from incident_console.accounts.models import Council
from incident_console.incidents.models import Incident
from incident_console.lib.choices import ContactCategory

from .models import SENSITIVE_CATEGORIES


class ContactForm(forms.Form):
    council = forms.ModelChoiceField(queryset=Council.objects.none(), label=_("Council"), empty_label=None)
    category = forms.ChoiceField(
        label=_("Category"),
        choices=ContactCategory.choices,
        initial=ContactCategory.PROVIDERS_PARTNERS,
        required=False,
        help_text=_("Providers and partners when left unchosen."),
    )
    incident = forms.ModelChoiceField(
        queryset=Incident.objects.none(),
        label=_("Added for one incident"),
        required=False,
        empty_label=_("No: council-wide register"),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        error_messages={"required": _("Enter the organisation, for example Northgate Police.")},
    )
    role = forms.CharField(
        label=_("Role"), max_length=200, error_messages={"required": _("Enter their role.")}
    )
    name = forms.CharField(
        label=_("Name"), max_length=200, error_messages={"required": _("Enter their name.")}
    )
    phone = forms.CharField(label=_("Primary phone"), max_length=40, required=False)
    out_of_band_phone = forms.CharField(
        label=_("Out-of-band phone"),
        help_text=_("A personal mobile or another number that works when council phones are down."),
        max_length=40,
        required=False,
    )
    email = forms.CharField(label=_("Work email"), max_length=254, required=False)
    personal_email = forms.CharField(label=_("Personal email"), max_length=254, required=False)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea)
    is_spoc = forms.BooleanField(
        label=_("Single point of contact (SPOC)"),
        help_text=_(
            "For a staff contact: the council's own SPOC that partners call. "
            "For anyone else: the named contact at their organisation."
        ),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        councils: list[Council],
        sensitive_council_ids: set[int],
        admin_council_ids: set[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sensitive_council_ids = sensitive_council_ids
        self.admin_council_ids = admin_council_ids
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        if not sensitive_council_ids:
            category.choices = [c for c in ContactCategory.choices if c[0] not in SENSITIVE_CATEGORIES]
        elif not admin_council_ids:
            category.choices = [c for c in ContactCategory.choices if c[0] in SENSITIVE_CATEGORIES]
        incident = self.fields["incident"]
        assert isinstance(incident, forms.ModelChoiceField)
        incident.queryset = Incident.objects.filter(council__in=councils).exclude(status="closed")
        # With one council to choose from there is nothing to ask.
        self.single_council = councils[0] if len(councils) == 1 else None
        if self.single_council is not None:
            del self.fields["council"]
            return
        field = self.fields["council"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Council.objects.filter(pk__in=[c.pk for c in councils])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        council = data.get("council") or self.single_council
        category = data.get("category") or ContactCategory.PROVIDERS_PARTNERS
        if not self.admin_council_ids and "category" not in self.errors:
            category = ContactCategory.VULNERABLE_FAMILIES
        data["category"] = category
        if council is not None and category:
            allowed = (
                self.sensitive_council_ids if category in SENSITIVE_CATEGORIES else self.admin_council_ids
            )
            if council.pk not in allowed:
                self.add_error("category", _("You cannot add contacts of this category for this council."))
        incident = data.get("incident")
        if incident is not None and council is not None and incident.council_id != council.pk:
            self.add_error("incident", _("Choose an incident of this council."))
        return data


class EditContactForm(forms.Form):
    organisation = ContactForm.base_fields["organisation"]
    role = ContactForm.base_fields["role"]
    name = ContactForm.base_fields["name"]
    phone = ContactForm.base_fields["phone"]
    out_of_band_phone = ContactForm.base_fields["out_of_band_phone"]
    email = ContactForm.base_fields["email"]
    personal_email = ContactForm.base_fields["personal_email"]
    address = ContactForm.base_fields["address"]
    notes = ContactForm.base_fields["notes"]
    is_spoc = ContactForm.base_fields["is_spoc"]
    version = forms.IntegerField(widget=forms.HiddenInput)


class ImportForm(forms.Form):
    council = forms.ModelChoiceField(queryset=Council.objects.none(), label=_("Council"), empty_label=None)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "The same columns as the export: its incident, verified_at and verified_by columns are "
            "accepted and ignored. Nothing is imported if any row has a problem."
        ),
        error_messages={"required": _("Choose a CSV file.")},
    )

    def __init__(self, *args: Any, councils: list[Council], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.single_council = councils[0] if len(councils) == 1 else None
        if self.single_council is not None:
            del self.fields["council"]
            return
        field = self.fields["council"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Council.objects.filter(pk__in=[c.pk for c in councils])
