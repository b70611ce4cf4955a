"""Input for the lessons log and for taking on a recovery handover."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from incident_console.accounts.models import User
from incident_console.command.forms import PersonChoiceField
from incident_console.lib.forms import DateField

from .models import Lesson, LessonCategory, LessonStatus


class LessonForm(forms.Form):
    what_happened = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: the paper rota worked, but nobody held the EDT's personal mobile numbers."),
        error_messages={"required": _("Say what happened.")},
    )
    learned = forms.CharField(
        label=_("What we learned"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what we learned.")},
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("No category")), *LessonCategory.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose a category from the list, or leave it blank.")},
    )
    action = forms.CharField(
        label=_("Action"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What will be done about it, if anything yet."),
    )
    owner = PersonChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    action_due = DateField(
        label=_("Action due"),
        required=False,
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]


class EditLessonForm(LessonForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=LessonStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the status of the lesson.")},
    )
    reason = forms.CharField(
        label=_("Why it is not taken forward"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the status is 'Not taken forward'."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, lesson: Lesson) -> dict[str, Any]:
        return {
            "what_happened": lesson.what_happened,
            "learned": lesson.learned,
            "category": lesson.category,
            "action": lesson.action,
            "owner": lesson.owner,
            "action_due": lesson.action_due,
            "status": lesson.status,
            "reason": lesson.reason,
            "version": lesson.version,
        }


class AcknowledgeHandoverForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything you want on the record as you take on recovery."),
    )
