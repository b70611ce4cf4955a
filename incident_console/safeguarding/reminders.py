"""Safeguarding deadlines as reminder sources: the owner hears when an item is due within the lead
time (``SAFEGUARDING_LEAD_HOURS``); once overdue, the ladder runs from the owner to Silver of the
service's social care cell and then Gold, until someone acknowledges or the item is completed.

Subjects go by text message: the kind of item, when it is due and the incident reference, never
the case reference or a name.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from incident_console.lib.choices import Tier
from incident_console.notifications.sources import LIVE, Occurrence, Source, _key_ids

from .models import Deadline, DeadlineStatus
from .services import due_wording

LOOK_BACK = timedelta(days=7)  # an item overdue for weeks before reminders existed is not news


def _key(pk: int) -> str:
    return f"deadline:{pk}"


class _DeadlineSource(Source):
    def _items(self, window: Q) -> Iterable[Deadline]:
        return (
            Deadline.objects.filter(window, status=DeadlineStatus.OPEN, incident__status__in=LIVE)
            .select_related("incident")
            .only(
                "id",
                "kind",
                "service",
                "due_at",
                "owner_id",
                "incident__id",
                "incident__council_id",
                "incident__reference",
            )
            .order_by("due_at", "id")
        )

    def _occurrence(self, deadline: Deadline, subject: str) -> Occurrence:
        incident = deadline.incident
        return Occurrence(
            council_id=incident.council_id,
            incident_id=incident.pk,
            source_key=_key(deadline.pk),
            occurrence=deadline.due_at.isoformat(),
            subject=subject
            % {
                "kind": deadline.get_kind_display(),
                "due": due_wording(deadline.due_at),
                "reference": incident.reference,
            },
            link=reverse("safeguarding:deadlines", args=[incident.pk]),
            first_recipient_ids=(deadline.owner_id,) if deadline.owner_id else (),
            tier=Tier.BRONZE,
            cell=deadline.service,  # the service's values name its social care cell
        )

    def settled(self, source_keys: list[str], at: datetime) -> set[str]:
        ids = _key_ids(source_keys)
        still_open = set(
            Deadline.objects.filter(
                pk__in=ids, status=DeadlineStatus.OPEN, incident__status__in=LIVE
            ).values_list("pk", flat=True)
        )
        return {key for pk, key in ids.items() if pk not in still_open}


class DeadlineDueSoon(_DeadlineSource):
    """An open item coming due: its owner hears; nobody is escalated to."""

    kind = "safeguarding_deadline_due_soon"
    escalates = False
    label = "Safeguarding deadline due soon"

    def due(self, at: datetime) -> Iterable[Occurrence]:
        for deadline in self._items(Q(due_at__gt=at, due_at__lte=at + self.lead_time)):
            yield self._occurrence(deadline, _("%(kind)s due %(due)s (%(reference)s)"))


class DeadlineOverdue(_DeadlineSource):
    """An open item past its due time: the owner, then Silver of the cell, then Gold."""

    kind = "safeguarding_deadline_overdue"
    label = "Safeguarding deadline overdue"

    def due(self, at: datetime) -> Iterable[Occurrence]:
        for deadline in self._items(Q(due_at__lte=at, due_at__gt=at - LOOK_BACK)):
            yield self._occurrence(deadline, _("Overdue: %(kind)s was due %(due)s (%(reference)s)"))
