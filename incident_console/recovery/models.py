"""Coordination and recovery: the IT systems being restored and who outside has been told.

- ``AffectedSystem``: an IT system the incident took down, the services (and connected councils)
  that depend on it, its state on the way back, its restore priority (critical to low) and the
  restore order Gold agreed.
- ``ExternalNotification``: a body told about the incident (NCSC, police, ICO, …): when, by
  whom, how, with what reference. The usual set is listed so a missing one shows. A report to
  the ICO may name the data-loss assessment it is for: logging it records the report on the
  assessment too, which stops that council's 72-hour clock. A usual body can instead be
  recorded as not needing telling for this incident, with the reason, who decided and when: it
  then no longer shows as missing. Telling it later anyway is still allowed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from incident_console.lib.choices import Service


class SystemKind(models.TextChoices):
    CASE_MANAGEMENT = "case_management", _("Case management")
    FINANCE = "finance", _("Finance and payments")
    EDUCATION = "education", _("Education")
    EMAIL = "email", _("Email and collaboration")
    TELEPHONY = "telephony", _("Telephony")
    NETWORK = "network", _("Network and identity")
    OTHER = "other", _("Other")


class SystemState(models.TextChoices):
    UNAVAILABLE = "unavailable", _("Unavailable")
    ISOLATED = "isolated", _("Isolated")
    BEING_RESTORED = "being_restored", _("Being restored")
    RESTORED_READ_ONLY = "restored_read_only", _("Restored read-only")
    RESTORED = "restored", _("Restored")
    VERIFIED = "verified", _("Verified")


class RestorePriority(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


# A service still lacks a system until it is back for normal use.
BACK_IN_USE = (SystemState.RESTORED, SystemState.VERIFIED)


class AffectedSystem(models.Model):
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="systems")
    name = models.CharField(_("system"), max_length=200)
    kind = models.CharField(_("kind of system"), max_length=30, choices=SystemKind.choices)
    services = models.JSONField(_("services that depend on it"), default=list, blank=True)
    shared_with = models.ManyToManyField(
        "accounts.Council",
        blank=True,
        related_name="+",
        verbose_name=_("connected councils that depend on it"),
    )
    state = models.CharField(
        _("state"), max_length=30, choices=SystemState.choices, default=SystemState.UNAVAILABLE
    )
    restore_order = models.PositiveSmallIntegerField(_("restore order"), null=True, blank=True)
    priority = models.CharField(
        _("restore priority"),
        max_length=10,
        choices=RestorePriority.choices,
        default=RestorePriority.MEDIUM,
        help_text=_("How much it matters to get it back; the restore order is the agreed sequence."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    expected_on = models.DateField(_("expected back on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = [models.F("restore_order").asc(nulls_last=True), "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "name"], name="system_name_once_per_incident"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_back(self) -> bool:
        return self.state in BACK_IN_USE

    def services_display(self) -> list[str]:
        labels = dict(Service.choices)
        return [str(labels.get(s, s)) for s in self.services]


class Body(models.TextChoices):
    NCSC = "ncsc", _("National Cyber Security Centre (NCSC)")
    POLICE = "police", _("Police / Action Fraud")
    ICO = "ico", _("Information Commissioner's Office (ICO)")
    MHCLG = "mhclg", _("Ministry of Housing, Communities and Local Government (MHCLG)")
    DFE = "dfe", _("Department for Education (DfE)")
    OFSTED = "ofsted", _("Ofsted (or CIW / Welsh Government in Wales)")
    INSURER = "insurer", _("The council's insurer")
    MEMBERS = "members", _("Elected members")
    CONNECTED_COUNCIL = "connected_council", _("A connected council")
    OTHER = "other", _("Someone else")


# The usual set: each shows as missing on the incident until it has been told.
USUAL_BODIES = [
    Body.NCSC,
    Body.POLICE,
    Body.ICO,
    Body.MHCLG,
    Body.DFE,
    Body.OFSTED,
    Body.INSURER,
    Body.MEMBERS,
]


class Method(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    ONLINE = "online", _("Online form or portal")
    MEETING = "meeting", _("In person or at a meeting")
    LETTER = "letter", _("Letter")


class TellingDecision(models.TextChoices):
    TOLD = "told", _("Told")
    NOT_NEEDED = "not_needed", _("Not needed")


class ExternalNotification(models.Model):
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="external_notifications"
    )
    body = models.CharField(_("who was told"), max_length=30, choices=Body.choices)
    council_told = models.ForeignKey(
        "accounts.Council",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("connected council"),
    )
    name = models.CharField(_("name or team"), max_length=200, blank=True)
    decision = models.CharField(
        _("told or not needed"), max_length=20, choices=TellingDecision.choices, default=TellingDecision.TOLD
    )
    notified_at = models.DateTimeField(_("told at"), null=True, blank=True)
    told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("told by"),
    )
    method = models.CharField(_("how"), max_length=20, choices=Method.choices, blank=True)
    reason = models.TextField(_("why they do not need telling"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reference = models.CharField(_("their reference"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    assessment = models.ForeignKey(
        "assessments.Assessment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="external_notifications",
        verbose_name=_("data-loss assessment"),
        help_text=_("For a report to the ICO: the assessment whose report this is."),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = [Coalesce("notified_at", "decided_at").desc(), "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        decision="told",
                        notified_at__isnull=False,
                        told_by__isnull=False,
                        decided_by__isnull=True,
                        decided_at__isnull=True,
                    )
                    & ~models.Q(method="")
                )
                | (
                    models.Q(
                        decision="not_needed",
                        notified_at__isnull=True,
                        told_by__isnull=True,
                        method="",
                        assessment__isnull=True,
                        decided_by__isnull=False,
                        decided_at__isnull=False,
                    )
                    & ~models.Q(reason="")
                ),
                name="notification_told_or_not_needed",
            ),
            models.CheckConstraint(
                condition=models.Q(assessment__isnull=True) | models.Q(body="ico"),
                name="notification_assessment_only_for_ico",
            ),
            models.UniqueConstraint(
                fields=["assessment"],
                condition=models.Q(assessment__isnull=False),
                name="notification_once_per_assessment",
            ),
        ]

    def __str__(self) -> str:
        if self.decision == TellingDecision.NOT_NEEDED:
            return f"{self.get_body_display()} not needed"
        return f"{self.get_body_display()} {self.notified_at:%Y-%m-%d %H:%M}"

    @property
    def not_needed(self) -> bool:
        return self.decision == TellingDecision.NOT_NEEDED

    @property
    def who(self) -> str:
        if self.body == Body.CONNECTED_COUNCIL and self.council_told_id:
            return self.council_told.name  # type: ignore[union-attr]
        if self.body == Body.OTHER:
            return self.name
        label = str(self.get_body_display())
        return f"{label}: {self.name}" if self.name else label
