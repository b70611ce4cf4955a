"""What reminds whom: each kind of reminder is a small registered ``Source``.

A source finds the occurrences that are due at an instant (``due``) and says which of its open
alerts are no longer needed (``settled``), for example because the checklist item is now done.
The sweep does the rest: one alert per occurrence, the escalation ladder, the channels. A new
kind of reminder (the ICO clock, a safeguarding deadline) is a new ``Source`` registered here,
not a new mechanism.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from incident_console.guidance.models import ChecklistItem, ItemStatus
from incident_console.incidents.models import Status
from incident_console.lib.choices import Tier
from incident_console.lib.time import london

if TYPE_CHECKING:
    from incident_console.rotas.models import Rota

LIVE = [Status.DECLARED, Status.RESPONSE, Status.RECOVERY]


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
class Source(ABC):
    """One kind of reminder. Subclasses name their kind and say what is due and what is settled."""

    kind: ClassVar[str]
    escalates: ClassVar[bool] = True
    # Out-of-band only: personal email and SMS, never council email (which may be down).
    out_of_band: ClassVar[bool] = False
    label: ClassVar[str]
    lead_time: timedelta = field(default_factory=timedelta)

    @abstractmethod
    def due(self, at: datetime) -> Iterable[Occurrence]:
        """The occurrences that have come due at ``at``."""

    @abstractmethod
    def settled(self, source_keys: list[str], at: datetime) -> set[str]:
        """Of these source keys, the ones whose reminders are no longer needed."""


OPEN_ITEM = ~Q(status__in=[ItemStatus.DONE, ItemStatus.NOT_APPLICABLE]) & Q(
    checklist__incident__status__in=LIVE
)


def _item_key(pk: int) -> str:
    return f"item:{pk}"


def _key_ids(source_keys: list[str]) -> dict[int, str]:
    """The ids in keys of the form "<prefix>:<id>", mapped back to their keys."""
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
        ids = _key_ids(source_keys)
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


def _holder_ids(incident_ids: set[int], tiers: set[str]) -> dict[int, list[int]]:
    """Current (non-deputy) command role holders at these tiers, per incident."""
    from incident_console.command.models import Assignment

    holders: dict[int, list[int]] = {}
    rows = Assignment.objects.filter(
        incident_id__in=incident_ids, tier__in=tiers, is_deputy=False, relinquished_at__isnull=True
    ).values_list("incident_id", "user_id")
    for incident_id, user_id in rows.order_by("pk"):
        holders.setdefault(incident_id, []).append(user_id)
    return holders


# Who a battle-rhythm occurrence concerns, by its kind.
RHYTHM_TIERS = {
    "gold": {"gold"},
    "silver": {"silver"},
    "cell": {"silver", "bronze"},
    "sitrep": {"silver", "gold"},
    "comms": {"silver", "gold"},
}


class BattleRhythmDueSoon(Source):
    """A Gold or Silver meeting, cell stand-up or sitrep deadline coming up: its role holders."""

    kind = "battle_rhythm_due_soon"
    escalates = False
    label = "Meeting or deadline coming up"

    def due(self, at: datetime) -> Iterable[Occurrence]:
        from incident_console.command.models import RhythmEntry
        from incident_console.command.rhythm import occurrences

        entries = list(RhythmEntry.objects.filter(incident__status__in=LIVE).select_related("incident"))
        if not entries:
            return
        by_pk = {entry.pk: entry for entry in entries}
        found = occurrences(entries, at, at + self.lead_time + timedelta(seconds=1))
        holders = {
            kind: _holder_ids({e.incident_id for e in entries}, tiers) for kind, tiers in RHYTHM_TIERS.items()
        }
        for occurrence in found:
            entry = by_pk.get(occurrence.entry_id or 0)
            if entry is None or occurrence.at <= at:
                continue
            incident = entry.incident
            yield Occurrence(
                council_id=incident.council_id,
                incident_id=incident.pk,
                source_key=f"rhythm:{entry.pk}",
                occurrence=occurrence.at.isoformat(),
                subject=_("%(what)s for incident %(reference)s at %(time)s")
                % {
                    "what": entry.get_kind_display(),
                    "reference": incident.reference,
                    "time": f"{london(occurrence.at):%H:%M}",
                },
                link=reverse("command:rhythm", args=[incident.pk]),
                first_recipient_ids=tuple(holders.get(entry.kind, {}).get(incident.pk, [])),
            )

    def settled(self, source_keys: list[str], at: datetime) -> set[str]:
        return set()  # a reminder before a meeting is told once and needs no acknowledging


class HandoverNotAcknowledged(Source):
    """A command role handed over and not acknowledged in time: the incoming person, then up."""

    kind = "handover_not_acknowledged"
    label = "Handover not acknowledged"

    def due(self, at: datetime) -> Iterable[Occurrence]:
        from incident_console.command.models import Handover

        waiting = Handover.objects.filter(
            acknowledged_at__isnull=True,
            created_at__lte=at - self.lead_time,
            incoming__relinquished_at__isnull=True,
            incident__status__in=LIVE,
        ).select_related("incident", "incoming")
        for handover in waiting:
            incident = handover.incident
            yield Occurrence(
                council_id=incident.council_id,
                incident_id=incident.pk,
                source_key=f"handover:{handover.pk}",
                occurrence="1",
                subject=_("A command role handover for incident %(reference)s is waiting to be acknowledged")
                % {"reference": incident.reference},
                link=reverse("command:handover", args=[incident.pk, handover.pk]),
                first_recipient_ids=(handover.incoming.user_id,),
                tier=handover.incoming.tier,
                cell=handover.incoming.cell,
            )

    def settled(self, source_keys: list[str], at: datetime) -> set[str]:
        from incident_console.command.models import Handover

        ids = _key_ids(source_keys)
        still_waiting = set(
            Handover.objects.filter(
                pk__in=ids, acknowledged_at__isnull=True, incoming__relinquished_at__isnull=True
            ).values_list("pk", flat=True)
        )
        return {key for pk, key in ids.items() if pk not in still_waiting}


def _silvers_for(rota: Rota) -> list[int]:
    """Who holds Silver for a rota: in its incident, or, for a council rota, in any of the
    council's live incidents."""
    from incident_console.command.models import Assignment

    holding = Assignment.objects.filter(
        council_id=rota.council_id, tier=Tier.SILVER, is_deputy=False, relinquished_at__isnull=True
    )
    if rota.incident_id:
        holding = holding.filter(incident_id=rota.incident_id)
    else:
        holding = holding.filter(incident__status__in=LIVE)
    return list(holding.order_by("user_id").values_list("user_id", flat=True).distinct())


