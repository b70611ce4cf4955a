"""A handover from response to recovery that nobody has taken on: the incident's lead and the
current Gold hear once it has waited ``RECOVERY_HANDOVER_ACKNOWLEDGE_HOURS``. Nobody else is
told: taking it on is theirs to do."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from incident_console.incidents.models import ParticipantRole, Participation, Status
from incident_console.lib.choices import Tier
from incident_console.notifications.sources import Occurrence, Source, _holder_ids, _key_ids

from .models import RecoveryHandover

KIND = "recovery_handover_not_acknowledged"


def _waiting() -> QuerySet[RecoveryHandover]:
    """Handovers not taken on, still the latest of an incident that is still in recovery."""
    newer = RecoveryHandover.objects.filter(incident_id=OuterRef("incident_id"), pk__gt=OuterRef("pk"))
    return RecoveryHandover.objects.filter(
        acknowledged_at__isnull=True, incident__status=Status.RECOVERY
    ).exclude(Exists(newer))


class RecoveryHandoverNotAcknowledged(Source):
    kind = KIND
    label = "Handover to recovery not taken on"
    escalates = False

    def due(self, at: datetime) -> Iterable[Occurrence]:
        waiting = list(_waiting().filter(created_at__lte=at - self.lead_time).select_related("incident"))
        if not waiting:
            return
        incident_ids = {h.incident_id for h in waiting}
        leads: dict[int, list[int]] = {}
        rows = Participation.objects.filter(
            incident_id__in=incident_ids, role=ParticipantRole.LEAD, ended_at__isnull=True
        ).values_list("incident_id", "user_id")
        for incident_id, user_id in rows.order_by("pk"):
            leads.setdefault(incident_id, []).append(user_id)
        golds = _holder_ids(incident_ids, {Tier.GOLD})
        for handover in waiting:
            incident = handover.incident
            people = dict.fromkeys([*leads.get(incident.pk, []), *golds.get(incident.pk, [])])
            yield Occurrence(
                council_id=incident.council_id,
                incident_id=incident.pk,
                source_key=f"recovery-handover:{handover.pk}",
                occurrence="1",
                subject=_("The handover to recovery for incident %(reference)s has not been taken on")
                % {"reference": incident.reference},
                link=reverse("lessons:handover", args=[incident.pk, handover.pk]),
                first_recipient_ids=tuple(people),
                tier=Tier.GOLD,
            )

    def settled(self, source_keys: list[str], at: datetime) -> set[str]:
        ids = _key_ids(source_keys)
        still_waiting = set(_waiting().filter(pk__in=ids).values_list("pk", flat=True))
        return {key for pk, key in ids.items() if pk not in still_waiting}
