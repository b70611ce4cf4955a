"""The PDF job machinery: rows first, idempotent renders, retries, access to downloads."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest

from incident_console.reports import services, tasks
from incident_console.reports.models import JobState, PdfJob, sha256_of
from incident_console.timeline.models import TimelineEvent
from tests.conftest import World
from tests.reports.helpers import a_job
from tests.reports.pdf_text import read_pages

pytestmark = pytest.mark.django_db


def pdf_bytes(job: PdfJob) -> bytes:
    with job.file.open("rb") as handle:
        return bytes(handle.read())


def pages_text(job: PdfJob) -> list[str]:
    return [page.text for page in read_pages(pdf_bytes(job))]


def test_requesting_a_pdf_stores_the_snapshot_and_its_sha256_and_queues_after_commit(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    with (
        mock.patch.object(tasks.render_pdf, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),  # type: ignore[operator]
    ):
        job = a_job(world.incident_a)
    delay.assert_called_once_with(job.pk)
    assert job.state == JobState.QUEUED
    assert job.snapshot_sha256 == sha256_of(job.snapshot)


def test_a_broker_outage_does_not_fail_the_request_and_the_sweep_queues_the_job_later(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    from kombu.exceptions import OperationalError

    with (
        mock.patch.object(tasks.render_pdf, "delay", side_effect=OperationalError("down")),
        django_capture_on_commit_callbacks(execute=True),  # type: ignore[operator]
    ):
        job = a_job(world.incident_a)
    PdfJob.objects.filter(pk=job.pk).update(created_at=job.created_at - timedelta(minutes=1))
    with mock.patch.object(tasks.render_pdf, "delay") as delay:
        assert tasks.sweep() == 1
    delay.assert_called_once_with(job.pk)


def test_the_same_key_returns_the_same_job(world: World) -> None:
    assert a_job(world.incident_a, key="k").pk == a_job(world.incident_a, key="k").pk


def test_rendering_twice_renders_once_and_every_page_carries_marking_exercise_and_page_numbers(
    world: World,
) -> None:
    job = a_job(world.incident_a, lines=[f"Line {n}" for n in range(120)])
    assert services.render_job(job_id=job.pk) == "done"
    assert services.render_job(job_id=job.pk) == "skipped"
    job.refresh_from_db()
    assert job.attempts == 1 and job.page_count and job.page_count > 1
    pages = read_pages(pdf_bytes(job))
    for page in pages:
        assert "OFFICIAL-SENSITIVE" in page.top and "OFFICIAL-SENSITIVE" in page.bottom
        assert "EXERCISE" in page.top and "EXERCISE" in page.bottom
        assert f"Page {page.number} of {len(pages)}" in page.bottom


def test_a_pdf_of_a_live_incident_is_not_marked_exercise(world: World) -> None:
    job = a_job(world.incident_b)
    services.render_job(job_id=job.pk)
    job.refresh_from_db()
    assert "EXERCISE" not in "".join(pages_text(job))


def test_a_variant_shows_only_its_fields(world: World) -> None:
    job = a_job(world.incident_a, variant="partner", internal="SECRET-INTERNAL")
    services.render_job(job_id=job.pk)
    job.refresh_from_db()
    text = "".join(pages_text(job))
    assert "For everyone" in text and "SECRET-INTERNAL" not in text


def test_a_failing_render_is_retried_then_marked_failed_and_a_person_can_retry_it(world: World) -> None:
    job = a_job(world.incident_a)
    with mock.patch("incident_console.reports.rendering.html_to_pdf", side_effect=RuntimeError("boom")):
        for _ in range(services.MAX_ATTEMPTS):
            assert services.render_job(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "boom" in job.error
    services.retry_job(job=job, actor=world.people["gold"])
    assert services.render_job(job_id=job.pk) == "done"

    outcomes = list(
        TimelineEvent.objects.filter(incident=world.incident_a, kind__startswith="pdf_")
        .order_by("sequence")
        .values_list("kind", flat=True)
    )
    assert outcomes == ["pdf_failed", "pdf_done"], "one event when it failed for good, one when it was made"


def test_a_tampered_snapshot_is_refused(world: World) -> None:
    job = a_job(world.incident_a)
    PdfJob.objects.filter(pk=job.pk).update(snapshot={**job.snapshot, "public": "changed"})
    services.render_job(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and "SHA-256" in job.error


def test_a_render_whose_worker_died_is_requeued_by_the_sweep(world: World) -> None:
    job = a_job(world.incident_a)
    PdfJob.objects.filter(pk=job.pk).update(
        state=JobState.RENDERING, attempts=1, claimed_at=job.created_at - timedelta(hours=1)
    )
    assert services.sweep() == [job.pk]
    job.refresh_from_db()
    assert job.state == JobState.QUEUED


def test_user_text_in_a_snapshot_is_printed_literally(world: World) -> None:
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    job = a_job(world.incident_a, public=payload)
    services.render_job(job_id=job.pk)
    job.refresh_from_db()
    text = "".join(pages_text(job)).replace("\n", "")
    assert "<script>alert(1)</script>" in text and 'onerror="alert(2)"' in text


def test_the_progress_fragment_polls_until_done_then_offers_the_download(world: World) -> None:
    job = a_job(world.incident_a)
    client = world.client_for("gold")
    polling = client.get(f"/reports/jobs/{job.pk}/", headers={"HX-Request": "true"})
    assert b"hx-trigger" in polling.content
    services.render_job(job_id=job.pk)
    done = client.get(f"/reports/jobs/{job.pk}/", headers={"HX-Request": "true"})
    assert b"hx-trigger" not in done.content and f"/reports/jobs/{job.pk}/download/".encode() in done.content
    download = client.get(f"/reports/jobs/{job.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_a_failed_job_shows_a_retry_button(world: World) -> None:
    job = a_job(world.incident_a)
    PdfJob.objects.filter(pk=job.pk).update(state=JobState.FAILED, error="x")
    page = world.client_for("gold").get(f"/reports/jobs/{job.pk}/")
    assert b"Retry" in page.content
    world.client_for("gold").post(f"/reports/jobs/{job.pk}/retry/")
    job.refresh_from_db()
    assert job.state == JobState.QUEUED


def test_a_partner_may_download_the_partner_variant_but_not_the_full_one(world: World) -> None:
    full, partner = a_job(world.incident_a), a_job(world.incident_a, variant="partner")
    for job in (full, partner):
        services.render_job(job_id=job.pk)
    client = world.client_for("partner")
    assert client.get(f"/reports/jobs/{partner.pk}/download/").status_code == 200
    assert client.get(f"/reports/jobs/{full.pk}/download/").status_code == 403


def test_another_council_gets_404_for_a_job(world: World) -> None:
    job = a_job(world.incident_a)
    services.render_job(job_id=job.pk)
    assert world.client_for("gold_b").get(f"/reports/jobs/{job.pk}/download/").status_code == 404
    assert world.client_for("gold_b").get(f"/reports/jobs/{job.pk}/").status_code == 404
