"""Input for the purge and reset pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say why.")},
        help_text=_("This is kept in the purge record, with your name and the time."),
    )
    confirm_reference = forms.CharField(
        label=_("Type the incident reference to confirm"),
        max_length=30,
        error_messages={"required": _("Type the incident reference to confirm.")},
    )

    def __init__(self, *args: object, reference: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.reference = reference

    def clean_confirm_reference(self) -> str:
        value = str(self.cleaned_data["confirm_reference"]).strip()
        if value.upper() != self.reference.upper():
            raise forms.ValidationError(_("Type the incident reference exactly as shown."))
        return value
