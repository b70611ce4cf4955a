"""Priority cases: the restricted list, per incident, of the most at-risk live cases (adults and
children) that need checking first while the case management systems are down.

- ``PriorityCase``: one case, with the local case reference, why it is at risk, who owns it and
  when it must next be contacted.
- ``CaseContact``: every contact made with a case; recording one moves the next contact due.
- ``PriorityCaseAccess``: who viewed the list or a case, how and when. Never edited; read by the
  council's DPO and Caldicott guardian.

This is service-user personal data: incidents/sensitivity.py decides who sees it, and it never
reaches partner outputs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CaseService(models.TextChoices):
    ADULTS = "adult_social_care", _("Adult social care")
    CHILDREN = "childrens_social_care", _("Children's social care")


class RiskLevel(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")


class CaseStatus(models.TextChoices):
    AWAITING = "awaiting_contact", _("Open: awaiting contact")
    SAFE = "contacted_safe", _("Contacted: safe")
    ESCALATED = "contacted_escalated", _("Contacted: concern escalated")
    CLOSED = "closed", _("Closed")


class ContactResult(models.TextChoices):
    SAFE = CaseStatus.SAFE.value, _("Safe")
    ESCALATED = CaseStatus.ESCALATED.value, _("Concern escalated")


class PriorityCase(models.Model):
    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="priority_cases"
    )
    number = models.PositiveIntegerField(_("number"))
    reference = models.CharField(_("local case reference"), max_length=100)
    service = models.CharField(_("service"), max_length=30, choices=CaseService.choices)
    why_at_risk = models.TextField(_("why at risk"))
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices, blank=True)
    next_contact_due = models.DateTimeField(_("next contact due"), null=True, blank=True)
    last_contacted_at = models.DateTimeField(_("last contacted at"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    status = models.CharField(
        _("status"), max_length=30, choices=CaseStatus.choices, default=CaseStatus.AWAITING
    )
    closed_reason = models.TextField(_("reason for closing"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = [models.F("next_contact_due").asc(nulls_last=True), "number"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "number"], name="priority_case_number_once"),
            models.UniqueConstraint(fields=["incident", "reference"], name="priority_case_reference_once"),
            models.CheckConstraint(
                condition=Q(status="closed") | Q(next_contact_due__isnull=False),
                name="priority_case_open_has_next_contact",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(closed_reason=""),
                name="priority_case_closed_has_reason",
            ),
            models.CheckConstraint(condition=~Q(reference=""), name="priority_case_has_reference"),
        ]
        indexes = [models.Index(fields=["next_contact_due"], name="priority_case_next_due")]

    def __str__(self) -> str:
        return f"Priority case {self.number}"

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    @property
    def service_words(self) -> str:
        """The service in lower case, for the middle of a sentence."""
        label = str(self.get_service_display())
        return label[:1].lower() + label[1:]


class CaseContact(models.Model):
    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(PriorityCase, on_delete=models.CASCADE, related_name="contacts")
    contacted_at = models.DateTimeField(_("contacted at"))
    contacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("contacted by")
    )
    result = models.CharField(_("result"), max_length=30, choices=ContactResult.choices)
    outcome = models.TextField(_("outcome"))
    next_contact_due = models.DateTimeField(_("next contact due"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-contacted_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(outcome=""), name="case_contact_has_outcome"),
            models.CheckConstraint(
                condition=Q(next_contact_due__gt=models.F("contacted_at")),
                name="case_contact_next_after_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"Contact with priority case {self.case_id} at {self.contacted_at:%Y-%m-%d %H:%M}"


class PriorityCaseAccess(models.Model):
    """Who viewed the priority cases list or a case, how and when."""

    class Via(models.TextChoices):
        PAGE = "page", _("Page")
        API = "api", _("API")
        EXPORT = "export", _("Export")

    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(
        PriorityCase, null=True, blank=True, on_delete=models.CASCADE, related_name="accesses"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    via = models.CharField(_("how"), max_length=10, choices=Via.choices)
    what = models.CharField(_("what"), max_length=200)
    occurred_at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["incident", "-occurred_at"], name="priority_access_recent")]

    def __str__(self) -> str:
        return f"{self.actor} {self.via} {self.case_id} {self.occurred_at:%Y-%m-%d %H:%M}"
