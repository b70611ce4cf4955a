"""Safeguarding critical timings: each council's timescales and each incident's register of
time-critical items (decisions, conferences, assessments, court deadlines) kept on paper-time.

- ``TimingPolicy``: per council, which nation's bank holidays count (England or Wales) and the
  time of day an item falls due.
- ``TimingRule``: per council and kind of item, the timescale (an amount and a unit) and the
  event that starts the clock. Defaults follow Working Together (England); each council checks
  them against its own procedures.
- ``Deadline``: one time-critical item on an incident. It holds a local case reference (personal
  data about a service user: seen only under incidents.sensitivity), a snapshot of the rule it
  was worked out with, and when it is due.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .working_days import Region as RegionValue
from .working_days import Unit as UnitValue


class Region(models.TextChoices):
    ENGLAND = RegionValue.ENGLAND.value, _("England")
    WALES = RegionValue.WALES.value, _("Wales")


class Unit(models.TextChoices):
    WORKING_DAYS = UnitValue.WORKING_DAYS.value, _("working days")
    CALENDAR_DAYS = UnitValue.CALENDAR_DAYS.value, _("calendar days")
    WEEKS = UnitValue.WEEKS.value, _("weeks")
    SET_BY_COURT = UnitValue.SET_BY_COURT.value, _("set by the court")


class CareService(models.TextChoices):
    """The values match lib.choices.Cell, so an item's service names the command cell."""

    CHILDREN = "childrens_social_care", _("Children's social care")
    ADULTS = "adult_social_care", _("Adult social care")


class Kind(models.TextChoices):
    REFERRAL_DECISION = "referral_decision", _("Referral decision")
    SECTION_47 = "section_47_enquiry", _("Section 47 enquiry")
    ICPC = "initial_child_protection_conference", _("Initial child protection conference")
    ASSESSMENT = "child_and_family_assessment", _("Child and family assessment")
    CARE_PROCEEDINGS = "care_proceedings", _("Care proceedings")
    COURT_DEADLINE = "court_deadline", _("Court deadline")
    ADULT_ENQUIRY = "adult_safeguarding_enquiry", _("Adult safeguarding (section 42) enquiry")


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    MISSED = "missed", _("Missed")
    NOT_NEEDED = "not_needed", _("Not needed")


DEFAULT_DUE_TIME = time(17, 0)


class TimingPolicy(models.Model):
    council = models.OneToOneField(
        "accounts.Council", on_delete=models.CASCADE, related_name="safeguarding_policy"
    )
    region = models.CharField(
        _("bank holidays of"), max_length=20, choices=Region.choices, default=Region.ENGLAND
    )
    due_time = models.TimeField(_("items fall due at"), default=DEFAULT_DUE_TIME)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "timing policies"

    def __str__(self) -> str:
        return f"{self.council} ({self.region})"


class TimingRule(models.Model):
    council = models.ForeignKey("accounts.Council", on_delete=models.CASCADE, related_name="timing_rules")
    kind = models.CharField(_("kind"), max_length=60, choices=Kind.choices)
    service = models.CharField(_("service"), max_length=30, choices=CareService.choices)
    amount = models.PositiveIntegerField(_("amount"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    start_label = models.CharField(_("the clock starts at"), max_length=100)
    local_default = models.BooleanField(
        _("local default"),
        default=False,
        help_text=_("No national timescale: the council sets its own."),
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["service", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["council", "kind"], name="timing_rule_once_per_council"),
            models.CheckConstraint(
                condition=(Q(unit=Unit.SET_BY_COURT) & Q(amount__isnull=True))
                | (~Q(unit=Unit.SET_BY_COURT) & Q(amount__gt=0)),
                name="timing_rule_amount_positive_unless_set_by_court",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.timescale}"

    @property
    def timescale(self) -> str:
        if self.unit == Unit.SET_BY_COURT:
            return str(Unit.SET_BY_COURT.label)
        return f"{self.amount} {Unit(self.unit).label}"


class Deadline(models.Model):
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="deadlines")
    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=60, choices=Kind.choices)
    service = models.CharField(_("service"), max_length=30, choices=CareService.choices)
    case_reference = models.CharField(_("local case reference"), max_length=50)
    start_date = models.DateField(_("the clock started on"), null=True, blank=True)
    # The rule it was worked out with, as it was then.
    rule_amount = models.PositiveIntegerField(null=True, blank=True)
    rule_unit = models.CharField(max_length=20, choices=Unit.choices)
    rule_start_label = models.CharField(max_length=100, blank=True)
    computed_due_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("due"))
    override_reason = models.TextField(_("why the due date differs"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=DeadlineStatus.OPEN) & Q(completed_at__isnull=True))
                | (~Q(status=DeadlineStatus.OPEN) & Q(completed_at__isnull=False)),
                name="deadline_completed_when_not_open",
            ),
            models.CheckConstraint(
                condition=Q(computed_due_at__isnull=True)
                | Q(due_at=models.F("computed_due_at"))
                | ~Q(override_reason=""),
                name="deadline_override_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="deadline_open_by_due")]

    def __str__(self) -> str:
        return f"Safeguarding deadline {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == DeadlineStatus.OPEN

    @property
    def is_overridden(self) -> bool:
        return self.computed_due_at is not None and self.computed_due_at != self.due_at

    @property
    def timescale(self) -> str:
        if self.rule_unit == Unit.SET_BY_COURT:
            return str(Unit.SET_BY_COURT.label)
        return f"{self.rule_amount} {Unit(self.rule_unit).label}"
