"""The one way to append to an incident's timeline."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from incident_console.lib.time import now

from .models import TimelineEvent

if TYPE_CHECKING:
    from incident_console.accounts.models import User
    from incident_console.incidents.models import Incident

GENESIS_HASH = "0" * 64


def record(
    *, incident: Incident, kind: str, actor: User | None, summary: str, data: dict[str, Any] | None = None
) -> TimelineEvent:
    """Append one event, chained to the previous one.

    The incident row is locked first so two writers cannot take the same sequence number.
    Callers are services already inside a transaction; this joins it.
    """
    from incident_console.incidents.models import Incident

    with transaction.atomic():
        Incident.objects.select_for_update().only("id").get(pk=incident.pk)
        last = (
            TimelineEvent.objects.filter(incident=incident)
            .order_by("-sequence")
            .values_list("sequence", "hash")
            .first()
        )
        sequence, previous_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        normalised = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
        event = TimelineEvent(
            incident=incident,
            sequence=sequence,
            kind=kind,
            actor=actor,
            occurred_at=now(),
            summary=summary[:500],
            data=normalised,
            previous_hash=previous_hash,
        )
        event.hash = event.compute_hash()
        event.save()
        return event
