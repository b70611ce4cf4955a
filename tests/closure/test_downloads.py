"""Every download of an archive ZIP is on the incident's timeline and in the priority cases' access
log; refused downloads leave nothing; the API serves the ZIP to a token; retries are on the timeline."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client

from incident_console.closure import archive, services
from incident_console.closure.models import ArchiveJob
from incident_console.contacts.models import ContactAccess
from incident_console.priority_cases.models import PriorityCase, PriorityCaseAccess
from incident_console.timeline.models import TimelineEvent
from tests.closure.helpers import built_archive, close, latest_archive
from tests.conftest import World

pytestmark = pytest.mark.django_db


def archive_with_two_cases(w: World) -> tuple[ArchiveJob, list[PriorityCase]]:
    from tests.priority_cases.helpers import a_case

    cases = [a_case(w), a_case(w, reference="CSC-2002")]
    incident = close(w, w.incident_a)
    job = latest_archive(incident)
    assert services.build_job(job_id=job.pk) == "done"
    job.refresh_from_db()
    return job, cases


def downloads(job: ArchiveJob) -> list[TimelineEvent]:
    return list(TimelineEvent.objects.filter(incident_id=job.incident_id, kind="archive_downloaded"))


def token_client(w: World, key: str) -> Client:
    from incident_console.accounts.services import issue_api_token

    user = w.people.get(key) or w.people_b[key.removesuffix("_b")]
    issued = issue_api_token(user=user, name="Records script", second_factor=True)
    return Client(HTTP_AUTHORIZATION=f"Token {issued.key}")


def test_a_download_names_who_and_which_archive_on_the_timeline_without_case_content(world: World) -> None:
    job, cases = archive_with_two_cases(world)
    response = world.client_for("dpo").get(f"/archives/{job.pk}/download/")
    assert response.status_code == 200
    b"".join(response.streaming_content)  # type: ignore[attr-defined]
    [event] = downloads(job)
    assert event.actor == world.people["dpo"]
    assert event.data["archive"] == job.pk and event.data["via"] == "page"
    assert str(job.pk) in event.summary
    written = event.summary + json.dumps(event.data)
    for case in cases:
        assert case.reference not in written and case.why_at_risk not in written


def test_a_download_logs_a_view_of_each_priority_case_in_the_zip_for_the_dpo_and_caldicott(
    world: World,
) -> None:
    job, cases = archive_with_two_cases(world)
    before = PriorityCaseAccess.objects.count()
    families_before = ContactAccess.objects.count()
    world.client_for("siro").get(f"/archives/{job.pk}/download/")
    rows = list(PriorityCaseAccess.objects.order_by("pk")[before:])
    assert sorted(r.case_id or 0 for r in rows) == sorted(c.pk for c in cases)
    assert {(r.actor_id, r.via) for r in rows} == {(world.people["siro"].pk, "export")}
    assert all(f"Archive export {job.pk} downloaded" == r.what for r in rows)
    # The ZIP holds no vulnerable-family contacts, so their access log has nothing to add.
    assert ContactAccess.objects.count() == families_before


def test_the_logged_cases_are_those_in_the_zip_not_ones_added_after_it_was_built(world: World) -> None:
    from tests.priority_cases.helpers import a_case

    job, cases = archive_with_two_cases(world)
    assert sorted(archive.priority_case_ids(job.file.path)) == sorted(c.pk for c in cases)
    later = a_case(world, reference="CSC-3003")
    before = PriorityCaseAccess.objects.count()
    world.client_for("dpo").get(f"/archives/{job.pk}/download/")
    logged = set(PriorityCaseAccess.objects.order_by("pk")[before:].values_list("case_id", flat=True))
    assert later.pk not in logged and logged == {c.pk for c in cases}


@pytest.mark.parametrize(
    ("key", "status"), [("admin", 403), ("gold", 403), ("caldicott", 403), ("dpo_b", 404)]
)
def test_a_refused_download_writes_nothing(world: World, key: str, status: int) -> None:
    job, _cases = archive_with_two_cases(world)
    events = TimelineEvent.objects.count()
    views = PriorityCaseAccess.objects.count()
    assert world.client_for(key).get(f"/archives/{job.pk}/download/").status_code == status
    assert token_client(world, key).get(f"/api/v1/archives/{job.pk}/download/").status_code == status
    assert TimelineEvent.objects.count() == events and PriorityCaseAccess.objects.count() == views


def test_a_zip_missing_from_storage_is_not_found_and_logs_nothing(world: World) -> None:
    job, _cases = archive_with_two_cases(world)
    job.file.storage.delete(str(job.file.name))
    events = TimelineEvent.objects.count()
    assert world.client_for("dpo").get(f"/archives/{job.pk}/download/").status_code == 404
    assert TimelineEvent.objects.count() == events and not downloads(job)


def test_a_token_client_downloads_the_zip_from_the_address_the_api_gives_and_it_is_logged(
    world: World,
) -> None:
    job, cases = archive_with_two_cases(world)
    client = token_client(world, "dpo")
    detail = client.get(f"/api/v1/archives/{job.pk}/")
    assert detail.status_code == 200
    assert detail.json()["download"] == f"/api/v1/archives/{job.pk}/download/"
    response = client.get(detail.json()["download"])
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert archive.verify(io.BytesIO(body), manifest_sha256=job.manifest_sha256) == []
    [event] = downloads(job)
    assert event.actor == world.people["dpo"] and event.data["via"] == "api"
    rows = PriorityCaseAccess.objects.filter(actor=world.people["dpo"], via="api")
    assert sorted(rows.values_list("case_id", flat=True)) == sorted(c.pk for c in cases)


def test_the_api_says_an_archive_is_still_being_made_or_failed_without_the_raw_error(world: World) -> None:
    client = token_client(world, "dpo")
    queued = built_archive(world, "queued")
    response = client.get(f"/api/v1/archives/{queued.pk}/download/")
    assert response.status_code == 202 and response.json()["state"] == "queued"
    ArchiveJob.objects.filter(pk=queued.pk).update(
        state="failed", attempts=3, error="OSError: [Errno 28] No space left on device: '/srv/archives/x.zip'"
    )
    response = client.get(f"/api/v1/archives/{queued.pk}/download/")
    assert response.status_code == 409
    error = response.json()["error"]
    assert "could not be made" in error and "Errno" not in error and "/srv/" not in error
    assert "Errno" not in client.get(f"/api/v1/archives/{queued.pk}/").json()["error"]
    page = world.client_for("dpo").get(f"/archives/{queued.pk}/").content.decode()
    assert "could not be made" in page and "Errno" not in page and "/srv/" not in page
    assert not downloads(queued)


def test_an_archive_waiting_for_another_attempt_says_so_plainly(world: World) -> None:
    job = built_archive(world, "queued")
    ArchiveJob.objects.filter(pk=job.pk).update(error="RuntimeError: boom at /srv/x", attempts=1)
    error = token_client(world, "admin").get(f"/api/v1/archives/{job.pk}/").json()["error"]
    assert "tried again" in error and "boom" not in error


def test_retrying_a_failed_archive_is_on_the_timeline_and_retrying_a_built_one_is_not(world: World) -> None:
    failed = built_archive(world, "failed")
    world.client_for("admin").post(f"/archives/{failed.pk}/retry/")
    [event] = TimelineEvent.objects.filter(incident_id=failed.incident_id, kind="archive_retried")
    assert event.actor == world.people["admin"] and event.data == {"archive": failed.pk}
    failed.refresh_from_db()
    assert failed.state == "queued"
    assert services.build_job(job_id=failed.pk) == "done"
    services.retry_archive(job=failed, actor=world.people["admin"])
    assert TimelineEvent.objects.filter(incident_id=failed.incident_id, kind="archive_retried").count() == 1
