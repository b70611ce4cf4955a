"""The archive page, downloads, and the purge and reset forms."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from incident_console.closure import archive, services
from incident_console.closure.models import PurgeRecord
from incident_console.incidents.models import Incident
from tests.closure.helpers import close, latest_archive
from tests.conftest import World, form_errors

pytestmark = pytest.mark.django_db


def test_the_archive_page_shows_retention_progress_and_offers_a_zip_that_verifies(world: World) -> None:
    incident = close(world, world.incident_a)
    job = latest_archive(incident)
    client = world.client_for("dpo")
    page = client.get(f"/incidents/{incident.pk}/archives/")
    assert page.status_code == 200
    assert "Records kept until" in page.content.decode()
    assert f'hx-get="/archives/{job.pk}/"' in page.content.decode()
    services.build_job(job_id=job.pk)
    fragment = client.get(f"/archives/{job.pk}/", headers={"HX-Request": "true"})
    assert f"/archives/{job.pk}/download/" in fragment.content.decode()
    assert "hx-get" not in fragment.content.decode()
    download = client.get(f"/archives/{job.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert archive.verify(io.BytesIO(body)) == []
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(body)).namelist()


@pytest.mark.parametrize(
    ("key", "page", "download"),
    [
        ("admin", 200, 403),
        ("gold", 200, 403),
        ("dpo", 200, 200),
        ("siro", 200, 200),
        ("bronze", 403, 403),
        ("staff", 403, 403),
        ("partner", 403, 403),
        ("caldicott", 403, 403),
        ("admin_b", 404, 404),
    ],
)
def test_archives_are_for_admins_leads_dpo_and_siro_and_the_zip_for_dpo_and_siro(
    world: World, key: str, page: int, download: int
) -> None:
    """The ZIP holds manual case records and other service-user data: of those who see the
    archive page, only the DPO and SIRO (and a social care role holder) download it."""
    incident = close(world, world.incident_a)
    job = latest_archive(incident)
    services.build_job(job_id=job.pk)
    client = world.client_for(key)
    assert client.get(f"/incidents/{incident.pk}/archives/").status_code == page
    assert client.get(f"/archives/{job.pk}/download/").status_code == download


def test_a_lead_with_a_social_care_role_may_download_the_zip(world: World) -> None:
    from tests.contacts.helpers import social_worker

    incident = close(world, world.incident_a)
    job = latest_archive(incident)
    services.build_job(job_id=job.pk)
    gold = world.client_for("gold")
    assert "is ready" in gold.get(f"/incidents/{incident.pk}/archives/").content.decode()
    social_worker(world, key="gold")
    assert gold.get(f"/archives/{job.pk}/download/").status_code == 200


def test_the_purge_form_needs_a_reason_and_the_reference_and_leaves_a_record(world: World) -> None:
    incident = world.incident_a
    client = world.client_for("admin")
    response = client.post(f"/incidents/{incident.pk}/purge/", {"reason": "", "confirm_reference": "nope"})
    assert response.status_code == 200
    errors = form_errors(response)
    assert errors["reason"] and errors["confirm_reference"]
    response = client.post(
        f"/incidents/{incident.pk}/purge/",
        {"reason": "Exercise finished", "confirm_reference": incident.reference},
    )
    assert response.status_code == 302 and response["Location"] == "/purge-records/"
    assert not Incident.objects.filter(pk=incident.pk).exists()
    listing = client.get("/purge-records/").content.decode()
    assert incident.reference in listing and "Exercise finished" in listing
    assert PurgeRecord.objects.get().purged_by == world.people["admin"]


def test_the_purge_page_explains_why_a_real_incident_in_retention_cannot_be_purged(world: World) -> None:
    incident = world.incident_b
    client = world.client_for("admin_b")
    page = client.get(f"/incidents/{incident.pk}/purge/").content.decode()
    assert "retention period has passed" in page
    client.post(f"/incidents/{incident.pk}/purge/", {"reason": "x", "confirm_reference": incident.reference})
    assert Incident.objects.filter(pk=incident.pk).exists()


def test_only_council_admins_may_purge_reset_or_read_purge_records(world: World) -> None:
    incident = world.incident_a
    for key in ("gold", "dpo", "staff"):
        client = world.client_for(key)
        assert client.get(f"/incidents/{incident.pk}/purge/").status_code == 403
        assert client.get(f"/incidents/{incident.pk}/reset/").status_code == 403
        assert client.get("/purge-records/").status_code == 403
    assert world.client_for("admin_b").get(f"/incidents/{incident.pk}/purge/").status_code == 404


def test_resetting_from_the_form_declares_the_exercise_again(world: World) -> None:
    incident = close(world, world.incident_a)
    response = world.client_for("admin").post(
        f"/incidents/{incident.pk}/reset/", {"reason": "Second run", "confirm_reference": incident.reference}
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == "declared"


def test_the_archive_page_reads_a_fixed_number_of_queries_however_many_archives(
    world: World, django_assert_max_num_queries: Any
) -> None:
    incident = close(world, world.incident_a)
    client = world.client_for("admin")
    client.get(f"/incidents/{incident.pk}/archives/")
    for _n in range(2):
        services.request_archive(incident=incident, actor=world.people["admin"])
    with django_assert_max_num_queries(20) as few:
        client.get(f"/incidents/{incident.pk}/archives/")
    for _n in range(5):
        services.request_archive(incident=incident, actor=world.people["gold"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/incidents/{incident.pk}/archives/").status_code == 200


def test_a_council_admin_sets_the_retention_period_which_later_closures_use(world: World) -> None:
    from incident_console.accounts.recovery_models import AuditEvent

    client = world.client_for("admin")
    assert "keeps a closed real incident for 2192 days" in client.get("/purge-records/").content.decode()
    bad = client.post(f"/councils/{world.a.pk}/retention/", {"retention_days": "0"})
    assert form_errors(bad)["retention_days"]
    saved = client.post(f"/councils/{world.a.pk}/retention/", {"retention_days": "365"})
    assert saved.status_code == 302
    world.a.refresh_from_db()
    assert world.a.retention_days == 365
    assert AuditEvent.objects.filter(council=world.a, kind="retention_changed").exists()
    incident = close(world, world.incident_a)
    assert incident.retain_until is not None and incident.closed_at is not None
    assert (incident.retain_until - incident.closed_at).days == 365
    client.post(f"/councils/{world.a.pk}/retention/", {"retention_days": ""})
    world.a.refresh_from_db()
    assert world.a.retention_days is None and world.a.retention == 2192
