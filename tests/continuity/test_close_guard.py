"""An incident cannot close while manual records are not reconciled, unless Gold decides so."""

from __future__ import annotations

import pytest

from incident_console.command.models import Decision
from incident_console.continuity.models import ClosureOverride, RecordState
from incident_console.continuity.services import override_close_guard
from incident_console.incidents.access import AccessDenied
from incident_console.incidents.models import Incident, Status
from incident_console.incidents.services import stand_down, transition_incident
from incident_console.lib.errors import ValidationError
from tests.conftest import World, form_errors
from tests.continuity.helpers import a_record, the_people

pytestmark = pytest.mark.django_db


def in_recovery(w: World) -> Incident:
    incident = w.incident_a
    gold = w.people["gold"]
    for status in (Status.RESPONSE, Status.RECOVERY):
        incident = transition_incident(incident=incident, actor=gold, to_status=status)
    w.incident_a = incident
    return incident


def close(w: World) -> Incident:
    return transition_incident(incident=w.incident_a, actor=w.people["gold"], to_status=Status.CLOSED)


def status_url(w: World) -> str:
    return f"/incidents/{w.incident_a.pk}/status/"


def test_a_pending_record_stops_the_incident_closing(world: World) -> None:
    a_record(world)
    in_recovery(world)
    with pytest.raises(ValidationError) as caught:
        close(world)
    assert caught.value.message_dict["to_status"] == [
        "1 manual record is not yet reconciled (entered into the restored system and verified). "
        "Reconcile it, or Gold records a decision to close anyway."
    ]
    world.incident_a.refresh_from_db()
    assert world.incident_a.status == Status.RECOVERY


def test_an_entered_but_not_verified_record_also_stops_it(world: World) -> None:
    a_record(world, RecordState.ENTERED)
    a_record(world, RecordState.VERIFIED)
    in_recovery(world)
    with pytest.raises(ValidationError, match="1 manual record is not yet reconciled"):
        close(world)


def test_the_incident_closes_once_every_record_is_verified(world: World) -> None:
    a_record(world, RecordState.VERIFIED)
    in_recovery(world)
    assert close(world).status == Status.CLOSED


def test_a_false_alarm_with_no_manual_records_stands_down(world: World) -> None:
    the_people(world)
    done = stand_down(incident=world.incident_a, actor=world.people["gold"], reason="Not an attack")
    assert done.status == Status.CLOSED


def test_a_false_alarm_with_unreconciled_records_stands_down_only_after_golds_decision(
    world: World,
) -> None:
    a_record(world)
    with pytest.raises(ValidationError) as caught:
        stand_down(incident=world.incident_a, actor=world.people["gold"], reason="Not an attack")
    assert caught.value.message_dict["to_status"][0].startswith("1 manual record is not yet reconciled")
    world.incident_a.refresh_from_db()
    assert world.incident_a.status == Status.DECLARED
    override_close_guard(incident=world.incident_a, actor=world.people["gold"], rationale="Paper kept")
    done = stand_down(incident=world.incident_a, actor=world.people["gold"], reason="Not an attack")
    assert done.status == Status.CLOSED


def test_going_back_to_response_and_standing_down_cannot_skip_the_guard(world: World) -> None:
    a_record(world)
    in_recovery(world)
    gold = world.people["gold"]
    back = transition_incident(
        incident=world.incident_a, actor=gold, to_status=Status.RESPONSE, reason="Second wave"
    )
    with pytest.raises(ValidationError, match="1 manual record is not yet reconciled"):
        stand_down(incident=back, actor=gold, reason="Not an attack after all")
    back.refresh_from_db()
    assert (back.status, back.outcome) == (Status.RESPONSE, "")


def test_the_status_page_refuses_a_stand_down_with_unreconciled_records_with_a_message(
    world: World,
) -> None:
    a_record(world)
    client = world.client_for("gold")
    page = client.get(status_url(world)).content.decode()
    assert "The incident cannot close yet: 1 manual record" in page
    response = client.post(
        status_url(world),
        {"to_status": "stand_down", "reason": "Not an attack", "version": world.incident_a.version},
    )
    assert response.status_code == 200
    assert form_errors(response)["to_status"][0].startswith("1 manual record is not yet reconciled")
    world.incident_a.refresh_from_db()
    assert world.incident_a.status == Status.DECLARED


