"""Broadcasts as a kind of reminder: each person asked hears at once and again every chase
interval (the incident's escalation wait) until they acknowledge or the chases run out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from incident_console.notifications.sources import Occurrence, Source

from .selectors import KIND, acknowledged_keys


class BroadcastNotAcknowledged(Source):
    kind = KIND
    label = "Staff broadcast"
    escalates = False  # nobody else is told: the same person is asked again
    out_of_band = True  # SMS and personal email: council email may be down

    def due(self, at: datetime) -> Iterable[Occurrence]:
        from .models import Recipient

        waiting = list(
            Recipient.objects.filter(
                broadcast__sent_at__lte=at, broadcast__chase_until__gte=at
            ).select_related("broadcast__incident", "broadcast__sender")
        )
        if not waiting:
            return
        acknowledged = acknowledged_keys([r.source_key for r in waiting])
        for recipient in waiting:
            if recipient.source_key in acknowledged:
                continue
            broadcast = recipient.broadcast
            elapsed = (at - broadcast.sent_at).total_seconds() / 60
            round_ = min(int(elapsed // max(broadcast.chase_minutes, 1)), _chases())
            incident = broadcast.incident
            subject = (
                _("From %(name)s, %(reference)s: %(message)s")
                if round_ == 0
                else _("Please acknowledge. From %(name)s, %(reference)s: %(message)s")
            ) % {
                "name": broadcast.sender.display_name,
                "reference": incident.reference,
                "message": broadcast.message,
            }
            yield Occurrence(
                council_id=broadcast.council_id,
                incident_id=incident.pk,
                source_key=recipient.source_key,
                occurrence=str(round_),
                subject=subject[:185],
                link=reverse("broadcasts:detail", args=[incident.pk, broadcast.pk]),
                first_recipient_ids=(recipient.user_id,),
            )

    def settled(self, source_keys: list[str], at: datetime) -> set[str]:
        return set(acknowledged_keys(source_keys))


def _chases() -> int:
    from .services import chases

    return chases()
