"""Input validation for incident pages, with messages a person can act on."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from incident_console.accounts.models import Council, User
from incident_console.lib.choices import Classification, Service, Stage

from .models import MAX_ESCALATE_AFTER_MINUTES, Incident, ParticipantRole, Severity

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


class LondonDateTimeField(forms.DateTimeField):
    """A date and time typed in UK local time (Europe/London, the site's time zone)."""

    widget = DATETIME_WIDGET

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATETIME_FORMATS)
        kwargs["error_messages"] = {
            "invalid": _("Enter a date and time, for example 03/11/2026 08:30"),
            **kwargs.get("error_messages", {}),
        }
        super().__init__(**kwargs)


class IncidentDetailsForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter a title for the incident.")}
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What has happened, what is affected, and what is known so far."),
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=Severity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a severity.")},
    )
    lga_stage = forms.ChoiceField(
        label=_("Stage of the response"),
        choices=Stage.choices,
        initial=Stage.IDENTIFY,
        widget=forms.RadioSelect,
    )
    services_affected = forms.MultipleChoiceField(
        label=_("Services affected"),
        choices=Service.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The guidance for adult and children's social care is applied to the incident automatically."
        ),
    )
    aware_at = LondonDateTimeField(
        label=_("When the council became aware"),
        help_text=_(
            "UK time. This starts the 72-hour clock for reporting a personal data breach to the ICO."
        ),
        error_messages={"required": _("Enter when the council became aware of the incident.")},
    )
    classification = forms.ChoiceField(
        label=_("Classification"),
        choices=Classification.choices,
        widget=forms.RadioSelect,
        initial=Classification.OFFICIAL_SENSITIVE,
    )
    council_email_unavailable = forms.BooleanField(
        label=_("Council email is unavailable"),
        required=False,
        help_text=_("Reminders then skip council email addresses and go by text message and personal email."),
    )
    escalate_after_minutes = forms.IntegerField(
        label=_("Escalate unacknowledged reminders after (minutes)"),
        required=False,
        min_value=1,
        max_value=MAX_ESCALATE_AFTER_MINUTES,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        help_text=_(
            "How long a reminder waits for acknowledgement before it goes to the next person up: "
            "owner, then Silver, Gold, named deputies and the council admins. Leave empty for the "
            "usual %(minutes)s minutes."
        ),
        error_messages={
            "invalid": _("Enter the number of minutes as a whole number, for example 30."),
            "min_value": _("Enter at least 1 minute."),
            "max_value": _("Enter no more than 1,440 minutes (24 hours)."),
        },
    )
    shared_with = forms.ModelMultipleChoiceField(
        label=_("Share with connected councils"),
        queryset=Council.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Responders at these councils will see this incident."),
    )

    def __init__(self, *args: Any, council: Council | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        wait = self.fields["escalate_after_minutes"]
        wait.help_text = str(wait.help_text) % {"minutes": settings.ESCALATE_AFTER_MINUTES}
        if council is not None:
            self.fields["shared_with"].queryset = council.connected_councils.all()  # type: ignore[attr-defined]
        if council is None or not council.connected_councils.exists():
            del self.fields["shared_with"]


class DeclareIncidentForm(IncidentDetailsForm):
    council = forms.ModelChoiceField(
        label=_("Council"),
        queryset=Council.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose the council declaring the incident.")},
    )
    is_exercise = forms.BooleanField(
        label=_("This is an exercise"),
        required=False,
        help_text=_("Every page and message of an exercise is marked EXERCISE."),
    )

    field_order = [
        "council",
        "title",
        "summary",
        "severity",
        "services_affected",
        "aware_at",
        "classification",
    ]

    def __init__(self, *args: Any, councils: list[Council], **kwargs: Any) -> None:
        super().__init__(*args, council=councils[0] if len(councils) == 1 else None, **kwargs)
        self.fields["council"].queryset = Council.objects.filter(pk__in=[c.pk for c in councils])  # type: ignore[attr-defined]
        del self.fields["lga_stage"]


class EditIncidentForm(IncidentDetailsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, incident: Incident) -> dict[str, Any]:
        return {
            "title": incident.title,
            "summary": incident.summary,
            "severity": incident.severity,
            "lga_stage": incident.lga_stage,
            "services_affected": incident.services_affected,
            "aware_at": incident.aware_at,
            "classification": incident.classification,
            "council_email_unavailable": incident.council_email_unavailable,
            "escalate_after_minutes": incident.escalate_after_minutes,
            "shared_with": list(incident.shared_with.all()),
            "version": incident.version,
        }


STAND_DOWN = "stand_down"


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("Move the incident to"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where the incident moves to.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when standing down as a false alarm or moving back from recovery to response."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = choices  # type: ignore[attr-defined]


class AddParticipantForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        error_messages={"required": _("Choose the person to add.")},
    )
    role = forms.ChoiceField(
        label=_("Their part in the incident"),
        choices=ParticipantRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose their part in the incident.")},
        help_text=_(
            "Leads run the incident; responders work on the checklists; staff can read the checklists "
            "and timeline; partners see the summary and progress only."
        ),
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = people  # type: ignore[attr-defined]
        field.label_from_instance = lambda u: f"{u.display_name} ({u.username})"  # type: ignore[attr-defined]


class InvitationForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Their part in the incident"),
        choices=[
            (ParticipantRole.RESPONDER, _("Mutual aid responder: works on the checklists")),
            (ParticipantRole.PARTNER, _("Partner: sees the summary and progress only")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose their part in the incident.")},
    )
    name = forms.CharField(
        label=_("Their name"), max_length=200, error_messages={"required": _("Enter their name.")}
    )
    organisation = forms.CharField(
        label=_("Their organisation"),
        max_length=200,
        error_messages={
            "required": _("Enter their organisation, for example the NHS trust or neighbouring council.")
        },
    )
    email = forms.EmailField(
        label=_("Their email address"),
        required=False,
        help_text=_(
            "For the record only: the console does not send the link. Pass it on by a route you trust."
        ),
    )
    valid_for_hours = forms.TypedChoiceField(
        label=_("The link works for"),
        coerce=int,
        choices=[(24, _("24 hours")), (72, _("3 days")), (168, _("7 days"))],
        initial=72,
        widget=forms.RadioSelect,
    )


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your full name"), max_length=200, error_messages={"required": _("Enter your name.")}
    )
    username = forms.RegexField(
        label=_("Choose a username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={
            "required": _("Choose a username."),
            "invalid": _("Use only letters, numbers and . @ + - _ in a username."),
        },
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. A few unrelated words make a good password."),
        error_messages={"required": _("Choose a password.")},
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Type the password again.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords are different."))
        return data
