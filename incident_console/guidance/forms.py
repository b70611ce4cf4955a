"""Input validation for checklist pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from incident_console.accounts.models import User
from incident_console.incidents.forms import LondonDateTimeField

from .models import Checklist, GuidanceModule, ItemStatus


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class ItemUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices, widget=forms.RadioSelect)
    not_applicable_reason = forms.CharField(
        label=_("Why it does not apply"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the status is 'Not applicable'."),
    )
    owner = PersonChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label=_("Nobody")
    )
    due_at = LondonDateTimeField(label=_("Due"), required=False, help_text=_("UK time."))
    note = forms.CharField(
        label=_("Add a progress note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Notes are added to the item's record; earlier notes are kept."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("status") == ItemStatus.NOT_APPLICABLE
            and not (data.get("not_applicable_reason") or "").strip()
        ):
            self.add_error("not_applicable_reason", _("Say why this action does not apply."))
        return data


class QuickStatusForm(forms.Form):
    """The one-click status change on the checklist task list."""

    status = forms.ChoiceField(
        choices=[(ItemStatus.DONE, ""), (ItemStatus.NOT_STARTED, ""), (ItemStatus.IN_PROGRESS, "")]
    )
    version = forms.IntegerField()


class AddItemForm(forms.Form):
    checklist = forms.ModelChoiceField(
        label=_("Checklist"),
        queryset=Checklist.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose the checklist to add the action to.")},
    )
    title = forms.CharField(
        label=_("Action"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the action.")},
    )
    owner = PersonChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label=_("Nobody")
    )
    due_at = LondonDateTimeField(label=_("Due"), required=False, help_text=_("UK time."))

    def __init__(
        self, *args: Any, checklists: QuerySet[Checklist], people: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checklist"].queryset = checklists  # type: ignore[attr-defined]
        self.fields["checklist"].label_from_instance = lambda c: c.module.title  # type: ignore[attr-defined]
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]


class ApplyModuleForm(forms.Form):
    module = forms.ModelChoiceField(
        label=_("Guidance module"),
        queryset=GuidanceModule.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose a guidance module to apply.")},
    )

    def __init__(self, *args: Any, modules: QuerySet[GuidanceModule], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules  # type: ignore[attr-defined]
