"""Incidents, who takes part in them, and per-council reference counters."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from incident_console.accounts.models import Council
from incident_console.lib.choices import Classification, Service, Stage

MAX_ESCALATE_AFTER_MINUTES = 24 * 60


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class Status(models.TextChoices):
    DECLARED = "declared", _("Declared")
    RESPONSE = "response", _("Response")
    RECOVERY = "recovery", _("Recovery")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    FALSE_ALARM = "false_alarm", _("Stood down as a false alarm")


class Incident(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="incidents")
    reference = models.CharField(_("reference"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices, default=Severity.HIGH)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DECLARED)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    lga_stage = models.CharField(_("LGA stage"), max_length=30, choices=Stage.choices, default=Stage.IDENTIFY)
    services_affected = models.JSONField(_("services affected"), default=list, blank=True)
    aware_at = models.DateTimeField(_("became aware at"))
    declared_at = models.DateTimeField(_("declared at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Set on closing: closed_at plus the council's retention period. Purging waits for it.
    retain_until = models.DateTimeField(_("retain records until"), null=True, blank=True)
    classification = models.CharField(
        _("classification"),
        max_length=20,
        choices=Classification.choices,
        default=Classification.OFFICIAL_SENSITIVE,
    )
    is_exercise = models.BooleanField(_("exercise"), default=False)
    # Reminders then skip council email addresses and use text messages and personal email.
    council_email_unavailable = models.BooleanField(_("council email unavailable"), default=False)
    # The escalation policy: how long a reminder waits for acknowledgement before it goes one
    # step up the ladder. Empty means the deployment's default (ESCALATE_AFTER_MINUTES).
    escalate_after_minutes = models.PositiveSmallIntegerField(
        _("escalate after (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ESCALATE_AFTER_MINUTES)],
    )
    shared_with = models.ManyToManyField(
        Council, blank=True, related_name="shared_incidents", verbose_name=_("shared with connected councils")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "reference"], name="incident_unique_reference"),
        ]
        indexes = [
            models.Index(fields=["council", "status"], name="incident_council_status"),
            # Lists show the newest first and stop at a page: walking this index reads about one
            # page of rows, not every incident the person may see.
            models.Index(fields=["-declared_at"], name="incident_recent"),
            # The dashboard: open incidents, newest first, however many closed ones are kept.
            models.Index(
                fields=["-declared_at"], condition=~models.Q(status="closed"), name="incident_open_recent"
            ),
            # A list's count of the incidents a person may see: their councils' incidents or those
            # shared with them or that they take part in (an OR on ``id``) is read from this index
            # alone, not from the whole table.
            models.Index(fields=["council", "id"], name="incident_council_ids"),
        ]
        ordering = ["-declared_at"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def escalation_wait(self) -> int:
        """Minutes a reminder waits for acknowledgement before going one step up the ladder."""
        return self.escalate_after_minutes or int(settings.ESCALATE_AFTER_MINUTES)

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    def services_display(self) -> list[str]:
        labels = dict(Service.choices)
        return [str(labels.get(s, s)) for s in self.services_affected]


class ReferenceCounter(models.Model):
    """The last incident number used by a council in a year; locked while allocating."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "year"], name="reference_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.council_id}/{self.year}: {self.last_number}"


class ParticipantRole(models.TextChoices):
    LEAD = "lead", _("Incident lead")
    RESPONDER = "responder", _("Responder")
    STAFF = "staff", _("Staff")
    PARTNER = "partner", _("Partner")


class Participation(models.Model):
    """Who takes part in an incident, and in what capacity."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(_("part in the incident"), max_length=20, choices=ParticipantRole.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    invitation = models.ForeignKey(
        "Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="participations"
    )
    ends_with_incident = models.BooleanField(
        _("access ends when the incident closes"),
        default=False,
        help_text=_("True for people invited from outside the council, unless their access is renewed."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "user"],
                condition=models.Q(ended_at__isnull=True),
                name="participation_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) in {self.incident_id}"


class Invitation(models.Model):
    """A single-use, expiring invitation for an outside responder (mutual aid) or a partner."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(
        _("their part in the incident"),
        max_length=20,
        choices=[
            (ParticipantRole.RESPONDER, _("Mutual aid responder")),
            (ParticipantRole.PARTNER, _("Partner")),
        ],
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.name} to {self.incident_id}"

    @property
    def state(self) -> str:
        from django.utils import timezone

        if self.accepted_at:
            return "accepted"
        if self.withdrawn_at:
            return "withdrawn"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"
