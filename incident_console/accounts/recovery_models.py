"""The council's audit log, and admin-assisted account recovery (a second admin confirms)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Council


class AuditEvent(models.Model):
    """Something done to a person's account or access, kept per council. Never edited."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="audit_events")
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=60)
    summary = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["council", "-occurred_at"], name="audit_council_recent")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.summary}"


class ResetRequest(models.Model):
    """One admin asks to reset a person's password and second factor; a different admin confirms."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a second admin")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="reset_requests")
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reset_requests"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    how_identity_was_checked = models.TextField(_("how their identity was checked"))
    requested_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject"], condition=models.Q(state="pending"), name="reset_one_pending_per_person"
            ),
            models.CheckConstraint(
                condition=~models.Q(requested_by=models.F("subject")), name="reset_not_for_yourself"
            ),
        ]

    def __str__(self) -> str:
        return f"Reset for {self.subject_id} ({self.state})"
