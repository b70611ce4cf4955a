"""The handover from response to recovery: made when the incident moves into recovery, with a
snapshot of what is still open, taken on once by someone who may manage the incident."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
import time_machine
from pytest_django import Settings

from incident_console.command.services import add_risk, record_decision
from incident_console.contacts.services import add_contact
from incident_console.guidance.models import ChecklistItem, ItemStatus
from incident_console.incidents.models import Incident, Status
from incident_console.lessons.handover import SECTIONS, canonical, digest
from incident_console.lessons.models import RecoveryHandover
from incident_console.lessons.reminders import RecoveryHandoverNotAcknowledged
from incident_console.lessons.services import acknowledge_handover, refresh_handover
from incident_console.lib.choices import ContactCategory
from incident_console.lib.errors import ValidationError
from incident_console.lib.time import now
from incident_console.notifications import sources
from incident_console.recovery.services import add_system
from incident_console.timeline.models import TimelineEvent
from tests import factories
from tests.command.helpers import a_risk, gold_holder
from tests.conftest import World
from tests.contacts.helpers import a_contact, a_family
from tests.lessons.helpers import a_lesson, a_recovery_handover, move_to
from tests.recovery.helpers import a_system

pytestmark = pytest.mark.django_db


def rows_of(handover: RecoveryHandover, key: str) -> list[dict[str, object]]:
    section = next(s for s in handover.snapshot["sections"] if s["key"] == key)
    return list(section["rows"])


def test_a_handover_is_made_once_when_response_moves_to_recovery_and_not_at_other_moves(world: World) -> None:
    incident = world.incident_a
    move_to(world, incident, Status.RESPONSE)
    assert not RecoveryHandover.objects.exists()

    move_to(world, incident, Status.RECOVERY)
    assert RecoveryHandover.objects.filter(incident=incident).count() == 1

    move_to(world, incident, Status.CLOSED)
    assert RecoveryHandover.objects.filter(incident=incident).count() == 1
    assert TimelineEvent.objects.filter(incident=incident, kind="recovery_handover_created").count() == 1


def test_going_back_to_response_and_into_recovery_again_makes_a_new_current_handover(world: World) -> None:
    first = a_recovery_handover(world)
    move_to(world, world.incident_a, Status.RESPONSE, reason="Second wave of encryption")
    move_to(world, world.incident_a, Status.RECOVERY)

    handovers = list(RecoveryHandover.objects.filter(incident=world.incident_a).order_by("pk"))
    assert [h.pk for h in handovers] == [first.pk, handovers[1].pk]
    page = world.client_for("gold").get(f"/incidents/{world.incident_a.pk}/recovery-handovers/{first.pk}/")
    assert "A later handover replaces this one." in page.content.decode()
    with pytest.raises(ValidationError, match="later handover replaces"):
        acknowledge_handover(handover=first, actor=world.people["gold"])


def test_the_snapshot_holds_every_section_with_only_what_is_still_open(world: World) -> None:
    gold = world.people["gold"]
    incident = world.incident_a
    a_risk(world)
    add_risk(incident=incident, actor=gold, title="Press finds out first", likelihood=2, impact=3)
    closed = add_risk(incident=incident, actor=gold, title="Server room flood", likelihood=1, impact=5)
    closed.status = "closed"
    closed.save()
    items = list(ChecklistItem.objects.filter(checklist__incident=incident).order_by("pk"))
    items[0].status = ItemStatus.DONE
    items[0].save()
    items[1].owner = world.people["bronze"]
    items[1].due_at = now() + timedelta(hours=2)
    items[1].save()
    record_decision(
        incident=incident,
        actor=gold,
        decision_maker=gold,
        decided_at=now(),
        decision="Pay carers by BACS from the bank's portal",
        rationale="Finance system down",
        review_by=now() + timedelta(days=1),
    )
    a_system(world)
    add_system(
        incident=incident,
        actor=gold,
        name="Telephony",
        kind="telephony",
        services=["other"],
        state="verified",
    )
    a_contact(world, is_spoc=True)
    add_contact(
        council=world.a,
        actor=world.people["admin"],
        category=ContactCategory.STAFF,
        organisation="Northgate Borough Council",
        role="Emergency planning duty officer",
        name="Robin Duty",
        phone="01632 960 100",
        is_spoc=True,
    )
    a_contact(world, name="Not a SPOC")
    a_family(world, is_spoc=True)
    a_lesson(world)

    handover = a_recovery_handover(world)

    assert [s["key"] for s in handover.snapshot["sections"]] == [key for key, _t, _b in SECTIONS]
    risks = rows_of(handover, "risks")
    assert [r["risk"] for r in risks] == ["Carers not paid on Friday", "Press finds out first"]
    assert risks[0]["score"] == 16
    actions = rows_of(handover, "actions")
    titles = [a["action"] for a in actions]
    assert items[0].title not in titles and items[1].title in titles
    assert (
        next(a for a in actions if a["action"] == items[1].title)["owner"]
        == world.people["bronze"].display_name
    )
    assert [d["decision"] for d in rows_of(handover, "decisions")] == [
        "Pay carers by BACS from the bank's portal"
    ]
    contacts = rows_of(handover, "contacts")
    assert {c["name"] for c in contacts} == {"Sam Reid", "Robin Duty"}
    assert {c["spoc"] for c in contacts} == {"Our SPOC", "Partner SPOC"}
    assert "Alex Family" not in json.dumps(handover.snapshot)
    assert [s["system"] for s in rows_of(handover, "systems")] == ["Social care case management"]
    assert [x["learned"] for x in rows_of(handover, "lessons")] == [a_lesson(world).learned]


def test_the_stored_hash_is_the_sha256_of_the_canonical_snapshot(world: World) -> None:
    a_risk(world)
    handover = a_recovery_handover(world)
    handover.refresh_from_db()

    assert handover.sha256 == hashlib.sha256(canonical(handover.snapshot)).hexdigest()
    assert handover.sha256 == digest(handover.snapshot)
    tampered = json.loads(json.dumps(handover.snapshot))
    tampered["sections"][0]["rows"][0]["score"] = 1
    assert digest(tampered) != handover.sha256


def test_the_lead_takes_on_the_handover_once_and_a_second_time_is_refused(world: World) -> None:
    handover = a_recovery_handover(world)
    url = f"/incidents/{world.incident_a.pk}/recovery-handovers/{handover.pk}/"
    client = world.client_for("gold")
    assert "Acknowledge" in client.get(url).content.decode()

    taken = client.post(url + "acknowledge/", {"note": "Recovery cell meets at 10:00"})
    assert taken.status_code == 302
    handover.refresh_from_db()
    assert handover.acknowledged_by == world.people["gold"] and handover.acknowledged_at is not None
    assert handover.acknowledgement_note == "Recovery cell meets at 10:00"

    again = world.client_for("admin").post(url + "acknowledge/", {"note": "Me too"})
    assert again.status_code == 409
    assert "already taken on by" in again.content.decode()
    handover.refresh_from_db()
    assert handover.acknowledged_by == world.people["gold"]
    assert TimelineEvent.objects.filter(kind="recovery_handover_acknowledged").count() == 1


def test_only_people_who_manage_the_incident_may_take_on_the_handover(world: World) -> None:
    handover = a_recovery_handover(world)
    url = f"/incidents/{world.incident_a.pk}/recovery-handovers/{handover.pk}/"

    assert world.client_for("bronze").post(url + "acknowledge/").status_code == 403
    page = world.client_for("bronze").get(url).content.decode()
    assert "Acknowledge" not in page
    assert world.client_for("partner").get(url).status_code == 403
    assert world.client_for("gold_b").get(url).status_code == 404


def test_the_api_acknowledges_once_and_explains_the_second_refusal(world: World) -> None:
    handover = a_recovery_handover(world)
    listed = world.client_for("dpo").get(f"/api/v1/incidents/{world.incident_a.pk}/recovery-handovers/")
    assert listed.status_code == 200 and listed.json()[0]["sha256"] == handover.sha256

    url = f"/api/v1/recovery-handovers/{handover.pk}/acknowledge/"
    first = world.client_for("admin").post(
        url, data=json.dumps({"note": "Mine"}), content_type="application/json"
    )
    assert first.status_code == 200 and first.json()["acknowledged_by"] == "a-admin"
    second = world.client_for("gold").post(url, data="{}", content_type="application/json")
    assert second.status_code == 400
    assert "already taken on by" in json.dumps(second.json())


def test_an_unacknowledged_handover_warns_on_the_incident_page_until_taken_on(world: World) -> None:
    handover = a_recovery_handover(world)
    page = f"/incidents/{world.incident_a.pk}/"
    warning = "Nobody has taken on the handover from response to recovery"

    assert warning in world.client_for("bystander").get(page).content.decode()
    assert warning not in world.client_for("partner").get(page).content.decode()
    acknowledge_handover(handover=handover, actor=world.people["gold"])
    assert warning not in world.client_for("bystander").get(page).content.decode()


def test_a_lead_may_bring_the_handover_up_to_date_before_it_is_taken_on(world: World) -> None:
    handover = a_recovery_handover(world)
    assert rows_of(handover, "risks") == []
    a_risk(world)

    response = world.client_for("gold").post(
        f"/incidents/{world.incident_a.pk}/recovery-handovers/{handover.pk}/refresh/"
    )

    assert response.status_code == 302
    handover.refresh_from_db()
    assert [r["risk"] for r in rows_of(handover, "risks")] == ["Carers not paid on Friday"]
    assert handover.sha256 == digest(handover.snapshot) and handover.refreshed_at is not None
    acknowledge_handover(handover=handover, actor=world.people["gold"])
    with pytest.raises(ValidationError, match="already taken on"):
        refresh_handover(handover=handover, actor=world.people["gold"])


# --- Reminder ---


def test_the_lead_and_gold_are_reminded_after_the_wait_and_the_reminder_settles_once_taken_on(
    world: World, settings: Settings
) -> None:
    settings.RECOVERY_HANDOVER_ACKNOWLEDGE_HOURS = 4
    gold_holder(world)
    handover = a_recovery_handover(world)
    source = sources.registered()["recovery_handover_not_acknowledged"]
    assert isinstance(source, RecoveryHandoverNotAcknowledged)
    assert not source.escalates

    assert list(source.due(handover.created_at + timedelta(hours=3))) == []
    due = list(source.due(handover.created_at + timedelta(hours=4, minutes=1)))
    assert len(due) == 1
    assert due[0].first_recipient_ids == (world.people["gold"].pk,)
    assert due[0].source_key == f"recovery-handover:{handover.pk}"
    assert world.incident_a.reference in due[0].subject

    later = handover.created_at + timedelta(hours=5)
    assert source.settled([due[0].source_key], later) == set()
    acknowledge_handover(handover=handover, actor=world.people["admin"])
    assert source.settled([due[0].source_key], later) == {due[0].source_key}
    assert list(source.due(later)) == []


def test_the_reminder_costs_a_fixed_number_of_queries(world: World, django_assert_num_queries) -> None:
    a_recovery_handover(world)

    for i in range(3):
        other = factories.incident(world.a, world.people["gold"], title=f"Another {i}")
        move_to(world, other, Status.RESPONSE, Status.RECOVERY)
    assert Incident.objects.filter(status=Status.RECOVERY).count() == 4
    source = RecoveryHandoverNotAcknowledged(lead_time=timedelta(hours=4))
    with time_machine.travel(now() + timedelta(hours=5), tick=False):
        at = now()
        with django_assert_num_queries(3):
            assert len(list(source.due(at))) == 4
        keys = [f"recovery-handover:{pk}" for pk in RecoveryHandover.objects.values_list("pk", flat=True)]
        with django_assert_num_queries(1):
            assert source.settled(keys, at) == set()


def test_the_incident_page_in_recovery_stays_within_its_query_budget(
    world: World, django_assert_max_num_queries
) -> None:
    from tests.incidents.test_query_counts import INCIDENT_PAGE_QUERIES

    a_recovery_handover(world)
    client = world.client_for("gold")
    with django_assert_max_num_queries(INCIDENT_PAGE_QUERIES):
        page = client.get(f"/incidents/{world.incident_a.pk}/").content.decode()
    assert "Nobody has taken on the handover" in page


def test_no_reminder_or_warning_once_the_incident_is_back_in_response(world: World) -> None:
    handover = a_recovery_handover(world)
    move_to(world, world.incident_a, Status.RESPONSE, reason="Second wave of encryption")
    source = RecoveryHandoverNotAcknowledged(lead_time=timedelta(hours=4))
    at = handover.created_at + timedelta(hours=5)

    assert list(source.due(at)) == []
    assert source.settled([f"recovery-handover:{handover.pk}"], at) == {f"recovery-handover:{handover.pk}"}
    page = world.client_for("gold").get(f"/incidents/{world.incident_a.pk}/").content.decode()
    assert "Nobody has taken on the handover" not in page


def test_the_handover_counts_unreconciled_manual_records_by_service_without_naming_cases(
    world: World,
) -> None:
    from tests.continuity.helpers import a_record

    pending = a_record(world, case_reference="ASC-11111")
    a_record(world, "entered", case_reference="ASC-22222")
    a_record(world, "verified", case_reference="ASC-33333")

    handover = a_recovery_handover(world)

    assert rows_of(handover, "manual_records") == [
        {"service": "Adult social care", "pending": 1, "entered": 1}
    ]
    assert pending.case_reference not in json.dumps(handover.snapshot)