class ShiftStartingSoon(Source):
    """A rota shift about to start: the person on it. Nobody on it: the rota's owner and Silver
    (of the rota's incident, or of the council's live incidents), then Gold, deputies and the
    council's admins, until someone acknowledges."""

    kind = "shift_starting_soon"
    label = "Shift starting soon"

    def due(self, at: datetime) -> Iterable[Occurrence]:
        from incident_console.rotas.models import Rota
        from incident_console.rotas.selectors import gaps_for, rotas_with_everything, shifts_for

        end = at + self.lead_time
        for rota in rotas_with_everything(Rota.objects.all()):
            for shift in shifts_for(rota, at, end):
                if shift.start <= at or shift.person is None:
                    continue
                yield Occurrence(
                    council_id=rota.council_id,
                    incident_id=rota.incident_id,
                    source_key=f"shift:{rota.pk}:{shift.person}",
                    occurrence=shift.start.isoformat(),
                    subject=_("Your shift on the %(rota)s rota starts at %(time)s")
                    % {"rota": rota.name, "time": f"{london(shift.start):%H:%M}"},
                    link=reverse("rotas:mine"),
                    first_recipient_ids=(shift.person,),
                )
            for gap in gaps_for(rota, start=at, days=1):
                if not at < gap.start <= end:
                    continue
                yield Occurrence(
                    council_id=rota.council_id,
                    incident_id=rota.incident_id,
                    source_key=f"rota-gap:{rota.pk}",
                    occurrence=gap.start.isoformat(),
                    subject=_("Nobody is on the %(rota)s rota from %(time)s")
                    % {"rota": rota.name, "time": f"{london(gap.start):%a %H:%M}"},
                    link=reverse("rotas:detail", args=[rota.pk]),
                    first_recipient_ids=tuple(
                        dict.fromkeys([*([rota.owner_id] if rota.owner_id else []), *_silvers_for(rota)])
                    ),
                    tier=Tier.SILVER,
                )

    def settled(self, source_keys: list[str], at: datetime) -> set[str]:
        return set()


def escalates(kind: str) -> bool:
    """Does acknowledging this kind of reminder stop it being passed up the command chain? (The
    others ask the same person again until they acknowledge.)"""
    source = registered().get(kind)
    return source.escalates if source else True


def registered() -> dict[str, Source]:
    from incident_console.assessments.reminders import IcoClockReminder
    from incident_console.broadcasts.reminders import BroadcastNotAcknowledged
    from incident_console.lessons.reminders import RecoveryHandoverNotAcknowledged
    from incident_console.payments.reminders import BankChangeUndecided
    from incident_console.priority_cases.reminders import PriorityContactDueSoon, PriorityContactOverdue
    from incident_console.safeguarding.reminders import DeadlineDueSoon, DeadlineOverdue

    lead = timedelta(minutes=settings.REMINDER_LEAD_MINUTES)
    sources: list[Source] = [
        ChecklistItemDueSoon(lead_time=lead),
        ChecklistItemOverdue(),
        BattleRhythmDueSoon(lead_time=timedelta(minutes=settings.RHYTHM_LEAD_MINUTES)),
        HandoverNotAcknowledged(lead_time=timedelta(minutes=settings.HANDOVER_ACKNOWLEDGE_MINUTES)),
        ShiftStartingSoon(lead_time=timedelta(minutes=settings.SHIFT_LEAD_MINUTES)),
        BroadcastNotAcknowledged(),
        IcoClockReminder(),
        RecoveryHandoverNotAcknowledged(
            lead_time=timedelta(hours=settings.RECOVERY_HANDOVER_ACKNOWLEDGE_HOURS)
        ),
        DeadlineDueSoon(lead_time=timedelta(hours=settings.SAFEGUARDING_LEAD_HOURS)),
        DeadlineOverdue(),
        PriorityContactDueSoon(lead_time=timedelta(minutes=settings.PRIORITY_CONTACT_LEAD_MINUTES)),
        PriorityContactOverdue(),
        BankChangeUndecided(lead_time=timedelta(hours=settings.BANK_CHANGE_REMINDER_HOURS)),
    ]
    return {source.kind: source for source in sources}
