"""Recording that one of the usual bodies does not need telling about an incident."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from incident_console.lib.errors import ValidationError
from incident_console.lib.time import london, now
from incident_console.recovery.models import ExternalNotification, TellingDecision
from incident_console.recovery.services import log_notification, record_not_needed
from incident_console.timeline.models import TimelineEvent
from tests import factories
from tests.conftest import World

pytestmark = pytest.mark.django_db

REASON = "Only adult social care is affected: no schools or children's services."


def not_yet_told(page: str) -> str:
    """The text of the warning listing who is not yet recorded as told."""
    start = page.index("Not yet recorded as told:")
    return page[start : page.index("</strong>", start)]


def url(w: World, end: str = "") -> str:
    return f"/incidents/{w.incident_a.pk}/external-notifications/{end}"


def test_marking_dfe_not_needed_with_a_reason_clears_it_from_the_incident_page_and_shows_in_the_log(
    world: World,
) -> None:
    gold = factories.signed_in_client(world.people["gold"])
    incident_page = f"/incidents/{world.incident_a.pk}/"
    assert "Department for Education (DfE)" in not_yet_told(gold.get(incident_page).content.decode())

    response = gold.post(
        url(world, "not-needed/"),
        {"body": "dfe", "reason": REASON, "decided_by": world.people["siro"].pk},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    warning = not_yet_told(gold.get(incident_page).content.decode())
    assert "Department for Education (DfE)" not in warning
    assert "Police / Action Fraud" in warning
    log = gold.get(url(world)).content.decode()
    assert "Department for Education (DfE)" not in not_yet_told(log)
    table = log[log.index("<table") :]
    assert "Department for Education (DfE)" in table and "Not needed" in table
    assert "Only adult social care is affected: no schools or children&#x27;s services." in table
    assert world.people["siro"].display_name in table
    event = TimelineEvent.objects.get(incident=world.incident_a, kind="external_notification_not_needed")
    assert REASON in event.summary


def test_recording_not_needed_without_a_reason_is_refused_with_a_clear_message_and_saves_nothing(
    world: World,
) -> None:
    response = factories.signed_in_client(world.people["gold"]).post(
        url(world, "not-needed/"), {"body": "dfe", "reason": "  ", "decided_by": world.people["gold"].pk}
    )

    assert response.status_code == 200
    assert "Say why they do not need telling about this incident." in response.content.decode()
    assert not ExternalNotification.objects.exists()
    assert not TimelineEvent.objects.filter(kind="external_notification_not_needed").exists()


def test_the_service_refuses_a_body_outside_the_usual_set_or_one_already_told(world: World) -> None:
    gold = world.people["gold"]
    log_notification(
        incident=world.incident_a, actor=gold, body="ncsc", notified_at=now(), told_by=gold, method="phone"
    )
    for body in ["other", "connected_council", "ncsc"]:
        with pytest.raises(ValidationError) as refused:
            record_not_needed(
                incident=world.incident_a, actor=gold, body=body, reason=REASON, decided_by=gold
            )
        assert "body" in refused.value.message_dict
    assert not ExternalNotification.objects.filter(decision=TellingDecision.NOT_NEEDED).exists()


def test_a_body_recorded_as_not_needed_can_still_be_told_later_and_both_rows_show(world: World) -> None:
    gold = world.people["gold"]
    record_not_needed(incident=world.incident_a, actor=gold, body="insurer", reason=REASON, decided_by=gold)
    response = factories.signed_in_client(gold).post(
        url(world, "new/"),
        {
            "body": "insurer",
            "notified_at": f"{london(now() - timedelta(minutes=1)):%Y-%m-%dT%H:%M}",
            "told_by": gold.pk,
            "method": "email",
            "reference": "POL-77",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    decisions = sorted(ExternalNotification.objects.filter(body="insurer").values_list("decision", flat=True))
    assert decisions == ["not_needed", "told"]
    table = factories.signed_in_client(gold).get(url(world)).content.decode()
    table = table[table.index("<table") :]
    assert table.count("The council&#x27;s insurer") == 2 and "POL-77" in table and "Not needed" in table


def test_the_api_records_not_needed_and_refuses_a_missing_reason_with_a_400(world: World) -> None:
    client = world.client_for("gold")
    api = f"/api/v1/incidents/{world.incident_a.pk}/external-notifications/"

    refused = client.post(
        api, json.dumps({"decision": "not_needed", "body": "dfe"}), content_type="application/json"
    )
    assert refused.status_code == 400
    assert "reason" in refused.json()
    outside = client.post(
        api,
        json.dumps({"decision": "not_needed", "body": "other", "reason": REASON}),
        content_type="application/json",
    )
    assert outside.status_code == 400 and "body" in outside.json()
    assert not ExternalNotification.objects.exists()

    created = client.post(
        api,
        json.dumps({"decision": "not_needed", "body": "dfe", "reason": REASON}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    row = created.json()
    assert (row["decision"], row["reason"], row["decided_by"]) == ("not_needed", REASON, "a-gold")
    assert row["notified_at"] is None and row["method"] == ""
    listed = client.get(api).json()
    assert [(e["body"], e["decision"]) for e in listed] == [("dfe", "not_needed")]


def test_the_api_still_needs_a_time_and_method_for_a_body_that_was_told(world: World) -> None:
    refused = world.client_for("gold").post(
        f"/api/v1/incidents/{world.incident_a.pk}/external-notifications/",
        json.dumps({"body": "police"}),
        content_type="application/json",
    )

    assert refused.status_code == 400
    assert {"notified_at", "method"} <= set(refused.json())


@pytest.mark.parametrize("key", ["staff", "partner", "caldicott", "gold_b"])
def test_someone_who_may_not_log_notifications_cannot_record_that_a_body_does_not_need_telling(
    world: World, key: str
) -> None:
    client = world.client_for(key)
    page = client.post(
        url(world, "not-needed/"), {"body": "dfe", "reason": REASON, "decided_by": world.people["gold"].pk}
    )
    api = client.post(
        f"/api/v1/incidents/{world.incident_a.pk}/external-notifications/",
        json.dumps({"decision": "not_needed", "body": "dfe", "reason": REASON}),
        content_type="application/json",
    )

    assert page.status_code in (403, 404)
    assert api.status_code in (403, 404)
    assert not ExternalNotification.objects.exists()
