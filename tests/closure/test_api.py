"""Archive exports, exercise reset and purge through the API: the pages' rules and messages."""

from __future__ import annotations

import pytest

from incident_console.closure.models import PurgeRecord
from incident_console.incidents.models import Incident
from tests.closure.helpers import built_archive
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_an_archive_of_an_open_incident_is_refused_with_a_reason(world: World) -> None:
    response = world.client_for("admin").post(f"/api/v1/incidents/{world.incident_a.pk}/archives/")
    assert response.status_code == 400
    assert "closed" in str(response.json()).lower()


def test_a_built_archive_gives_its_hashes_and_where_to_download_it(world: World) -> None:
    job = built_archive(world)
    client = world.client_for("dpo")
    listed = client.get(f"/api/v1/incidents/{job.incident_id}/archives/").json()
    assert [row["id"] for row in listed["results"]] == [job.pk]
    detail = client.get(f"/api/v1/archives/{job.pk}/").json()
    assert detail["state"] == "done"
    assert detail["manifest_sha256"] == job.manifest_sha256 and len(job.manifest_sha256) == 64
    assert client.get(detail["download"]).status_code == 200


def test_a_purge_needs_a_reason_and_the_reference_typed_again(world: World) -> None:
    client = world.client_for("admin")
    url = f"/api/v1/incidents/{world.incident_a.pk}/purge/"
    response = client.post(url, {"reason": "", "confirm_reference": "WRONG"}, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) >= {"reason", "confirm_reference"}
    assert Incident.objects.filter(pk=world.incident_a.pk).exists()


def test_a_real_incident_inside_retention_is_not_purged_through_the_api(world: World) -> None:
    client = world.client_for("admin_b")
    real = world.incident_b
    response = client.post(
        f"/api/v1/incidents/{real.pk}/purge/",
        {"reason": "Tidy up", "confirm_reference": real.reference},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "real incident" in str(response.json()) or "retention" in str(response.json())
    assert Incident.objects.filter(pk=real.pk).exists() and not PurgeRecord.objects.exists()


def test_purging_an_exercise_leaves_a_record_the_admin_can_read(world: World) -> None:
    client = world.client_for("admin")
    reference = world.incident_a.reference
    response = client.post(
        f"/api/v1/incidents/{world.incident_a.pk}/purge/",
        {"reason": "Exercise over", "confirm_reference": reference.lower()},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert not Incident.objects.filter(pk=world.incident_a.pk).exists()
    records = client.get("/api/v1/purge-records/").json()["results"]
    assert [(r["incident_reference"], r["reason"], r["kind"]) for r in records] == [
        (reference, "Exercise over", "purge")
    ]
    assert world.client_for("admin_b").get("/api/v1/purge-records/").json()["results"] == []


def test_only_exercises_can_be_reset(world: World) -> None:
    real = world.incident_b
    response = world.client_for("admin_b").post(
        f"/api/v1/incidents/{real.pk}/reset/",
        {"reason": "Again", "confirm_reference": real.reference},
        content_type="application/json",
    )
    assert response.status_code == 404
