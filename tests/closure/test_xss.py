"""A script payload in incident text, names and purge reasons comes out as literal text on the
closure pages."""

from __future__ import annotations

import pytest

from incident_console.closure import services
from incident_console.incidents.services import update_incident
from tests.closure.helpers import built_archive
from tests.conftest import World

PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'

pytestmark = pytest.mark.django_db


def test_a_script_payload_in_a_purge_reason_and_the_purged_title_is_shown_literally(world: World) -> None:
    admin = world.people["admin"]
    admin.full_name = PAYLOAD
    admin.save()
    update_incident(incident=world.incident_a, actor=admin, expected_version=None, title=PAYLOAD)
    job = built_archive(world)
    incident = job.incident
    client = world.client_for("admin")
    failed = client.post(
        f"/incidents/{incident.pk}/purge/", {"reason": PAYLOAD, "confirm_reference": PAYLOAD}
    )
    services.purge_incident(incident=incident, actor=admin, reason=PAYLOAD)
    html = client.get("/purge-records/").content.decode()
    assert PAYLOAD not in html and "<script>alert" not in html
    assert "&lt;script&gt;" in html
    html = failed.content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_a_script_payload_in_the_title_is_literal_on_the_archive_pages_before_purging(world: World) -> None:
    admin = world.people["admin"]
    admin.full_name = PAYLOAD
    admin.save()
    update_incident(incident=world.incident_a, actor=admin, expected_version=None, title=PAYLOAD)
    job = built_archive(world)
    client = world.client_for("admin")
    for url in [
        f"/incidents/{job.incident_id}/archives/",
        f"/archives/{job.pk}/",
        f"/incidents/{job.incident_id}/purge/",
        f"/incidents/{job.incident_id}/reset/",
    ]:
        html = client.get(url).content.decode()
        assert PAYLOAD not in html and "<script>alert" not in html, url
        assert "&lt;script&gt;" in html, url
