"""On the demo: Gold makes a grab pack from the page, the worker's render path makes the PDF, and
Gold downloads it, marked OFFICIAL-SENSITIVE and EXERCISE on every page."""

from __future__ import annotations

import pytest

from incident_console.accounts.models import User
from incident_console.incidents.demo import load_demo
from incident_console.reports import grab_pack, services
from incident_console.reports.models import JobState
from tests import factories
from tests.reports.pdf_text import read_pages

pytestmark = pytest.mark.django_db


def test_gold_makes_a_grab_pack_of_the_demo_exercise_from_the_page_and_downloads_it(modules: None) -> None:
    report = load_demo(password="demo-password-for-tests-only")
    incident = report.incident
    assert incident is not None
    assert grab_pack.latest(incident) is None
    gold = factories.signed_in_client(User.objects.get(username="gold"))
    page = f"/incidents/{incident.pk}/grab-pack/"

    asked = gold.post(page)
    assert asked.status_code == 302 and asked["Location"].endswith(page)
    job = grab_pack.latest(incident)
    assert (
        job is not None
        and job.state == JobState.QUEUED
        and job.requested_by == User.objects.get(username="gold")
    )
    assert services.render_job(job_id=job.pk) == "done"
    listing = gold.get(page).content.decode()
    download = f"/reports/jobs/{job.pk}/download/"
    assert download in listing

    response = gold.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    pages = read_pages(body)
    assert len(pages) > 1
    for sheet in pages:
        assert "OFFICIAL-SENSITIVE" in sheet.top and "OFFICIAL-SENSITIVE" in sheet.bottom, sheet.number
        assert "EXERCISE" in sheet.text, sheet.number
    text = " ".join(" ".join(sheet.text for sheet in pages).split())
    for expected in ("Gold meeting", "Pay the three home-care providers", "Silver meeting"):
        assert expected in text, expected
