"""Reads for broadcasts: who is in each group, and who has acknowledged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from incident_console.accounts.models import User
from incident_console.command.models import Assignment, cell_label
from incident_console.incidents.models import Incident, ParticipantRole, Participation
from incident_console.lib.time import LONDON, now
from incident_console.notifications.models import Alert, AlertState, Delivery

from .models import Audience, Broadcast, Recipient

KIND = "broadcast"


def _holders(incident: Incident) -> QuerySet[Assignment]:
    return Assignment.objects.filter(incident=incident, relinquished_at__isnull=True)


def _taking_part(incident: Incident, roles: list[str]) -> QuerySet[Participation]:
    return Participation.objects.filter(incident=incident, role__in=roles, ended_at__isnull=True)


def _on_rota_today(incident: Incident, at: datetime) -> set[int]:
    from incident_console.rotas.models import Rota
    from incident_console.rotas.selectors import rotas_with_everything, shifts_for

    local = at.astimezone(LONDON)
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    day_end = day_start + timedelta(days=1)  # wall-clock arithmetic: the next midnight, clock changes too
    rotas = Rota.objects.filter(council_id=incident.council_id).filter(
        Q(incident__isnull=True) | Q(incident=incident)
    )
    people: set[int] = set()
    for rota in rotas_with_everything(rotas):
        people |= {s.person for s in shifts_for(rota, day_start, day_end) if s.person is not None}
    return people


def audience_members(
    incident: Incident, audience: str, cell: str = "", at: datetime | None = None
) -> list[tuple[User, str]]:
    """The active people in a group now, each with why they are in it."""
    reasons: dict[int, str] = {}
    if audience in (Audience.RESPONDERS, Audience.EVERYONE):
        roles: list[str] = [ParticipantRole.LEAD, ParticipantRole.RESPONDER]
        if audience == Audience.EVERYONE:
            roles.append(ParticipantRole.STAFF)
        for user_id, role in _taking_part(incident, roles).values_list("user_id", "role"):
            reasons.setdefault(user_id, str(ParticipantRole(role).label))
        for user_id, tier, held_cell in _holders(incident).values_list("user_id", "tier", "cell"):
            reasons.setdefault(user_id, _role_reason(tier, held_cell))
    elif audience == Audience.CELL:
        for user_id, tier, held_cell in (
            _holders(incident).filter(cell=cell).values_list("user_id", "tier", "cell")
        ):
            reasons.setdefault(user_id, _role_reason(tier, held_cell))
    elif audience == Audience.ON_ROTA_TODAY:
        for user_id in _on_rota_today(incident, at or now()):
            reasons.setdefault(user_id, _("on a rota today"))
    people = User.objects.filter(pk__in=reasons, is_active=True).order_by("full_name", "pk")
    return [(person, reasons[person.pk]) for person in people]


def _role_reason(tier: str, cell: str) -> str:
    label = tier.capitalize()
    return f"{label}, {cell_label(cell)}" if cell else label


def cells_in_use(incident: Incident) -> list[tuple[str, str]]:
    cells = sorted(set(_holders(incident).exclude(cell="").values_list("cell", flat=True)))
    return [(cell, cell_label(cell)) for cell in cells]


def broadcasts_for(incident: Incident) -> QuerySet[Broadcast]:
    return Broadcast.objects.filter(incident=incident).select_related("sender")


def acknowledgement_counts(broadcasts: list[Broadcast]) -> dict[int, tuple[int, int]]:
    """For each broadcast: (people acknowledged, people asked). Two queries for any number."""
    recipients = list(Recipient.objects.filter(broadcast__in=broadcasts).values_list("pk", "broadcast_id"))
    acknowledged = acknowledged_keys([f"broadcast:{pk}" for pk, _b in recipients])
    counts: dict[int, tuple[int, int]] = {b.pk: (0, 0) for b in broadcasts}
    for pk, broadcast_id in recipients:
        done, asked = counts[broadcast_id]
        counts[broadcast_id] = (done + (f"broadcast:{pk}" in acknowledged), asked + 1)
    return counts


def acknowledged_keys(keys: list[str]) -> dict[str, datetime]:
    rows = Alert.objects.filter(kind=KIND, source_key__in=keys, state=AlertState.ACKNOWLEDGED).values_list(
        "source_key", "acknowledged_at"
    )
    found: dict[str, datetime] = {}
    for key, at in rows:
        if at is not None and (key not in found or at < found[key]):
            found[key] = at
    return found


@dataclass
class RecipientStatus:
    recipient: Recipient
    acknowledged_at: datetime | None
    messages_sent: int  # alerts raised: the first message and each chase
    failed: list[str]  # reasons outside channels failed for good


def recipient_statuses(broadcast: Broadcast) -> list[RecipientStatus]:
    """Everyone asked, with when they acknowledged, how often they were asked and any channel
    that failed for good. Three queries for any number of people."""
    recipients = list(broadcast.recipients.select_related("user").order_by("user__full_name", "pk"))
    keys = [r.source_key for r in recipients]
    acknowledged = acknowledged_keys(keys)
    sent: dict[str, int] = {}
    for key in Alert.objects.filter(kind=KIND, source_key__in=keys).values_list("source_key", flat=True):
        sent[key] = sent.get(key, 0) + 1
    failed: dict[str, list[str]] = {}
    for key, channel, error in Delivery.objects.filter(
        notification__alert__kind=KIND, notification__alert__source_key__in=keys, state="failed"
    ).values_list("notification__alert__source_key", "channel", "last_error"):
        failed.setdefault(key, []).append(f"{channel}: {error}")
    return [
        RecipientStatus(
            recipient=r,
            acknowledged_at=acknowledged.get(r.source_key),
            messages_sent=sent.get(r.source_key, 0),
            failed=failed.get(r.source_key, []),
        )
        for r in recipients
    ]


def broadcast_for(incident: Incident, pk: int) -> Broadcast | None:
    return broadcasts_for(incident).filter(pk=pk).first()


def received(user_id: int, incident_id: int, pk: int) -> tuple[Broadcast, Recipient | None] | None:
    """A broadcast of this incident and, when it was sent to this person, who they are on it."""
    broadcast = (
        Broadcast.objects.filter(pk=pk, incident_id=incident_id).select_related("sender", "incident").first()
    )
    if broadcast is None:
        return None
    return broadcast, broadcast.recipients.filter(user_id=user_id).first()
