"""Reminders as database rows, so none is lost when the broker or a worker goes away.

- ``Alert``: one thing that needs attention (a checklist item overdue, say), unique per
  (kind, source key, occurrence). It climbs an escalation ladder until someone acknowledges it.
- ``Notification``: the alert as sent to one person at one step of the ladder (the in-app copy).
  Unique per (alert, step, recipient): sweeping twice never notifies twice.
- ``Delivery``: that notification over one outside channel (email, SMS), with its attempts,
  provider reference and last error. Unique per (notification, channel).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertState(models.TextChoices):
    OPEN = "open", _("Waiting for acknowledgement")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("No longer needed")
    UNROUTED = "unrouted", _("Nobody could be found")


class Alert(models.Model):
    council = models.ForeignKey("accounts.Council", on_delete=models.CASCADE, related_name="alerts")
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    kind = models.CharField(max_length=50)
    source_key = models.CharField(max_length=100)
    occurrence = models.CharField(max_length=50)
    # What needs attention, in words safe for SMS: never case details or personal data.
    subject = models.CharField(max_length=200)
    link = models.CharField(max_length=300)
    # Who hears first, and where they sit in the command structure (to find the tier above).
    first_recipients = models.JSONField(default=list, blank=True)
    tier = models.CharField(max_length=10, blank=True)
    cell = models.CharField(max_length=40, blank=True)
    state = models.CharField(max_length=20, choices=AlertState.choices, default=AlertState.OPEN)
    step = models.PositiveSmallIntegerField(default=0)  # the ladder step reached so far
    next_step_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_key", "occurrence"], name="alert_once_per_occurrence"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_step_at"], condition=models.Q(state="open"), name="alert_open_next_step"
            ),
            models.Index(fields=["council", "state"], name="alert_council_state"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.source_key} {self.occurrence}"


class Notification(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="notifications")
    step = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=200)  # why this person: "owner", "Silver for IT", …
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "step", "recipient"], name="notification_once_per_step")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.alert} → {self.recipient_id} (step {self.step})"


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting to send")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Not needed: acknowledged first")


class Delivery(models.Model):
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    address = models.CharField(max_length=254)
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    due_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    # Ours, sent to the provider with the message, so a send left unfinished can be looked up.
    reference = models.CharField(max_length=64, unique=True)
    provider_id = models.CharField(max_length=100, blank=True)
    last_error = models.TextField(blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel")
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=models.Q(state="pending"), name="delivery_pending_due"),
            models.Index(
                fields=["last_attempt_at"], condition=models.Q(state="sending"), name="delivery_sending_since"
            ),
        ]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.channel} {self.reference} ({self.state})"
