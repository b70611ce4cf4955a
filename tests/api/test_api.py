from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from incident_console.accounts.models import ApiToken, Role
from incident_console.accounts.two_factor import totp_device
from incident_console.incidents.models import Status
from tests import factories
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_a_token_needs_a_current_code_for_a_responder_and_only_the_password_for_staff() -> None:
    council = factories.council(slug="northgate")
    gold = factories.person(council, Role.RESPONDER, username="gold")
    device = totp_device(gold) or TOTPDevice.objects.create(user=gold, name="Phone", confirmed=True)
    factories.person(council, Role.STAFF, username="staff")
    password_only = Client().post(
        "/api/v1/auth/token/", {"username": "gold", "password": factories.PASSWORD}, REMOTE_ADDR="10.0.0.5"
    )
    assert password_only.status_code == 400
    assert "otp_token" in password_only.json()
    with_code = Client().post(
        "/api/v1/auth/token/",
        {"username": "gold", "password": factories.PASSWORD, "otp_token": f"{totp(device.bin_key):06d}"},
        REMOTE_ADDR="10.0.0.5",
    )
    assert with_code.status_code == 200
    staff = Client().post(
        "/api/v1/auth/token/", {"username": "staff", "password": factories.PASSWORD}, REMOTE_ADDR="10.0.0.5"
    )
    assert staff.status_code == 200
    for response in (with_code, staff):
        listing = Client().get("/api/v1/incidents/", HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        assert listing.status_code == 200
        assert listing.json()["count"] == 0
    assert ApiToken.objects.filter(user=gold).count() == 1


def test_a_wrong_password_gets_400_naming_the_problem_and_no_token() -> None:
    council = factories.council(slug="northgate")
    factories.person(council, username="gold")
    response = Client().post("/api/v1/auth/token/", {"username": "gold", "password": "nope"})
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_token_requests_are_throttled() -> None:
    statuses = [
        Client().post("/api/v1/auth/token/", {"username": "x", "password": "y"}).status_code
        for _ in range(12)
    ]
    assert 429 in statuses


def test_incident_list_is_paginated_and_filterable(world: World) -> None:
    client = world.client_for("gold")
    for i in range(3):
        factories.incident(world.a, world.people["gold"], title=f"Extra {i}", services_affected=[])
    body = client.get("/api/v1/incidents/").json()
    assert body["count"] == 4
    assert {"next", "previous", "results"} <= set(body)
    exercises = client.get("/api/v1/incidents/?is_exercise=true").json()
    assert [row["reference"] for row in exercises["results"]] == [world.incident_a.reference]
    declared = client.get(f"/api/v1/incidents/?status={Status.DECLARED}&council=northgate").json()
    assert declared["count"] == 4
    row = exercises["results"][0]
    assert row["items_total"] == 21
    assert row["council"] == "northgate"


def test_declaring_through_the_api_checks_the_council_and_names_bad_fields(world: World) -> None:
    client = world.client_for("gold")
    bad = client.post(
        "/api/v1/incidents/",
        json.dumps(
            {"council": "northgate", "title": "", "aware_at": "not a time", "severity": "apocalyptic"}
        ),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert {"title", "aware_at", "severity"} <= set(bad.json())
    other = client.post(
        "/api/v1/incidents/",
        json.dumps({"council": "southmoor", "title": "Not ours", "aware_at": "2026-11-01T08:00:00Z"}),
        content_type="application/json",
    )
    assert other.status_code == 400
    assert "council" in other.json()
    ok = client.post(
        "/api/v1/incidents/",
        json.dumps(
            {
                "council": "northgate",
                "title": "Phishing wave",
                "aware_at": "2026-11-01T08:00:00Z",
                "services_affected": ["adult_social_care"],
            }
        ),
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert ok.json()["items_total"] == 9


def test_an_invalid_transition_is_a_400_that_says_why(world: World) -> None:
    client = world.client_for("gold")
    response = client.post(
        f"/api/v1/incidents/{world.incident_a.pk}/transition/",
        json.dumps({"to_status": "closed"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "cannot move from Declared to Closed" in response.json()["to_status"][0]


def test_a_stale_incident_edit_is_a_409(world: World) -> None:
    client = world.client_for("gold")
    url = f"/api/v1/incidents/{world.incident_a.pk}/"
    first = client.patch(url, json.dumps({"version": 1, "title": "One"}), content_type="application/json")
    assert first.status_code == 200
    second = client.patch(url, json.dumps({"version": 1, "title": "Two"}), content_type="application/json")
    assert second.status_code == 409
    world.incident_a.refresh_from_db()
    assert world.incident_a.title == "One"


def test_the_timeline_endpoint_returns_the_chain_in_order(world: World) -> None:
    body = world.client_for("gold").get(f"/api/v1/incidents/{world.incident_a.pk}/timeline/").json()
    events = body["results"]
    assert events[0]["sequence"] > events[-1]["sequence"]
    assert events[-1]["kind"] == "incident_declared"


def test_modules_are_readable_with_their_actions(world: World) -> None:
    body = world.client_for("partner").get("/api/v1/modules/childrens-social-care/").json()
    assert body["version"] == 1
    assert len(body["actions"]) == 12
    assert len(body["content_hash"]) == 64


def test_the_openapi_schema_and_swagger_ui_are_served_without_a_cdn(world: World) -> None:
    client = world.client_for("gold")
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    assert "/api/v1/incidents/{id}/transition/" in paths
    assert "/api/v1/checklist-items/{id}/" in paths
    docs = client.get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower()
    assert "/static/drf_spectacular_sidecar/" in docs


def test_the_escalation_wait_is_set_through_the_api_and_out_of_range_is_a_400(world: World) -> None:
    client = world.client_for("gold")
    url = f"/api/v1/incidents/{world.incident_a.pk}/"
    refused = client.patch(
        url, json.dumps({"version": 1, "escalate_after_minutes": 0}), content_type="application/json"
    )
    assert refused.status_code == 400
    assert "escalate_after_minutes" in refused.json()

    saved = client.patch(
        url, json.dumps({"version": 1, "escalate_after_minutes": 10}), content_type="application/json"
    )
    assert saved.status_code == 200
    assert saved.json()["escalate_after_minutes"] == 10


def test_the_openapi_schema_builds_without_a_single_warning(tmp_path: Path) -> None:
    """Two serializers or enums with one name would make clients' generated types wrong."""
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/incidents/{id}/manual-records/" in (tmp_path / "schema.yaml").read_text()


def test_a_filter_value_the_api_cannot_read_is_a_400_not_an_unfiltered_list(world: World) -> None:
    response = world.client_for("gold").get("/api/v1/incidents/?is_exercise=yes")
    assert response.status_code == 400
    assert "is_exercise" in response.json()


def test_an_address_under_the_api_that_names_nothing_is_a_json_404(world: World) -> None:
    client = world.client_for("gold")
    for method, path in [
        ("get", "/api/v1/rotas/not-a-number/"),
        ("get", "/api/v1/no-such-thing/"),
        ("post", "/api/v1/incidents/null/lessons/"),
    ]:
        response = getattr(client, method)(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Not found."}, path
