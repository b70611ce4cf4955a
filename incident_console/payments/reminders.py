"""A bank-detail change left undecided: payments to that payee carry a warning until a call-back
on a known number and a second person settle it, and payment diversion fraud counts on nobody
chasing. Once a change has waited ``BANK_CHANGE_REMINDER_HOURS`` the person who recorded it and
the incident's Silver hear; unsettled, it climbs to Gold. The message names the change by number
only, never the payee or the account."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from incident_console.lib.choices import Tier
from incident_console.notifications.sources import LIVE, Occurrence, Source, _holder_ids, _key_ids

from .models import BankDetailChange, ChangeState

KIND = "bank_change_undecided"
UNDECIDED = (ChangeState.AWAITING_CALL_BACK, ChangeState.AWAITING_CONFIRMATION)


def _undecided() -> QuerySet[BankDetailChange]:
    return BankDetailChange.objects.filter(state__in=UNDECIDED, incident__status__in=LIVE)


class BankChangeUndecided(Source):
    kind = KIND
    label = "Bank detail change not yet decided"

    def due(self, at: datetime) -> Iterable[Occurrence]:
        waiting = list(_undecided().filter(requested_at__lte=at - self.lead_time).select_related("incident"))
        if not waiting:
            return
        silvers = _holder_ids({change.incident_id for change in waiting}, {Tier.SILVER})
        for change in waiting:
            incident = change.incident
            people = dict.fromkeys([change.requested_by_id, *silvers.get(incident.pk, [])])
            yield Occurrence(
                council_id=incident.council_id,
                incident_id=incident.pk,
                source_key=f"bank-change:{change.pk}",
                occurrence="1",
                subject=_(
                    "Bank detail change %(number)s for incident %(reference)s still needs its call-back "
                    "or a second person's decision"
                )
                % {"number": change.number, "reference": incident.reference},
                link=reverse("payments:change", args=[incident.pk, change.pk]),
                first_recipient_ids=tuple(people),
                tier=Tier.SILVER,
            )

    def settled(self, source_keys: list[str], at: datetime) -> set[str]:
        ids = _key_ids(source_keys)
        still_waiting = set(_undecided().filter(pk__in=ids).values_list("pk", flat=True))
        return {key for pk, key in ids.items() if pk not in still_waiting}
