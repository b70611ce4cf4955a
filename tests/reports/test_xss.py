"""A script payload typed into every sitrep, comms and distribution field comes out as literal text,
on the pages and in both PDFs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from incident_console.lib.time import now
from incident_console.reports import services
from tests.access.test_xss import ESCAPED, PAYLOAD
from tests.conftest import World
from tests.reports.pdf_text import read_pages

pytestmark = pytest.mark.django_db


def test_a_script_payload_in_every_report_field_is_shown_literally_on_pages_and_in_pdfs(world: World) -> None:
    gold, bronze = world.people["gold"], world.people["bronze"]
    incident = world.incident_a
    services.record_comms(
        incident=incident,
        actor=gold,
        audience="public",
        channel=PAYLOAD,
        content=PAYLOAD,
        approved_by=PAYLOAD,
        sent_at=now() - timedelta(minutes=1),
    )
    fields: dict[str, Any] = {
        "headline": PAYLOAD,
        "impact": PAYLOAD,
        "risks_issues": PAYLOAD,
        "partner_headline": PAYLOAD,
        "requests_of_partners": PAYLOAD,
    }
    first = services.draft_sitrep(incident=incident, actor=bronze, **fields)
    services.approve_sitrep(sitrep=first, actor=gold)
    first = services.issue_sitrep(sitrep=first, actor=bronze)
    services.record_distribution(
        sitrep=first, actor=gold, organisation=PAYLOAD, recipient=PAYLOAD, variant="partner", sent_at=now()
    )
    draft = services.draft_sitrep(
        incident=incident, actor=bronze, amends=first, amendment_reason=PAYLOAD, **fields
    )
    client = world.client_for("gold")
    pages = [
        f"/incidents/{incident.pk}/sitreps/",
        f"/incidents/{incident.pk}/sitreps/{first.pk}/",
        f"/incidents/{incident.pk}/sitreps/{draft.pk}/",
        f"/incidents/{incident.pk}/sitreps/{draft.pk}/edit/",
        f"/incidents/{incident.pk}/comms/",
        f"/reports/jobs/{first.full_pdf_id}/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
    assert ESCAPED in client.get(f"/incidents/{incident.pk}/sitreps/{first.pk}/").content.decode()
    for job in (first.full_pdf, first.partner_pdf):
        assert job is not None
        assert services.render_job(job_id=job.pk) == "done"
        job.refresh_from_db()
        with job.file.open("rb") as handle:
            text = "".join(page.text for page in read_pages(bytes(handle.read()))).replace("\n", "")
        assert '<script>alert("xss")</script>' in text, job.variant
        assert "onerror=alert(1)>" in text, job.variant
