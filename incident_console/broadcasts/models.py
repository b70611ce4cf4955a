"""Staff broadcasts: a message from Gold or Silver to a group, each person asked to acknowledge.

A broadcast reaches people through the reminder pipeline (notifications app): each recipient gets
an alert of kind ``broadcast`` over in-app, SMS and personal email, and a fresh one every
escalation wait until they acknowledge, so nobody is left unaware because one text went astray.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MESSAGE_MAX_LENGTH = 140


class Audience(models.TextChoices):
    RESPONDERS = "responders", _("Everyone responding (incident leads, responders and command roles)")
    CELL = "cell", _("One cell (everyone holding a command role in it)")
    ON_ROTA_TODAY = "on_rota_today", _("Everyone on a rota today")
    EVERYONE = "everyone", _("Everyone taking part, including staff (not partners)")


class Broadcast(models.Model):
    council = models.ForeignKey("accounts.Council", on_delete=models.CASCADE, related_name="broadcasts")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="broadcasts")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(_("who it goes to"), max_length=20, choices=Audience.choices)
    cell = models.CharField(_("cell"), max_length=40, blank=True)
    message = models.CharField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    sent_at = models.DateTimeField()
    # Minutes between chases (the incident's escalation wait when sent), and when chasing stops.
    chase_minutes = models.PositiveSmallIntegerField()
    chase_until = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["chase_until"], name="broadcast_chase_until")]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.sent_at:%Y-%m-%d %H:%M} {self.message[:30]}"

    @property
    def cell_name(self) -> str:
        from incident_console.command.models import cell_label

        return cell_label(self.cell)


class Recipient(models.Model):
    """Who a broadcast was sent to, fixed when it was sent (the group may change later)."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["broadcast", "user"], name="broadcast_recipient_once"),
        ]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.broadcast_id} → {self.user_id}"

    @property
    def source_key(self) -> str:
        return f"broadcast:{self.pk}"
