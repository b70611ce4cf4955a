"""The risk register: scored, edited with a version so nobody overwrites someone else's change."""

from __future__ import annotations

import pytest

from incident_console.command.models import Risk
from incident_console.command.services import add_risk, update_risk
from incident_console.timeline.models import TimelineEvent
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_a_responder_adds_a_risk_and_sees_its_score(world: World) -> None:
    client = world.client_for("bronze")
    response = client.post(
        f"/incidents/{world.incident_a.pk}/risks/new/",
        {"title": "Carers not paid on Friday", "likelihood": "4", "impact": "5"},
    )
    assert response.status_code == 302
    page = client.get(f"/incidents/{world.incident_a.pk}/risks/").content.decode()
    assert "Carers not paid on Friday" in page and ">20<" in page
    assert TimelineEvent.objects.filter(kind="risk_added").exists()


def test_a_score_out_of_range_is_refused_with_a_message(world: World) -> None:
    response = world.client_for("bronze").post(
        f"/incidents/{world.incident_a.pk}/risks/new/",
        {"title": "Something", "likelihood": "9", "impact": "1"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Risk.objects.exists()


def test_a_stale_risk_edit_gets_409_and_keeps_what_was_typed(world: World) -> None:
    gold = world.people["gold"]
    risk = add_risk(
        incident=world.incident_a, actor=gold, title="Backups encrypted too", likelihood=3, impact=5
    )
    update_risk(
        risk=risk,
        actor=gold,
        expected_version=1,
        title="Backups encrypted too",
        likelihood=2,
        impact=5,
        owner=None,
        mitigations="Offline copy found",
        status="open",
        review_on=None,
    )
    response = world.client_for("bronze").post(
        f"/incidents/{world.incident_a.pk}/risks/{risk.pk}/",
        {"title": "My wording", "likelihood": "5", "impact": "5", "status": "open", "version": "1"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this" in html and "My wording" in html
    risk.refresh_from_db()
    assert (risk.likelihood, risk.version) == (2, 2)


def test_the_api_answers_409_to_a_stale_risk_edit_and_400_to_bad_input(world: World) -> None:
    gold = world.people["gold"]
    risk = add_risk(incident=world.incident_a, actor=gold, title="Press enquiries", likelihood=3, impact=2)
    client = world.client_for("gold")
    url = f"/api/v1/incidents/{world.incident_a.pk}/risks/{risk.pk}/"
    ok = client.patch(url, {"version": 1, "likelihood": 4}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["score"] == 8
    stale = client.patch(url, {"version": 1, "likelihood": 5}, content_type="application/json")
    assert stale.status_code == 409
    bad = client.post(
        f"/api/v1/incidents/{world.incident_a.pk}/risks/",
        {"title": "", "likelihood": 7, "impact": 1},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert {"title", "likelihood"} <= set(bad.json())


def test_open_risks_come_first_highest_score_first(world: World) -> None:
    gold = world.people["gold"]
    add_risk(incident=world.incident_a, actor=gold, title="Risk-LOW", likelihood=1, impact=2)
    add_risk(incident=world.incident_a, actor=gold, title="Risk-HIGH", likelihood=5, impact=5)
    closed = add_risk(incident=world.incident_a, actor=gold, title="Risk-CLOSED", likelihood=5, impact=4)
    update_risk(
        risk=closed,
        actor=gold,
        expected_version=1,
        title="Risk-CLOSED",
        likelihood=5,
        impact=4,
        owner=None,
        mitigations="",
        status="closed",
        review_on=None,
    )
    page = world.client_for("staff").get(f"/incidents/{world.incident_a.pk}/risks/").content.decode()
    assert page.index("Risk-HIGH") < page.index("Risk-LOW") < page.index("Risk-CLOSED")
