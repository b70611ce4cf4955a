"""More kinds of reminder, each a registered source: meetings, handovers and rota shifts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from pytest_django import Settings

from incident_console.command.services import add_rhythm_entry, assign_role
from incident_console.lib.time import LONDON, now
from incident_console.notifications import services
from incident_console.notifications.models import Alert, AlertState, Notification
from incident_console.rotas.models import Rota
from incident_console.rotas.selectors import rotas_with_everything, shifts_for
from tests import factories
from tests.command.helpers import handover_to_bronze
from tests.conftest import World
from tests.rotas.helpers import gap_rota, gold_rota

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _leads(settings: Settings) -> None:
    settings.ESCALATE_AFTER_MINUTES = 30
    settings.RHYTHM_LEAD_MINUTES = 15
    settings.HANDOVER_ACKNOWLEDGE_MINUTES = 30
    settings.SHIFT_LEAD_MINUTES = 60


def heard(kind: str) -> list[tuple[int, str]]:
    return sorted(Notification.objects.filter(alert__kind=kind).values_list("step", "recipient__username"))


def sweep_at(at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        services.sweep()


def test_silver_holders_hear_a_quarter_of_an_hour_before_the_silver_meeting_once(world: World) -> None:
    gold = world.people["gold"]
    assign_role(
        incident=world.incident_a, actor=gold, user=world.people["bystander"], tier="silver", cell="it"
    )
    tomorrow = (now().astimezone(LONDON) + timedelta(days=1)).date()
    meeting = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 8, 30, tzinfo=LONDON)
    add_rhythm_entry(
        incident=world.incident_a,
        actor=gold,
        kind="silver",
        title="Silver meeting",
        times=["08:30"],
        weekdays=[],
    )

    sweep_at(meeting - timedelta(minutes=20))
    assert heard("battle_rhythm_due_soon") == []
    sweep_at(meeting - timedelta(minutes=14))
    sweep_at(meeting - timedelta(minutes=5))

    assert heard("battle_rhythm_due_soon") == [(0, "a-bystander")]
    alert = Alert.objects.get(kind="battle_rhythm_due_soon")
    assert alert.subject.endswith("at 08:30")
    assert alert.next_step_at is None, "a meeting reminder does not climb the ladder"


def test_an_unacknowledged_handover_reminds_the_incoming_person_then_the_tier_above(world: World) -> None:
    gold = world.people["gold"]
    assign_role(
        incident=world.incident_a, actor=gold, user=world.people["bystander"], tier="silver", cell="it"
    )
    handover = handover_to_bronze(world)  # bronze takes over Bronze for IT
    start = handover.created_at

    sweep_at(start + timedelta(minutes=20))
    assert heard("handover_not_acknowledged") == []
    sweep_at(start + timedelta(minutes=31))
    assert heard("handover_not_acknowledged") == [(0, "a-bronze")]
    sweep_at(start + timedelta(minutes=62))
    assert heard("handover_not_acknowledged") == [(0, "a-bronze"), (1, "a-bystander")]


def test_acknowledging_the_handover_settles_its_reminder(world: World) -> None:
    from incident_console.command.services import acknowledge_handover

    handover = handover_to_bronze(world)
    start = handover.created_at
    sweep_at(start + timedelta(minutes=31))
    acknowledge_handover(handover=handover, actor=world.people["bronze"])

    sweep_at(start + timedelta(minutes=40))

    assert Alert.objects.get(kind="handover_not_acknowledged").state == AlertState.RESOLVED


def next_shift(rota: Rota) -> tuple[datetime, int]:
    fresh = rotas_with_everything(Rota.objects.filter(pk=rota.pk)).get()
    shift = next(s for s in shifts_for(fresh, now(), now() + timedelta(days=2)) if s.start > now())
    assert shift.person is not None
    return shift.start, shift.person


def test_the_person_on_the_next_shift_hears_an_hour_before_it_starts(world: World) -> None:
    rota = gold_rota(world)
    start, person = next_shift(rota)

    sweep_at(start - timedelta(minutes=90))
    assert heard("shift_starting_soon") == []
    sweep_at(start - timedelta(minutes=59))
    sweep_at(start - timedelta(minutes=30))

    (notification,) = Notification.objects.filter(alert__kind="shift_starting_soon")
    assert notification.recipient_id == person
    assert "Gold rota starts at" in notification.alert.subject


def next_evening() -> datetime:
    today = now().astimezone(LONDON).date()
    evening = datetime(today.year, today.month, today.day, 20, 0, tzinfo=LONDON)
    return evening if evening > now() else evening + timedelta(days=1)


def test_a_shift_with_nobody_on_it_goes_to_the_rota_owner_and_silver(world: World) -> None:
    gold = world.people["gold"]
    assign_role(
        incident=world.incident_a, actor=gold, user=world.people["bystander"], tier="silver", cell="it"
    )
    rota = gap_rota(world)  # a council rota, day shift only: nobody from 20:00
    evening = next_evening()

    sweep_at(evening - timedelta(minutes=45))

    alert = Alert.objects.get(kind="shift_starting_soon", source_key=f"rota-gap:{rota.pk}")
    assert "Nobody is on the Emergency Duty Team rota" in alert.subject
    assert heard("shift_starting_soon") == [(0, "a-bystander"), (0, "a-gold")]


def test_a_gap_in_an_incidents_rota_goes_to_that_incidents_silver_only(world: World) -> None:
    gold = world.people["gold"]
    assign_role(
        incident=world.incident_a, actor=gold, user=world.people["bystander"], tier="silver", cell="it"
    )
    other = factories.incident(world.a, gold, title="Another incident")
    assign_role(incident=other, actor=gold, user=world.people["bronze"], tier="silver", cell="adults")
    rota = gap_rota(world)
    rota.incident = other
    rota.owner = None
    rota.save()

    sweep_at(next_evening() - timedelta(minutes=45))

    assert heard("shift_starting_soon") == [(0, "a-bronze")]
