"""Reminders for checklist actions: who hears, when it climbs the ladder, and what stops it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from pytest_django import Settings

from incident_console.accounts.models import Role, User
from incident_console.guidance.models import ChecklistItem, ItemStatus
from incident_console.notifications import routing, services
from incident_console.notifications.models import Alert, AlertState, Delivery, DeliveryState, Notification
from incident_console.timeline.models import TimelineEvent
from tests import factories
from tests.conftest import World

pytestmark = pytest.mark.django_db

START = datetime.fromisoformat("2026-11-23T09:00:00+00:00")
ADMIN_STEP = routing.step_index("council_admin")
SWEEP_QUERIES = 22


@pytest.fixture(autouse=True)
def _ladder(settings: Settings) -> None:
    settings.ESCALATE_AFTER_MINUTES = 30
    settings.REMINDER_LEAD_MINUTES = 60


def an_action(w: World, *, owner: User | None, due: datetime) -> ChecklistItem:
    item = ChecklistItem.objects.filter(checklist__incident=w.incident_a).order_by("pk").first()
    assert item is not None
    item.owner = owner
    item.due_at = due
    item.status = ItemStatus.IN_PROGRESS
    item.save()
    return item


def who_heard(kind: str = "checklist_item_overdue") -> list[tuple[int, str]]:
    return sorted(Notification.objects.filter(alert__kind=kind).values_list("step", "recipient__username"))


def sweep_at(at: datetime) -> services.SweepResult:
    with time_machine.travel(at, tick=False):
        return services.sweep()


def test_an_overdue_action_reminds_its_owner_by_app_and_email_once(world: World) -> None:
    owner = world.people["bronze"]
    owner.email = "bronze@northgate.example"
    owner.save()
    an_action(world, owner=owner, due=START - timedelta(minutes=5))

    sweep_at(START)
    sweep_at(START + timedelta(minutes=1))

    assert who_heard() == [(0, "a-bronze")]
    deliveries = Delivery.objects.filter(notification__alert__kind="checklist_item_overdue")
    assert [(d.channel, d.address) for d in deliveries] == [("email", "bronze@northgate.example")]


def test_nobody_acknowledging_moves_it_up_the_ladder_after_the_set_time(world: World) -> None:
    an_action(world, owner=world.people["bronze"], due=START - timedelta(minutes=5))

    sweep_at(START)
    sweep_at(START + timedelta(minutes=29))
    assert who_heard() == [(0, "a-bronze")]

    sweep_at(START + timedelta(minutes=31))
    # With no command roles held, the council's admins are the next step that finds anyone.
    assert who_heard() == [(0, "a-bronze"), (ADMIN_STEP, "a-admin")]
    assert Alert.objects.get(kind="checklist_item_overdue").next_step_at is None


def test_acknowledging_stops_the_ladder_and_unsent_messages(world: World) -> None:
    owner = world.people["bronze"]
    owner.mobile_phone = "07700900123"
    owner.save()
    an_action(world, owner=owner, due=START - timedelta(minutes=5))
    sweep_at(START)
    notification = Notification.objects.get(recipient=owner, alert__kind="checklist_item_overdue")

    with time_machine.travel(START + timedelta(minutes=2), tick=False):
        services.acknowledge(notification=notification, actor=owner)
    sweep_at(START + timedelta(hours=2))

    alert = notification.alert
    alert.refresh_from_db()
    assert alert.state == AlertState.ACKNOWLEDGED
    assert alert.acknowledged_by == owner
    assert who_heard() == [(0, "a-bronze")]
    assert set(Delivery.objects.filter(notification=notification).values_list("state", flat=True)) == {
        DeliveryState.CANCELLED
    }
    assert TimelineEvent.objects.filter(incident=world.incident_a, kind="reminder_acknowledged").exists()


def test_someone_else_cannot_acknowledge_a_reminder_sent_to_another_person(world: World) -> None:
    an_action(world, owner=world.people["bronze"], due=START - timedelta(minutes=5))
    sweep_at(START)
    notification = Notification.objects.get(alert__kind="checklist_item_overdue")

    with pytest.raises(PermissionDenied, match="someone else"):
        services.acknowledge(notification=notification, actor=world.people["staff"])
    assert Alert.objects.get(kind="checklist_item_overdue").state == AlertState.OPEN


def test_finishing_the_action_settles_its_reminders(world: World) -> None:
    item = an_action(world, owner=world.people["bronze"], due=START - timedelta(minutes=5))
    sweep_at(START)
    item.status = ItemStatus.DONE
    item.save()

    sweep_at(START + timedelta(hours=1))

    assert Alert.objects.get(kind="checklist_item_overdue").state == AlertState.RESOLVED
    assert who_heard() == [(0, "a-bronze")]


def test_an_action_with_no_owner_goes_straight_to_the_next_step_that_finds_someone(world: World) -> None:
    an_action(world, owner=None, due=START - timedelta(minutes=5))

    sweep_at(START)

    assert who_heard() == [(ADMIN_STEP, "a-admin")]


def test_when_nobody_at_all_can_be_found_the_alert_is_unrouted_and_shown(world: World) -> None:
    world.people["admin"].memberships.update(role=Role.RESPONDER)
    an_action(world, owner=None, due=START - timedelta(minutes=5))

    sweep_at(START)

    alert = Alert.objects.get(kind="checklist_item_overdue")
    assert alert.state == AlertState.UNROUTED
    assert not Notification.objects.exists()
    assert TimelineEvent.objects.filter(incident=world.incident_a, kind="reminder_unrouted").exists()
    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        page = factories.signed_in_client(world.people["gold"]).get(f"/incidents/{world.incident_a.pk}/")
        dashboard = factories.signed_in_client(world.people["gold"]).get("/")
    assert "Nobody could be found to remind" in page.content.decode()
    assert "Nobody could be found to remind" in dashboard.content.decode()


def test_an_action_coming_due_reminds_its_owner_without_escalating(world: World) -> None:
    an_action(world, owner=world.people["bronze"], due=START + timedelta(minutes=45))

    sweep_at(START)
    sweep_at(START + timedelta(minutes=40))

    assert who_heard("checklist_item_due_soon") == [(0, "a-bronze")]
    assert Alert.objects.get(kind="checklist_item_due_soon").next_step_at is None


def test_every_message_of_an_exercise_starts_with_exercise(world: World) -> None:
    owner = world.people["bronze"]
    owner.email = "bronze@northgate.example"
    owner.save()
    assert world.incident_a.is_exercise
    an_action(world, owner=owner, due=START - timedelta(minutes=5))
    sweep_at(START)
    delivery = Delivery.objects.get(notification__alert__kind="checklist_item_overdue")

    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        assert services.send_delivery(delivery_id=delivery.pk) == "sent"

    assert mail.outbox[0].subject.startswith("EXERCISE: ")
    assert mail.outbox[0].body.startswith("EXERCISE: ")
    assert world.incident_a.reference in mail.outbox[0].subject


def test_messages_say_what_needs_attention_without_the_actions_words(world: World) -> None:
    owner = world.people["bronze"]
    owner.email = "bronze@northgate.example"
    owner.save()
    item = an_action(world, owner=owner, due=START - timedelta(minutes=5))
    item.title = "Visit Mrs Example at 12 Acacia Road about her care package"
    item.save()
    sweep_at(START)
    delivery = Delivery.objects.get(notification__alert__kind="checklist_item_overdue")

    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        services.send_delivery(delivery_id=delivery.pk)

    assert "Acacia" not in mail.outbox[0].body
    assert "/notifications/ack/" in mail.outbox[0].body


def test_sweeping_with_nothing_due_takes_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries: object
) -> None:
    from tests.rotas.helpers import gap_rota, gold_rota

    for _n in range(5):
        an_action(world, owner=world.people["bronze"], due=START + timedelta(days=3))
    gold_rota(world)
    gap_rota(world)
    # Two per source (find due, settle), the rotas with their patterns, members and changes,
    # escalation and deliveries: the same however many actions, entries or rotas there are.
    with time_machine.travel(START, tick=False), django_assert_max_num_queries(SWEEP_QUERIES):  # type: ignore[operator]
        services.sweep()


def test_a_clock_change_neither_repeats_nor_skips_a_reminder(world: World) -> None:
    # 01:30 on 25 October 2026 happens twice in London; reminders run on UTC instants.
    due = datetime.fromisoformat("2026-10-25T01:10:00+00:00")
    an_action(world, owner=world.people["bronze"], due=due)
    instants = [due - timedelta(hours=2) + timedelta(minutes=10 * n) for n in range(25)]
    for instant in instants:
        sweep_at(instant)

    assert who_heard("checklist_item_due_soon") == [(0, "a-bronze")]
    assert who_heard("checklist_item_overdue")[0] == (0, "a-bronze")
    assert Alert.objects.filter(source_key__startswith="item:").count() == 2


def test_when_council_email_is_down_reminders_use_personal_email_and_text(world: World) -> None:
    owner = world.people["bronze"]
    owner.email, owner.personal_email, owner.mobile_phone = (
        "b@northgate.example",
        "b@home.example",
        "07700900123",
    )
    owner.save()
    world.incident_a.council_email_unavailable = True
    world.incident_a.save()
    an_action(world, owner=owner, due=START - timedelta(minutes=5))

    sweep_at(START)

    routes = Delivery.objects.filter(notification__recipient=owner).values_list("channel", "address")
    assert sorted(routes) == [("email", "b@home.example"), ("sms", "07700900123")]


def test_a_lead_marks_council_email_unavailable_on_the_edit_page(world: World) -> None:
    client = factories.signed_in_client(world.people["gold"])
    incident = world.incident_a
    page = client.get(f"/incidents/{incident.pk}/edit/").content.decode()
    assert "Council email is unavailable" in page

    form = {
        "title": incident.title,
        "summary": incident.summary,
        "severity": incident.severity,
        "lga_stage": incident.lga_stage,
        "services_affected": incident.services_affected,
        "aware_at": incident.aware_at.astimezone().strftime("%Y-%m-%dT%H:%M"),
        "classification": incident.classification,
        "council_email_unavailable": "on",
        "version": incident.version,
    }
    response = client.post(f"/incidents/{incident.pk}/edit/", form)

    incident.refresh_from_db()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert incident.council_email_unavailable
    assert (
        "Unavailable: reminders go by text message"
        in client.get(f"/incidents/{incident.pk}/").content.decode()
    )


def test_someone_told_at_an_earlier_step_is_not_told_again(world: World) -> None:
    admin = world.people["admin"]
    an_action(world, owner=admin, due=START - timedelta(minutes=5))

    sweep_at(START)
    sweep_at(START + timedelta(hours=1))

    assert who_heard() == [(0, "a-admin")]
    assert Alert.objects.get(kind="checklist_item_overdue").state == AlertState.OPEN


def test_an_overdue_action_climbs_from_its_owner_to_silver_for_its_cell_then_gold(world: World) -> None:
    from incident_console.command.services import assign_role
    from incident_console.lib.choices import Cell, Tier

    silver = world.people["bystander"]
    gold = world.people["gold"]
    assign_role(incident=world.incident_a, actor=gold, user=gold, tier=Tier.GOLD)
    assign_role(
        incident=world.incident_a, actor=gold, user=silver, tier=Tier.SILVER, cell=Cell.ADULT_SOCIAL_CARE
    )
    item = an_action(world, owner=world.people["bronze"], due=START - timedelta(minutes=5))
    item.suggested_tier, item.suggested_cell = Tier.BRONZE, Cell.ADULT_SOCIAL_CARE
    item.save()

    sweep_at(START)
    sweep_at(START + timedelta(minutes=31))
    assert who_heard() == [(0, "a-bronze"), (1, "a-bystander")]
    reason = Notification.objects.get(recipient=silver).reason
    assert "Silver for Adult social care" in reason

    sweep_at(START + timedelta(minutes=62))
    assert who_heard() == [(0, "a-bronze"), (1, "a-bystander"), (2, "a-gold")]

    gold_note = Notification.objects.get(recipient=gold)
    with time_machine.travel(START + timedelta(minutes=63), tick=False):
        services.acknowledge(notification=gold_note, actor=gold)
    sweep_at(START + timedelta(hours=3))
    assert who_heard() == [(0, "a-bronze"), (1, "a-bystander"), (2, "a-gold")]


def test_an_action_owned_at_silver_goes_straight_to_gold(world: World) -> None:
    from incident_console.command.services import assign_role
    from incident_console.lib.choices import Cell, Tier

    gold = world.people["gold"]
    assign_role(incident=world.incident_a, actor=gold, user=gold, tier=Tier.GOLD)
    assign_role(
        incident=world.incident_a,
        actor=gold,
        user=world.people["bystander"],
        tier=Tier.SILVER,
        cell=Cell.ADULT_SOCIAL_CARE,
    )
    item = an_action(world, owner=world.people["bronze"], due=START - timedelta(minutes=5))
    item.suggested_tier, item.suggested_cell = Tier.SILVER, Cell.ADULT_SOCIAL_CARE
    item.save()

    sweep_at(START)
    sweep_at(START + timedelta(minutes=31))

    assert who_heard() == [(0, "a-bronze"), (2, "a-gold")]


def test_the_owners_own_command_role_decides_which_silver_hears_next(world: World) -> None:
    from incident_console.command.services import assign_role
    from incident_console.lib.choices import Cell, Tier

    gold = world.people["gold"]
    assign_role(incident=world.incident_a, actor=gold, user=gold, tier=Tier.GOLD)
    assign_role(
        incident=world.incident_a, actor=gold, user=world.people["bystander"], tier=Tier.SILVER, cell=Cell.IT
    )
    assign_role(
        incident=world.incident_a, actor=gold, user=world.people["bronze"], tier=Tier.BRONZE, cell=Cell.IT
    )
    item = an_action(world, owner=world.people["bronze"], due=START - timedelta(minutes=5))
    item.suggested_tier, item.suggested_cell = "", ""
    item.save()

    sweep_at(START)
    sweep_at(START + timedelta(minutes=31))

    assert who_heard() == [(0, "a-bronze"), (1, "a-bystander")]
