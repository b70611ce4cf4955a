"""The incident timeline: append-only and hash-chained per incident."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a timeline row."""


class TimelineEventQuerySet(models.QuerySet["TimelineEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Timeline events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Timeline events cannot be deleted.")


class TimelineEvent(models.Model):
    """One recorded event. Each row carries the hash of the row before it in the same incident."""

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.PROTECT, related_name="timeline_events"
    )
    sequence = models.PositiveIntegerField()
    kind = models.CharField(max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField()
    summary = models.CharField(_("summary"), max_length=500)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = TimelineEventQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "sequence"], name="timeline_unique_sequence"),
        ]
        ordering = ["incident_id", "sequence"]
        indexes = [models.Index(fields=["incident", "-sequence"], name="timeline_recent")]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Timeline events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Timeline events cannot be deleted.")

    def compute_hash(self) -> str:
        payload = {
            "incident": self.incident_id,
            "sequence": self.sequence,
            "kind": self.kind,
            "actor": self.actor_id,
            "occurred_at": self.occurred_at.isoformat(),
            "summary": self.summary,
            "data": self.data,
            "previous_hash": self.previous_hash,
        }
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
        return hashlib.sha256(canonical.encode()).hexdigest()