def test_the_api_refuses_a_stand_down_with_unreconciled_records_with_a_400(world: World) -> None:
    a_record(world)
    response = world.client_for("gold").post(
        f"/api/v1/incidents/{world.incident_a.pk}/transition/",
        {"to_status": "stand_down", "reason": "Not an attack"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["to_status"][0].startswith("1 manual record is not yet reconciled")
    world.incident_a.refresh_from_db()
    assert world.incident_a.status == Status.DECLARED


def test_gold_decides_to_close_anyway_and_the_decision_is_in_the_log(world: World) -> None:
    a_record(world)
    a_record(world, RecordState.ENTERED)
    in_recovery(world)
    page = world.client_for("gold").get(status_url(world)).content.decode()
    assert "The incident cannot close yet: 2 manual records" in page
    assert "/manual-records/close-decision/" in page
    response = world.client_for("gold").post(
        f"/incidents/{world.incident_a.pk}/manual-records/close-decision/",
        {"rationale": "Paper files are held by the service; reconciliation continues as normal work."},
    )
    assert response.status_code == 302
    override = ClosureOverride.objects.get(incident=world.incident_a)
    assert (override.decided_by, override.unreconciled_count) == (world.people["gold"], 2)
    decision = Decision.objects.get(pk=override.decision_id)
    assert decision.decision == "Close the incident with 2 manual records not yet reconciled."
    assert decision.decision_maker == world.people["gold"]
    assert "Gold (" in world.client_for("gold").get(status_url(world)).content.decode()
    world.incident_a.refresh_from_db()
    assert close(world).status == Status.CLOSED


def test_records_added_after_golds_decision_still_stop_it(world: World) -> None:
    a_record(world)
    in_recovery(world)
    override_close_guard(incident=world.incident_a, actor=world.people["gold"], rationale="Business as usual")
    a_record(world, case_reference="LATE-1")
    with pytest.raises(ValidationError, match="1 manual record is not yet reconciled"):
        close(world)


def test_only_gold_can_record_the_decision(world: World) -> None:
    a_record(world)
    in_recovery(world)
    for role in ["bronze", "staff", "admin"]:
        client = world.client_for(role)
        assert (
            client.get(f"/incidents/{world.incident_a.pk}/manual-records/close-decision/").status_code == 403
        )
        assert "Only Gold can decide" in world.client_for("admin").get(status_url(world)).content.decode()
    with pytest.raises(AccessDenied):
        override_close_guard(incident=world.incident_a, actor=world.people["bronze"], rationale="Why not")
    assert not ClosureOverride.objects.exists()


def test_the_decision_needs_a_rationale_and_something_to_cover(world: World) -> None:
    the_people(world)
    in_recovery(world)
    with pytest.raises(ValidationError, match="Every manual record is reconciled"):
        override_close_guard(incident=world.incident_a, actor=world.people["gold"], rationale="x")
    a_record(world)
    response = world.client_for("gold").post(
        f"/incidents/{world.incident_a.pk}/manual-records/close-decision/", {"rationale": ""}
    )
    assert form_errors(response)["rationale"] == [
        "Say why the incident may close before these are reconciled."
    ]


def test_the_status_page_shows_why_it_cannot_close(world: World) -> None:
    a_record(world)
    in_recovery(world)
    response = world.client_for("gold").post(
        status_url(world), {"to_status": "closed", "version": world.incident_a.version}
    )
    assert response.status_code == 200
    assert form_errors(response)["to_status"][0].startswith("1 manual record is not yet reconciled")
    page = response.content.decode()
    assert f"/incidents/{world.incident_a.pk}/manual-records/" in page


def test_a_connected_councils_gold_or_a_deputy_cannot_decide_for_the_host(world: World) -> None:
    from incident_console.command.services import assign_role
    from incident_console.incidents.services import update_incident

    a_record(world)
    in_recovery(world)
    world.a.connected_councils.add(world.b)
    update_incident(
        incident=world.incident_a, actor=world.people["gold"], expected_version=None, shared_with=[world.b]
    )
    visitor = world.people_b["bystander"]
    assign_role(
        incident=world.incident_a,
        actor=world.people["gold"],
        user=visitor,
        tier="gold",
        cell="childrens_social_care",
        council=world.b,
    )
    with pytest.raises(AccessDenied):
        override_close_guard(incident=world.incident_a, actor=visitor, rationale="Not mine to decide")
    deputy = world.people["bronze"]
    assign_role(
        incident=world.incident_a, actor=world.people["gold"], user=deputy, tier="gold", is_deputy=True
    )
    with pytest.raises(AccessDenied):
        override_close_guard(incident=world.incident_a, actor=deputy, rationale="Gold is away")
    assert not ClosureOverride.objects.exists()
