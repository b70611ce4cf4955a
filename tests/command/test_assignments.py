"""Gold, Silver and Bronze roles: one holder per slot, history kept, handovers acknowledged."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils.html import escape

from incident_console.command.models import Assignment, Handover
from incident_console.command.services import SlotChangedError, acknowledge_handover, add_risk, assign_role
from incident_console.incidents.access import participation_role
from incident_console.incidents.models import Participation
from incident_console.lib.errors import ValidationError
from incident_console.timeline.models import TimelineEvent
from tests import factories
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_assigning_a_new_holder_relinquishes_the_old_one_and_history_keeps_both(world: World) -> None:
    gold = world.people["gold"]
    first = assign_role(
        incident=world.incident_a, actor=gold, user=world.people["bronze"], tier="silver", cell="it"
    )
    second = assign_role(
        incident=world.incident_a, actor=gold, user=world.people["bystander"], tier="silver", cell="it"
    )

    first.refresh_from_db()
    assert first.relinquished_at is not None and first.relinquished_by == gold
    assert second.relinquished_at is None
    history = list(Assignment.objects.filter(incident=world.incident_a, tier="silver", cell="it"))
    assert {a.user for a in history} == {world.people["bronze"], world.people["bystander"]}
    kinds = list(TimelineEvent.objects.filter(incident=world.incident_a).values_list("kind", flat=True))
    assert kinds.count("command_role_assigned") == 2
    assert "handover_written" in kinds


def test_the_board_shows_the_holder_their_out_of_band_contacts_and_the_history(world: World) -> None:
    bronze = world.people["bronze"]
    bronze.mobile_phone = "07700 900123"
    bronze.personal_email = "bronze@example.net"
    bronze.save()
    gold = world.people["gold"]
    assign_role(incident=world.incident_a, actor=gold, user=gold, tier="gold")
    assign_role(incident=world.incident_a, actor=gold, user=bronze, tier="bronze", cell="it")
    assign_role(
        incident=world.incident_a, actor=gold, user=world.people["bystander"], tier="bronze", cell="it"
    )

    page = world.client_for("staff").get(f"/incidents/{world.incident_a.pk}/command/").content.decode()

    assert "Bronze \N{EN DASH} IT" in page
    assert "Assignment history" in page
    assert escape(bronze.display_name) in page
    assign_role(incident=world.incident_a, actor=gold, user=bronze, tier="silver", cell="finance")
    page = world.client_for("staff").get(f"/incidents/{world.incident_a.pk}/command/").content.decode()
    assert "07700 900123" in page and "bronze@example.net" in page


def test_a_lead_assigns_through_the_page_and_a_newcomer_becomes_a_participant(world: World) -> None:
    newcomer = factories.person(world.a, username="a-newcomer")
    client = world.client_for("gold")
    response = client.post(
        f"/incidents/{world.incident_a.pk}/command/assign/",
        {"user": newcomer.pk, "tier": "silver", "cell": "communications"},
    )
    assert response.status_code == 302
    assert participation_role(newcomer, world.incident_a) == "lead"
    assert Assignment.objects.get(user=newcomer).cell == "communications"


def test_a_custom_cell_can_be_named(world: World) -> None:
    client = world.client_for("admin")
    response = client.post(
        f"/incidents/{world.incident_a.pk}/command/assign/",
        {"user": world.people["bronze"].pk, "tier": "bronze", "cell": "__other__", "other_cell": "Schools"},
    )
    assert response.status_code == 302
    assert Assignment.objects.get(user=world.people["bronze"]).role_name == "Bronze \N{EN DASH} Schools"


def test_a_silver_role_needs_a_cell_and_the_page_says_so(world: World) -> None:
    response = world.client_for("gold").post(
        f"/incidents/{world.incident_a.pk}/command/assign/",
        {"user": world.people["bronze"].pk, "tier": "silver", "cell": ""},
    )
    assert response.status_code == 200
    assert "Choose the cell this role belongs to." in response.content.decode()


def test_someone_from_another_council_cannot_be_given_a_role(world: World) -> None:
    with pytest.raises(ValidationError):
        assign_role(
            incident=world.incident_a, actor=world.people["gold"], user=world.people_b["gold"], tier="gold"
        )


def test_a_stale_assign_form_gives_a_clear_message_not_a_500(world: World) -> None:
    gold = world.people["gold"]
    assign_role(incident=world.incident_a, actor=gold, user=world.people["bronze"], tier="bronze", cell="it")
    response = world.client_for("gold").post(
        f"/incidents/{world.incident_a.pk}/command/assign/",
        {"user": world.people["bystander"].pk, "tier": "bronze", "cell": "it", "expected": "none"},
    )
    assert response.status_code == 409
    assert "Someone else assigned this role" in response.content.decode()


def test_handover_lists_open_actions_and_risks_and_only_the_incoming_person_acknowledges(
    world: World,
) -> None:
    gold = world.people["gold"]
    add_risk(incident=world.incident_a, actor=gold, title="Payments to carers missed", likelihood=4, impact=5)
    assign_role(incident=world.incident_a, actor=gold, user=world.people["bronze"], tier="silver", cell="it")
    assign_role(
        incident=world.incident_a,
        actor=gold,
        user=world.people["bystander"],
        tier="silver",
        cell="it",
        situation="Servers isolated; restore under way.",
        decisions_pending="Whether to pay the ransom note's contact.",
    )
    handover = Handover.objects.get()
    assert handover.open_actions  # the applied guidance's open checklist items
    assert handover.open_risks == ["Payments to carers missed (score 20)"]
    url = f"/incidents/{world.incident_a.pk}/command/handovers/{handover.pk}/"

    board = world.client_for("gold").get(f"/incidents/{world.incident_a.pk}/command/").content.decode()
    assert "Handovers not yet acknowledged" in board
    page = world.client_for("bystander").get(url).content.decode()
    assert "Servers isolated" in page and "Payments to carers missed" in page
    assert "I have read this handover" in page

    assert world.client_for("gold").post(url + "acknowledge/").status_code == 403
    assert world.client_for("bystander").post(url + "acknowledge/").status_code == 302
    handover.refresh_from_db()
    assert handover.acknowledged_at is not None
    assert TimelineEvent.objects.filter(incident=world.incident_a, kind="handover_acknowledged").exists()
    board = world.client_for("gold").get(f"/incidents/{world.incident_a.pk}/command/").content.decode()
    assert "Handovers not yet acknowledged" not in board
    with pytest.raises(ValidationError):
        acknowledge_handover(handover=handover, actor=gold)


@pytest.mark.django_db(transaction=True)
def test_two_people_assigning_the_same_empty_role_at_once_leaves_one_holder() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locking is only meaningful on PostgreSQL (CI runs this)")
    council = factories.council(slug="northgate")
    lead = factories.person(council, username="lead")
    candidates = [factories.person(council, username=f"candidate-{n}") for n in range(2)]
    incident = factories.incident(council, lead, services_affected=[])
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def take(person: object) -> None:
        try:
            barrier.wait()
            assign_role(
                incident=incident,
                actor=lead,
                user=person,  # type: ignore[arg-type]
                tier="silver",
                cell="it",
                check_current=True,
                expected_current=None,
            )
            outcomes.append("assigned")
        except SlotChangedError:
            outcomes.append("told someone else got there first")
        except BaseException as error:  # pragma: no cover - the failure we are looking for
            outcomes.append(f"unexpected {error!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(p,)) for p in candidates]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["assigned", "told someone else got there first"]
    assert Assignment.objects.filter(incident=incident, relinquished_at__isnull=True).count() == 1
    assert Participation.objects.filter(incident=incident, ended_at__isnull=True).count() == 2


def test_the_database_refuses_two_current_holders_of_one_slot(world: World) -> None:
    from django.db import IntegrityError, transaction

    from incident_console.lib.time import now

    gold = world.people["gold"]
    assign_role(incident=world.incident_a, actor=gold, user=gold, tier="gold")
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            incident=world.incident_a,
            council=world.a,
            tier="gold",
            user=world.people["bronze"],
            assigned_by=gold,
            assumed_at=now(),
        )


def test_the_outgoing_holder_hands_over_their_own_role_but_no_other(world: World) -> None:
    gold = world.people["gold"]
    mine = assign_role(
        incident=world.incident_a, actor=gold, user=world.people["bronze"], tier="bronze", cell="it"
    )
    other = assign_role(incident=world.incident_a, actor=gold, user=gold, tier="bronze", cell="finance")
    client = world.client_for("bronze")
    url = f"/incidents/{world.incident_a.pk}/command/assign/"
    assert "Hand over your role" in client.get(f"/incidents/{world.incident_a.pk}/command/").content.decode()
    assert client.get(url).status_code == 403
    assert client.get(f"{url}?expected={other.pk}").status_code == 403
    assert client.get(f"{url}?expected={mine.pk}").status_code == 200

    response = client.post(
        url,
        {
            "expected": mine.pk,
            "user": world.people["bystander"].pk,
            "tier": "gold",  # ignored: a holder hands over their own slot only
            "situation": "Two servers restored; the third is still encrypted.",
        },
    )
    assert response.status_code == 302
    taken = Assignment.objects.get(user=world.people["bystander"])
    assert (taken.tier, taken.cell) == ("bronze", "it")
    handover = Handover.objects.get(incoming=taken)
    assert handover.written_by == world.people["bronze"] and handover.outgoing == mine
