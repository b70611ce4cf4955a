"""Priority case contacts as reminders: the owner hears as the contact comes due; overdue climbs the
ladder of the service's cell; a recorded contact settles it; a new due time is a new reminder."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from pytest_django import Settings

from incident_console.command.services import assign_role
from incident_console.lib.time import london, now
from incident_console.notifications import services, sources
from incident_console.notifications.models import Alert, AlertState, Notification
from incident_console.priority_cases.models import PriorityCase
from incident_console.priority_cases.services import record_contact
from tests.conftest import World
from tests.contacts.helpers import social_worker
from tests.priority_cases.helpers import REFERENCE, a_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _leads(settings: Settings) -> None:
    settings.ESCALATE_AFTER_MINUTES = 30
    settings.PRIORITY_CONTACT_LEAD_MINUTES = 60


def heard(kind: str) -> list[tuple[int, str]]:
    return sorted(Notification.objects.filter(alert__kind=kind).values_list("step", "recipient__username"))


def sweep_at(at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        services.sweep()


def childrens_case(world: World, due: datetime) -> PriorityCase:
    """bronze (a children's social worker) owns it; bystander is Silver for children's social care;
    gold holds Gold."""
    social_worker(world, "bronze")
    assign_role(
        incident=world.incident_a,
        actor=world.people["gold"],
        user=world.people["bystander"],
        tier="silver",
        cell="childrens_social_care",
    )
    return a_case(world, owner=world.people["bronze"], next_contact_due=due)


def test_both_sources_are_registered() -> None:
    assert {"priority_contact_due_soon", "priority_contact_overdue"} <= set(sources.registered())


def test_the_owner_hears_within_the_lead_time_with_no_case_details_in_the_subject(world: World) -> None:
    due = (now() + timedelta(hours=3)).replace(second=0, microsecond=0)
    childrens_case(world, due)
    sweep_at(due - timedelta(minutes=61))
    assert heard("priority_contact_due_soon") == []
    sweep_at(due - timedelta(minutes=59))
    sweep_at(due - timedelta(minutes=30))
    assert heard("priority_contact_due_soon") == [(0, "a-bronze")]
    alert = Alert.objects.get(kind="priority_contact_due_soon")
    assert alert.subject == (
        f"EXERCISE: Priority case contact due {london(due):%H:%M} "
        f"({world.incident_a.reference}, children's social care)"
    )
    assert REFERENCE not in alert.subject and "protection" not in alert.subject
    assert alert.next_step_at is None, "a reminder before the due time does not climb the ladder"


def test_an_overdue_contact_climbs_to_silver_of_the_childrens_cell_then_gold(world: World) -> None:
    due = (now() + timedelta(hours=1)).replace(second=0, microsecond=0)
    childrens_case(world, due)
    sweep_at(due + timedelta(minutes=1))
    sweep_at(due + timedelta(minutes=32))
    sweep_at(due + timedelta(minutes=63))
    assert heard("priority_contact_overdue") == [(0, "a-bronze"), (1, "a-bystander"), (2, "a-gold")]
    alert = Alert.objects.get(kind="priority_contact_overdue")
    assert alert.cell == "childrens_social_care" and alert.tier == "bronze"


def test_an_adult_case_escalates_to_the_adult_social_care_cell(world: World) -> None:
    due = (now() + timedelta(hours=1)).replace(second=0, microsecond=0)
    social_worker(world, "bronze")
    for key, cell in (("bystander", "childrens_social_care"), ("admin", "adult_social_care")):
        assign_role(
            incident=world.incident_a,
            actor=world.people["gold"],
            user=world.people[key],
            tier="silver",
            cell=cell,
        )
    a_case(world, owner=world.people["bronze"], service="adult_social_care", next_contact_due=due)
    sweep_at(due + timedelta(minutes=1))
    sweep_at(due + timedelta(minutes=32))
    assert heard("priority_contact_overdue") == [(0, "a-bronze"), (1, "a-admin")]


def test_a_recorded_contact_settles_the_reminder_and_the_new_due_time_is_a_new_one(world: World) -> None:
    due = (now() + timedelta(hours=1)).replace(second=0, microsecond=0)
    case = childrens_case(world, due)
    sweep_at(due + timedelta(minutes=1))
    with time_machine.travel(due + timedelta(minutes=10), tick=False):
        record_contact(
            case=case,
            actor=world.people["bronze"],
            contacted_at=now() - timedelta(minutes=2),
            contacted_by=world.people["bronze"],
            result="contacted_safe",
            outcome="Seen at the new address",
            next_contact_due=due + timedelta(days=1),
        )
    sweep_at(due + timedelta(minutes=11))
    assert Alert.objects.get(kind="priority_contact_overdue").state == AlertState.RESOLVED
    sweep_at(due + timedelta(minutes=45))
    assert heard("priority_contact_overdue") == [(0, "a-bronze")], "nobody above hears once contact is made"
    sweep_at(due + timedelta(days=1, minutes=1))
    overdue = Alert.objects.filter(kind="priority_contact_overdue").order_by("pk")
    assert [a.state for a in overdue] == [AlertState.RESOLVED, AlertState.OPEN]


def test_a_closed_case_is_not_reminded(world: World) -> None:
    due = (now() + timedelta(hours=1)).replace(second=0, microsecond=0)
    case = childrens_case(world, due)
    PriorityCase.objects.filter(pk=case.pk).update(status="closed", closed_reason="Moved away")
    sweep_at(due + timedelta(minutes=1))
    assert not Alert.objects.filter(kind__startswith="priority_contact").exists()


def test_the_sources_ask_a_constant_number_of_queries(world: World, django_assert_num_queries) -> None:
    due = now() + timedelta(minutes=30)
    for i in range(5):
        a_case(world, reference=f"R-{i}", next_contact_due=due + timedelta(minutes=i))
    source = sources.registered()["priority_contact_overdue"]
    soon = sources.registered()["priority_contact_due_soon"]
    keys = [o.source_key for o in soon.due(now())]
    assert len(keys) == 5
    with django_assert_num_queries(1):
        list(soon.due(now()))
    with django_assert_num_queries(1):
        assert source.settled(keys, now()) == set()
