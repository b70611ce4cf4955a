"""Reads of the timeline, and verification of its hash chain."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from .models import TimelineEvent
from .services import GENESIS_HASH


def events_for(incident_id: int, *, newest_first: bool = True) -> QuerySet[TimelineEvent]:
    order = "-sequence" if newest_first else "sequence"
    return TimelineEvent.objects.filter(incident_id=incident_id).select_related("actor").order_by(order)


@dataclass(frozen=True)
class BrokenRow:
    incident_id: int
    sequence: int
    event_id: int
    reason: str


def verify_chain(events: Iterable[TimelineEvent]) -> BrokenRow | None:
    """Check events of one incident in sequence order; return the first broken row, if any."""
    previous_hash = GENESIS_HASH
    expected_sequence = 1
    for event in events:
        if event.sequence != expected_sequence:
            return BrokenRow(
                event.incident_id, event.sequence, event.pk, f"expected sequence {expected_sequence}"
            )
        if event.previous_hash != previous_hash:
            return BrokenRow(event.incident_id, event.sequence, event.pk, "previous hash does not match")
        if event.compute_hash() != event.hash:
            return BrokenRow(event.incident_id, event.sequence, event.pk, "content does not match its hash")
        previous_hash = event.hash
        expected_sequence += 1
    return None


def verify_all(incident_ids: Iterable[int] | None = None) -> list[BrokenRow]:
    """Verify every incident's chain (or the given ones), reading in batches."""
    qs = TimelineEvent.objects.order_by("incident_id", "sequence")
    if incident_ids is not None:
        qs = qs.filter(incident_id__in=list(incident_ids))
    broken: list[BrokenRow] = []
    current: int | None = None
    batch: list[TimelineEvent] = []
    for event in qs.iterator(chunk_size=2000):
        if event.incident_id != current:
            if batch and (row := verify_chain(batch)):
                broken.append(row)
            current, batch = event.incident_id, []
        batch.append(event)
    if batch and (row := verify_chain(batch)):
        broken.append(row)
    return broken
