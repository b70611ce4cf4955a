"""Sitrep PDFs rendered by a real Celery worker, read back with pypdf."""

from __future__ import annotations

import time

import pytest

from incident_console.reports import services
from incident_console.reports.models import JobState, PdfJob, Sitrep, sha256_of
from tests.access.test_xss import PAYLOAD
from tests.conftest import World
from tests.reports.leaks import INTERNAL_TOKENS, sitrep_full_of_personal_data, squashed
from tests.reports.pdf_text import Page, read_pages
from tests.support.worker import WorkerProcess

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def rendered(job: PdfJob | None, worker: WorkerProcess, seconds: float = 90) -> list[Page]:
    assert job is not None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state == JobState.DONE:
            with job.file.open("rb") as handle:
                return read_pages(bytes(handle.read()))
        assert job.state != JobState.FAILED, job.error
        time.sleep(0.2)
    pytest.fail(f"job {job.pk} not rendered in {seconds:.0f} s:\n{worker.log_tail()}", pytrace=False)


def test_the_worker_renders_both_variants_marked_and_numbered_on_every_page_with_nothing_leaked(
    world: World, celery_worker_process: WorkerProcess
) -> None:
    sitrep = sitrep_full_of_personal_data(world)  # SITREP 1, then amendment 1.1 (issued last)
    services.record_comms(
        incident=world.incident_a,
        actor=world.people["gold"],
        audience="public",
        channel="Website",
        content=PAYLOAD,
        approved_by="Gold",
        sent_at=sitrep.issued_at,  # type: ignore[arg-type]
    )
    second = services.draft_sitrep(
        incident=world.incident_a, actor=world.people["bronze"], headline=PAYLOAD, partner_headline=PAYLOAD
    )
    services.approve_sitrep(sitrep=second, actor=world.people["gold"])
    second = services.issue_sitrep(sitrep=second, actor=world.people["bronze"])

    for issued, label in ((sitrep, "SITREP 1.1"), (second, "SITREP 2")):
        reread = Sitrep.objects.get(pk=issued.pk)
        assert reread.label == label
        assert sha256_of(reread.snapshot) == reread.snapshot_sha256
        for job in (reread.full_pdf, reread.partner_pdf):
            pages = rendered(job, celery_worker_process)
            assert job is not None and job.snapshot_sha256 == reread.snapshot_sha256
            for page in pages:
                assert "OFFICIAL-SENSITIVE" in page.top and "OFFICIAL-SENSITIVE" in page.bottom, page
                assert "EXERCISE" in page.top and "EXERCISE" in page.bottom, page
                assert label in " ".join(page.top), page
                assert f"Page {page.number} of {len(pages)}" in page.bottom, page
            text = squashed("".join(page.text for page in pages))
            if job.variant == "partner":
                assert [f for f, token in INTERNAL_TOKENS.items() if token in text] == []
            else:
                assert all(token in text for token in INTERNAL_TOKENS.values()) or issued is second
            if issued is second:
                assert squashed('<script>alert("xss")</script>') in text
