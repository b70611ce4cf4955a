"""Input for a broadcast, with messages a person can act on."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MESSAGE_MAX_LENGTH, Audience


class BroadcastForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Who it goes to"),
        choices=Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who the message goes to.")},
    )
    cell = forms.ChoiceField(
        label=_("Cell"),
        required=False,
        help_text=_("Only for “One cell”."),
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Up to %(max)s characters. It goes by text message, personal email and in the console, "
            "so never put anything about the people the council serves in it: no names, case details "
            "or NHS numbers."
        )
        % {"max": MESSAGE_MAX_LENGTH},
        error_messages={
            "required": _("Enter the message."),
            "max_length": _(
                "The message must be %(limit_value)s characters or fewer: it goes by text message."
            ),
        },
    )
    no_personal_data = forms.BooleanField(
        label=_("This message says nothing about the people the council serves"),
        error_messages={
            "required": _("Confirm the message says nothing about the people the council serves.")
        },
    )

    def __init__(self, *args: Any, cells: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cell"].choices = [("", _("Choose a cell")), *cells]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("audience") == Audience.CELL and not data.get("cell"):
            self.add_error("cell", _("Choose the cell."))
        return data
