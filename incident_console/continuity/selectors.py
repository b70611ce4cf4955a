"""Reads for manual records and the close-incident guard."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet

from .models import UNRECONCILED, ClosureOverride, ManualRecord, ManualService, RecordState

if TYPE_CHECKING:
    from incident_console.incidents.models import Incident

# What the list shows: the two states still to do, or one state, or everything.
STATE_FILTERS = ("unreconciled", *RecordState.values, "all")


def records_for(incident: Incident) -> QuerySet[ManualRecord]:
    return ManualRecord.objects.filter(incident=incident).select_related(
        "recorded_by", "entered_by", "verified_by", "returned_by"
    )


def record_for(incident: Incident, pk: int) -> ManualRecord | None:
    return records_for(incident).filter(pk=pk).first()


def unreconciled(incident: Incident) -> QuerySet[ManualRecord]:
    return ManualRecord.objects.filter(incident=incident, state__in=UNRECONCILED)


def filtered(incident: Incident, *, state: str = "unreconciled", service: str = "") -> QuerySet[ManualRecord]:
    """Records by age (oldest first): ``state`` is one of STATE_FILTERS, ``service`` a
    ManualService value or empty for both."""
    rows = records_for(incident)
    if state == "unreconciled":
        rows = rows.filter(state__in=UNRECONCILED)
    elif state in RecordState.values:
        rows = rows.filter(state=state)
    if service in ManualService.values:
        rows = rows.filter(service=service)
    return rows.order_by("happened_at", "pk")


@dataclass
class Counts:
    """How many records per service and state, with totals: one query."""

    cells: dict[tuple[str, str], int] = field(default_factory=dict)

    def get(self, service: str, state: str) -> int:
        return self.cells.get((service, state), 0)

    def rows(self) -> list[dict[str, object]]:
        return [
            {
                "service": label,
                "value": value,
                "counts": [self.get(value, s) for s in RecordState.values],
                "total": sum(self.get(value, s) for s in RecordState.values),
            }
            for value, label in ManualService.choices
        ]

    def state_totals(self) -> list[int]:
        return [sum(self.get(v, s) for v, _l in ManualService.choices) for s in RecordState.values]

    def total(self) -> int:
        return sum(self.state_totals())


def counts(incident: Incident) -> Counts:
    rows = (
        ManualRecord.objects.filter(incident=incident)
        .values_list("service", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Counts({(service, state): n for service, state, n in rows})


@dataclass
class CloseGuard:
    """Whether manual records stop the incident from closing."""

    unreconciled: int
    uncovered: int
    override: ClosureOverride | None

    @property
    def blocked(self) -> bool:
        return self.uncovered > 0


def close_guard(incident: Incident) -> CloseGuard:
    """Records not reconciled, and how many of them Gold's latest closure decision does not cover
    (those recorded after it). Two queries."""
    override = (
        ClosureOverride.objects.filter(incident=incident).select_related("decision", "decided_by").first()
    )
    total = unreconciled(incident).count()
    if override is None or total == 0:
        return CloseGuard(total, total, override)
    uncovered = unreconciled(incident).filter(recorded_at__gt=override.created_at).count()
    return CloseGuard(total, uncovered, override)
