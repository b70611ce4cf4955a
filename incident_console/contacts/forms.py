"""Input validation for partner contacts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from incident_console.accounts.models import Council


class ContactForm(forms.Form):
    council = forms.ModelChoiceField(queryset=Council.objects.none(), label=_("Council"), empty_label=None)
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
    phone = forms.CharField(label=_("Phone (optional)"), max_length=40, required=False)
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        error_messages={"invalid": _("Enter an email address like name@example.org")},
    )
    is_spoc = forms.BooleanField(
        label=_("Single point of contact (SPOC) for their organisation"), required=False
    )

    def __init__(self, *args: Any, councils: list[Council], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # With one council to choose from there is nothing to ask.
        self.single_council = councils[0] if len(councils) == 1 else None
        if self.single_council is not None:
            del self.fields["council"]
            return
        field = self.fields["council"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Council.objects.filter(pk__in=[c.pk for c in councils])
