"""What reminds whom: each kind of reminder is a small registered ``Source``.

A source finds the occurrences that are due at an instant (``due``) and says which of its open
alerts are no longer needed (``settled``), for example because the checklist item is now done.
The sweep does the rest: one alert per occurrence, the escalation ladder, the channels. A new
kind of reminder (the ICO clock, a safeguarding deadline) is a new ``Source`` registered here,
not a new mechanism.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import ClassVar

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from incident_console.guidance.models import ChecklistItem, ItemStatus
from incident_console.incidents.models import Status


@dataclass(frozen=True)
class Occurrence:
    """One thing that has come due. ``subject`` is what an SMS may say: no personal data."""

    council_id: int
    incident_id: int | None
    source_key: str
    occurrence: str
    subject: str
    link: str
    first_recipient_ids: tuple[int, ...] = ()
    tier: str = ""  # the command tier the first recipient works at, to find the tier above
    cell: str = ""


@dataclass(frozen=True)
class Source:
    kind: ClassVar[str]
    escalates: ClassVar[bool] = True
    label: ClassVar[str]
    lead_time: timedelta = field(default_factory=timedelta)

    def due(self, at: datetime) -> Iterable[Occurrence]:
        raise NotImplementedError

    def settled(self, source_keys: list[str], at: datetime) -> set[str]:
        """Of these source keys, the ones whose reminders are no longer needed."""
        raise NotImplementedError


OPEN_ITEM = ~Q(status__in=[ItemStatus.DONE, ItemStatus.NOT_APPLICABLE]) & Q(
    checklist__incident__status__in=[Status.DECLARED, Status.RESPONSE, Status.RECOVERY]
)


def _item_key(pk: int) -> str:
    return f"item:{pk}"


def _item_ids(source_keys: list[str]) -> dict[int, str]:
    return {int(key.split(":", 1)[1]): key for key in source_keys}


class _ChecklistItemSource(Source):
    def _items(self, window: Q) -> Iterable[ChecklistItem]:
        return (
            ChecklistItem.objects.filter(OPEN_ITEM, window, due_at__isnull=False)
            .select_related("checklist__incident")
            .only(
                "id",
                "due_at",
                "owner_id",
                "suggested_tier",
                "suggested_cell",
                "checklist__incident__id",
                "checklist__incident__council_id",
                "checklist__incident__reference",
            )
            .order_by("due_at", "id")
        )

    def settled(self, source_keys: list[str], at: datetime) -> set[str]:
        ids = _item_ids(source_keys)
        still_open = set(ChecklistItem.objects.filter(OPEN_ITEM, pk__in=ids).values_list("pk", flat=True))
        return {key for pk, key in ids.items() if pk not in still_open}

    def _occurrence(self, item: ChecklistItem, subject: str) -> Occurrence:
        incident = item.checklist.incident
        assert item.due_at is not None
        return Occurrence(
            council_id=incident.council_id,
            incident_id=incident.pk,
            source_key=_item_key(item.pk),
            occurrence=item.due_at.isoformat(),
            subject=subject % {"reference": incident.reference},
            link=reverse("guidance:item", args=[item.pk]),
            first_recipient_ids=(item.owner_id,) if item.owner_id else (),
            tier=item.suggested_tier,
            cell=item.suggested_cell,
        )


class ChecklistItemDueSoon(_ChecklistItemSource):
    """An open action coming due: its owner hears first; nobody is escalated to."""

    kind = "checklist_item_due_soon"
    escalates = False
    label = "Action due soon"

    def due(self, at: datetime) -> Iterable[Occurrence]:
        window = Q(due_at__gt=at, due_at__lte=at + self.lead_time)
        for item in self._items(window):
            yield self._occurrence(item, _("An action for incident %(reference)s is due soon"))


class ChecklistItemOverdue(_ChecklistItemSource):
    """An open action past its due time: owner, then up the command chain until acknowledged."""

    kind = "checklist_item_overdue"
    label = "Action overdue"

    def due(self, at: datetime) -> Iterable[Occurrence]:
        # Only recent ones: an action overdue for weeks before reminders existed is not news.
        window = Q(due_at__lte=at, due_at__gt=at - timedelta(days=7))
        for item in self._items(window):
            yield self._occurrence(item, _("An action for incident %(reference)s is overdue"))


def registered() -> dict[str, Source]:
    lead = timedelta(minutes=settings.REMINDER_LEAD_MINUTES)
    sources: list[Source] = [ChecklistItemDueSoon(lead_time=lead), ChecklistItemOverdue()]
    return {source.kind: source for source in sources}
