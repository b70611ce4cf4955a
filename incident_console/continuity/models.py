"""Business continuity: case work done on paper or by phone while the systems are down, and its
reconciliation into the restored systems.

- ``ManualRecord``: one piece of case activity (a visit, a referral, a payment…) recorded by hand,
  with an optional photo or scan of the paper form. It moves pending → entered (typed into the
  restored system, with that system's reference) → verified (checked by a second person). A
  verifier who finds it wrong returns it to pending with a reason.
- ``ClosureOverride``: Gold's logged decision to close the incident although some manual records
  are not yet reconciled.
"""

from __future__ import annotations

import os
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from incident_console.lib.choices import Service


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT: not under STATIC_ROOT, MEDIA_ROOT or any served path, so
    downloads go through an access check. The setting is read on each use (tests change it)."""

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL: they are served through an access-checked view.")


def private_storage() -> FileSystemStorage:
    return PrivateStorage()


def attachment_path(instance: ManualRecord, filename: str) -> str:
    """A random name: the original one is kept on the row for the download only."""
    suffix = PurePath(filename).suffix.lower()[:6]
    return f"manual-records/{uuid.uuid4().hex}{suffix}"


class ManualService(models.TextChoices):
    ADULT_SOCIAL_CARE = Service.ADULT_SOCIAL_CARE.value, Service.ADULT_SOCIAL_CARE.label
    CHILDRENS_SOCIAL_CARE = Service.CHILDRENS_SOCIAL_CARE.value, Service.CHILDRENS_SOCIAL_CARE.label


class Activity(models.TextChoices):
    VISIT = "visit", _("Home visit")
    REFERRAL = "referral", _("Referral")
    ASSESSMENT = "assessment", _("Assessment")
    SAFEGUARDING_DECISION = "safeguarding_decision", _("Safeguarding decision")
    PAYMENT = "payment", _("Payment")
    OTHER = "other", _("Other activity")


class RecordState(models.TextChoices):
    PENDING = "pending", _("Waiting to be entered")
    ENTERED = "entered", _("Entered, waiting to be verified")
    VERIFIED = "verified", _("Verified")


UNRECONCILED = (RecordState.PENDING, RecordState.ENTERED)


class ManualRecord(models.Model):
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="manual_records"
    )
    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    service = models.CharField(_("service"), max_length=30, choices=ManualService.choices)
    case_reference = models.CharField(_("local case reference"), max_length=100)
    activity = models.CharField(_("activity"), max_length=30, choices=Activity.choices)
    happened_at = models.DateTimeField(_("when it happened"))
    summary = models.TextField(_("summary"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    attachment = models.FileField(storage=private_storage, upload_to=attachment_path, blank=True)
    attachment_name = models.CharField(_("file name"), max_length=255, blank=True)
    attachment_type = models.CharField(max_length=50, blank=True)
    attachment_size = models.PositiveIntegerField(null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=RecordState.choices, default=RecordState.PENDING
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), null=True, blank=True)
    system_reference = models.CharField(_("reference in the restored system"), max_length=100, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    returned_reason = models.TextField(_("why it was returned"), blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("returned by"),
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["happened_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="pending") | (Q(entered_by__isnull=False) & ~Q(system_reference="")),
                name="manual_record_entered_has_who_and_reference",
            ),
            models.CheckConstraint(
                condition=~Q(state="verified")
                | (Q(verified_by__isnull=False) & ~Q(verified_by=models.F("entered_by"))),
                name="manual_record_verified_by_a_second_person",
            ),
            models.CheckConstraint(
                condition=~Q(case_reference="") & ~Q(summary=""),
                name="manual_record_has_reference_and_summary",
            ),
        ]
        indexes = [models.Index(fields=["incident", "state"], name="manual_record_incident_state")]

    def __str__(self) -> str:
        return str(_("Manual record %(number)s") % {"number": self.pk})

    @property
    def is_reconciled(self) -> bool:
        return self.state == RecordState.VERIFIED

    def describe(self) -> str:
        """For the timeline and other wide audiences: never the case reference or the summary."""
        return str(
            _("Manual record %(number)s (%(activity)s, %(service)s)")
            % {
                "number": self.pk,
                "activity": str(self.get_activity_display()).lower(),
                "service": str(self.get_service_display()).lower(),
            }
        )


class ClosureOverride(models.Model):
    """Gold decided the incident may close with these manual records not yet reconciled. It covers
    the records recorded before it; records added afterwards need reconciling or a new decision."""

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="closure_overrides"
    )
    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    decision = models.OneToOneField(
        "command.Decision", on_delete=models.PROTECT, related_name="closure_override"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Gold")
    )
    unreconciled_count = models.PositiveIntegerField(_("records not reconciled at the time"))
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unreconciled_count__gt=0), name="closure_override_covers_some_records"
            )
        ]

    def __str__(self) -> str:
        return f"closure override {self.pk} ({self.unreconciled_count})"
