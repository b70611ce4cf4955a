"""The ICO 72-hour clock as a reminder source: the council's DPO(s) and the incident's Gold hear at
24, 48, 66 and 72 hours after the council became aware, until the breach is reported to the ICO
or decided not reportable. One alert per controller council and milestone."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from incident_console.accounts.models import Membership, Role
from incident_console.incidents.models import Incident, Status
from incident_console.lib.choices import Tier
from incident_console.notifications.sources import Occurrence, Source

from .clock import MILESTONES, ClockState, last_milestone
from .models import ControllerAwareness
from .selectors import clocks_for

OPEN = [Status.DECLARED, Status.RESPONSE, Status.RECOVERY]
LOOK_BACK = timedelta(days=7)  # a clock that ran out long before reminders existed is not news


def _key(incident_id: int, council_id: int) -> str:
    return f"ico:{incident_id}:{council_id}"


def _recipients(incidents: list[Incident]) -> tuple[dict[int, list[int]], dict[tuple[int, int], list[int]]]:
    from incident_console.command.models import Assignment

    councils = {i.council_id for i in incidents} | set(
        Incident.shared_with.through.objects.filter(incident_id__in=[i.pk for i in incidents]).values_list(
            "council_id", flat=True
        )
    )
    dpos: dict[int, list[int]] = {}
    for council_id, user_id in (
        Membership.objects.filter(
            council_id__in=councils, role=Role.DPO, is_active=True, user__is_active=True
        )
        .order_by("user_id")
        .values_list("council_id", "user_id")
    ):
        dpos.setdefault(council_id, []).append(user_id)
    gold: dict[tuple[int, int], list[int]] = {}
    for incident_id, council_id, user_id in (
        Assignment.objects.filter(
            incident_id__in=[i.pk for i in incidents],
            tier=Tier.GOLD,
            cell="",  # the Gold commander, not a cell's representative at Gold
            is_deputy=False,
            relinquished_at__isnull=True,
        )
        .order_by("pk")
        .values_list("incident_id", "council_id", "user_id")
    ):
        gold.setdefault((incident_id, council_id), []).append(user_id)
    return dpos, gold


class IcoClockReminder(Source):
    """Reminds the DPO(s) and Gold of a controller council as its 72 hours run down."""

    kind = "ico_72_hour_clock"
    escalates = False
    label = "ICO 72-hour clock"

    def due(self, at: datetime) -> Iterable[Occurrence]:
        # Only incidents where some controller council has passed its first milestone: one query
        # when nothing is due.
        first = at - timedelta(hours=MILESTONES[0])
        oldest = at - LOOK_BACK - timedelta(hours=MILESTONES[-1])
        connected = ControllerAwareness.objects.filter(
            incident_id=OuterRef("pk"), aware_at__lte=first, aware_at__gt=oldest
        )
        incidents = list(
            Incident.objects.filter(status__in=OPEN)
            .filter(Q(aware_at__lte=first, aware_at__gt=oldest) | Exists(connected))
            .select_related("council")
        )
        if not incidents:
            return
        dpos, gold = _recipients(incidents)
        by_pk = {i.pk: i for i in incidents}
        for incident_id, clocks in clocks_for(incidents, at).items():
            incident = by_pk[incident_id]
            for clock in clocks:
                if clock.aware_at is None or clock.state in (ClockState.REPORTED, ClockState.NOT_REPORTABLE):
                    continue
                hours = last_milestone(clock.aware_at, at)
                if hours is None or clock.aware_at + timedelta(hours=hours) < at - LOOK_BACK:
                    continue
                people = [*dpos.get(clock.council_id, []), *gold.get((incident_id, clock.council_id), [])]
                subject = (
                    _("ICO deadline passed for incident %(reference)s: report or record the reasons")
                    if hours >= 72
                    else _("%(hours)s hours since awareness of %(reference)s: ICO report due by %(time)s")
                )
                yield Occurrence(
                    council_id=clock.council_id,
                    incident_id=incident_id,
                    source_key=_key(incident_id, clock.council_id),
                    occurrence=f"{hours}h",
                    subject=subject
                    % {
                        "hours": hours,
                        "reference": incident.reference,
                        "time": f"{clock.deadline_local:%a %d %b %H:%M}" if clock.deadline_local else "",
                    },
                    link=reverse("assessments:list", args=[incident_id]),
                    first_recipient_ids=tuple(dict.fromkeys(people)),
                    tier=Tier.GOLD,
                )

    def settled(self, source_keys: list[str], at: datetime) -> set[str]:
        wanted: dict[str, tuple[int, int]] = {}
        for key in source_keys:
            _prefix, incident_id, council_id = key.split(":")
            wanted[key] = (int(incident_id), int(council_id))
        incidents = list(Incident.objects.filter(pk__in={i for i, _c in wanted.values()}))
        states = {
            (incident_id, clock.council_id): clock.state
            for incident_id, clocks in clocks_for(incidents, at).items()
            for clock in clocks
        }
        open_ids = {i.pk for i in incidents if i.is_open}
        return {
            key
            for key, (incident_id, council_id) in wanted.items()
            if incident_id not in open_ids
            or states.get((incident_id, council_id)) in (ClockState.REPORTED, ClockState.NOT_REPORTABLE, None)
        }
