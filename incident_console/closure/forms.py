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


class RetentionForm(forms.Form):
    retention_days = forms.IntegerField(
        label=_("Retention period (days)"),
        required=False,
        min_value=1,
        max_value=36500,
        help_text=_(
            "How long a real incident's records are kept after it closes. Leave empty for the "
            "default of six years (2192 days). Applies to incidents closed from now on."
        ),
        error_messages={
            "invalid": _("Enter a whole number of days."),
            "min_value": _("Enter a number of days between 1 and 36500."),
            "max_value": _("Enter a number of days between 1 and 36500."),
        },
    )
