"""Data-loss assessments: versions that are never changed, DPO / Caldicott / SIRO sign-offs that
record the SHA-256 of the exact content signed, and when each controller council became aware.

Each council is the controller of its own data, so an assessment belongs to one council of the
incident (the host or a connected council) and the 72-hour clock runs per council.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class Nature(models.TextChoices):
    CONFIDENTIALITY = "confidentiality", _("Confidentiality (data seen or taken)")
    INTEGRITY = "integrity", _("Integrity (data changed or corrupted)")
    AVAILABILITY = "availability", _("Availability (data lost or cannot be reached)")


class DataCategory(models.TextChoices):
    HEALTH = "health", _("Health (special category)")
    SOCIAL_CARE = "social_care", _("Social care records (special category)")
    SAFEGUARDING = "safeguarding", _("Safeguarding records")
    CHILDRENS_RECORDS = "childrens_records", _("Children's records")
    FINANCIAL = "financial", _("Financial")
    CONTACT = "contact", _("Contact details")


# Health and care data: the Caldicott guardian must sign off too.
CARE_DATA = frozenset(
    {DataCategory.HEALTH, DataCategory.SOCIAL_CARE, DataCategory.SAFEGUARDING, DataCategory.CHILDRENS_RECORDS}
)


class PeopleCategory(models.TextChoices):
    ADULTS_RECEIVING_CARE = "adults_receiving_care", _("Adults receiving care")
    CHILDREN_AND_FAMILIES = "children_and_families", _("Children and families")
    CARERS = "carers", _("Carers")
    FOSTER_CARERS = "foster_carers", _("Foster carers")
    STAFF = "staff", _("Staff")
    PROVIDERS = "providers", _("Providers")


class Exfiltration(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    SUSPECTED = "suspected", _("Suspected")
    ASSUMED = "assumed", _("Assumed (treat as stolen until shown otherwise)")


class ReportDecision(models.TextChoices):
    UNDECIDED = "", _("Not decided yet")
    REPORT = "report", _("Report to the ICO")
    NOT_REPORTABLE = "not_reportable", _("Do not report: unlikely to result in a risk to people")


class TellPeople(models.TextChoices):
    UNDECIDED = "", _("Not decided yet")
    TELL = "tell", _("Tell the people affected (Article 34)")
    DO_NOT_TELL = "do_not_tell", _("Do not tell them individually")


class Article34Exception(models.TextChoices):
    NONE = "", _("None")
    ENCRYPTED = "encrypted", _("The data was encrypted or otherwise unintelligible")
    RISK_REMOVED = "risk_removed", _("Measures taken mean the high risk is no longer likely")
    DISPROPORTIONATE = "disproportionate", _("It would take disproportionate effort: a public notice instead")
    NOT_HIGH_RISK = "not_high_risk", _("The risk to people is not high")


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for sign-off")
    SIGNED_OFF = "signed_off", _("Signed off")
    RETURNED = "returned", _("Returned with comments")


class SignOffRole(models.TextChoices):
    DPO = "dpo", _("Data protection officer")
    CALDICOTT = "caldicott", _("Caldicott guardian")
    SIRO = "siro", _("Senior information risk owner")


class SignOffOutcome(models.TextChoices):
    SIGNED = "signed", _("Signed off")
    RETURNED = "returned", _("Returned with comments")


class Assessment(models.Model):
    """One data-loss assessment of an incident, for one controller council."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="assessments")
    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(
        _("state"), max_length=20, choices=AssessmentState.choices, default=AssessmentState.DRAFT
    )
    current = models.ForeignKey(
        "AssessmentVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["incident_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.title


# The content a sign-off covers, in a fixed order. Changing any of these makes a new version.
CONTENT_FIELDS = (
    "nature",
    "systems_affected",
    "data_sets",
    "data_categories",
    "people_categories",
    "people_affected",
    "records_affected",
    "exfiltration",
    "likelihood",
    "severity",
    "consequences",
    "measures_taken",
    "measures_proposed",
    "dpo_advice",
    "report_decision",
    "decision_reason",
    "tell_people",
    "tell_people_exception",
    "tell_people_reason",
    "ico_reference",
    "ico_reported_at",
    "late_reason",
)


class AssessmentVersion(models.Model):
    """What the assessment said at one time. Never changed once saved: a change is a new version."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)

    nature = models.JSONField(_("nature of the breach"), default=list)
    systems_affected = models.TextField(_("systems affected"), blank=True)
    data_sets = models.TextField(_("data sets affected"), blank=True)
    data_categories = models.JSONField(_("categories of personal data"), default=list, blank=True)
    people_categories = models.JSONField(_("categories of people"), default=list, blank=True)
    people_affected = models.PositiveIntegerField(_("approximate number of people"), null=True, blank=True)
    records_affected = models.PositiveIntegerField(_("approximate number of records"), null=True, blank=True)
    exfiltration = models.CharField(
        _("exfiltration"), max_length=20, choices=Exfiltration.choices, default=Exfiltration.ASSUMED
    )
    likelihood = models.PositiveSmallIntegerField(_("likelihood of harm"))
    severity = models.PositiveSmallIntegerField(_("severity of harm"))
    consequences = models.TextField(_("likely consequences for people"), blank=True)
    measures_taken = models.TextField(_("measures taken"), blank=True)
    measures_proposed = models.TextField(_("measures proposed"), blank=True)

    dpo_advice = models.CharField(
        _("DPO's advice on reporting"), max_length=20, choices=ReportDecision.choices, blank=True
    )
    report_decision = models.CharField(
        _("decision on reporting to the ICO"), max_length=20, choices=ReportDecision.choices, blank=True
    )
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    tell_people = models.CharField(
        _("telling the people affected"), max_length=20, choices=TellPeople.choices, blank=True
    )
    tell_people_exception = models.CharField(
        _("exception relied on"), max_length=20, choices=Article34Exception.choices, blank=True
    )
    tell_people_reason = models.TextField(_("reasons for not telling people"), blank=True)
    ico_reference = models.CharField(_("ICO case reference"), max_length=50, blank=True)
    ico_reported_at = models.DateTimeField(_("reported to the ICO at"), null=True, blank=True)
    late_reason = models.TextField(_("reasons for reporting after 72 hours"), blank=True)

    class Meta:
        ordering = ["assessment_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="assessment_version_unique"),
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5), name="assessment_likelihood"
            ),
            models.CheckConstraint(
                condition=models.Q(severity__gte=1, severity__lte=5), name="assessment_severity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Assessment versions are never changed; make a new version.")
        super().save(*args, **kwargs)

    @property
    def score(self) -> int:
        return self.likelihood * self.severity

    @property
    def involves_care_data(self) -> bool:
        return bool(set(self.data_categories) & CARE_DATA)

    def content(self) -> dict[str, Any]:
        """The exact content a sign-off covers, with what it belongs to."""
        body = {name: getattr(self, name) for name in CONTENT_FIELDS}
        return {"assessment": self.assessment_id, "version": self.number, **body}

    def content_hash(self) -> str:
        canonical = json.dumps(
            self.content(), cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return hashlib.sha256(canonical.encode()).hexdigest()

    def labels(self, field: str, choices: type[models.TextChoices]) -> list[str]:
        names = dict(choices.choices)
        return [str(names.get(v, v)) for v in getattr(self, field)]

    def nature_display(self) -> list[str]:
        return self.labels("nature", Nature)

    def data_categories_display(self) -> list[str]:
        return self.labels("data_categories", DataCategory)

    def people_categories_display(self) -> list[str]:
        return self.labels("people_categories", PeopleCategory)


class SignOff(models.Model):
    """A DPO, Caldicott guardian or SIRO signing off (or returning) one version."""

    version = models.ForeignKey(AssessmentVersion, on_delete=models.PROTECT, related_name="sign_offs")
    role = models.CharField(_("role"), max_length=20, choices=SignOffRole.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=SignOffOutcome.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("time"))
    statement = models.TextField(_("statement"))
    content_hash = models.CharField(_("SHA-256 of the content signed"), max_length=64)

    class Meta:
        ordering = ["version_id", "signed_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.get_outcome_display()} v{self.version_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Sign-offs are never changed.")
        super().save(*args, **kwargs)


class ControllerAwareness(models.Model):
    """When a connected council, the controller of its own data, became aware of the breach, and
    when the host council told it. The host council's awareness is the incident's ``aware_at``."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="+")
    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    told_at = models.DateTimeField(_("host council told them at"))
    aware_at = models.DateTimeField(_("they became aware at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "council"], name="controller_awareness_once"),
        ]

    def __str__(self) -> str:
        return f"{self.council_id} aware of {self.incident_id}"
