"""The sitrep and communications API."""

from __future__ import annotations

import pytest

from incident_console.reports import services
from tests.conftest import World
from tests.reports.sitrep_helpers import a_draft, an_issued

pytestmark = pytest.mark.django_db


def test_silver_drafts_gold_approves_and_issue_queues_both_pdfs_through_the_api(world: World) -> None:
    url = f"/api/v1/incidents/{world.incident_a.pk}/sitreps/"
    created = world.client_for("bronze").post(url, {"headline": "Contained"}, content_type="application/json")
    assert created.status_code == 201
    sitrep_id = created.json()["id"]
    refused = world.client_for("bronze").post(f"/api/v1/sitreps/{sitrep_id}/approve/")
    assert refused.status_code == 403
    approved = world.client_for("gold").post(
        f"/api/v1/sitreps/{sitrep_id}/approve/", {"version": 1}, content_type="application/json"
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    issued = world.client_for("bronze").post(f"/api/v1/sitreps/{sitrep_id}/issue/")
    body = issued.json()
    assert body["name"] == "SITREP 1" and body["full_pdf"]["state"] == "queued"
    assert len(body["snapshot_sha256"]) == 64


def test_a_stale_approval_gets_409_and_a_blank_headline_400(world: World) -> None:
    draft = a_draft(world)
    stale = world.client_for("gold").post(
        f"/api/v1/sitreps/{draft.pk}/approve/", {"version": 99}, content_type="application/json"
    )
    assert stale.status_code == 409
    blank = world.client_for("gold").post(
        f"/api/v1/incidents/{world.incident_a.pk}/sitreps/",
        {"headline": " "},
        content_type="application/json",
    )
    assert blank.status_code == 400 and "headline" in blank.json()


def test_a_partner_lists_issued_sitreps_without_internal_text_and_gets_only_the_partner_pdf(
    world: World,
) -> None:
    issued = an_issued(world, headline="Internal only words")
    a_draft(world)
    client = world.client_for("partner")
    rows = client.get(f"/api/v1/incidents/{world.incident_a.pk}/sitreps/").json()["results"]
    assert [row["id"] for row in rows] == [issued.pk]
    assert "headline" not in rows[0] and "full_pdf" not in rows[0]
    assert client.get(f"/api/v1/sitreps/{issued.pk}/pdf/?variant=full").status_code == 403
    assert issued.partner_pdf is not None
    services.render_job(job_id=issued.partner_pdf.pk)
    pdf = client.get(f"/api/v1/sitreps/{issued.pk}/pdf/?variant=partner")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_the_comms_log_records_and_lists_entries(world: World) -> None:
    url = f"/api/v1/incidents/{world.incident_a.pk}/comms/"
    entry = {
        "audience": "members",
        "channel": "Email",
        "content": "Briefing",
        "approved_by": "Gold",
        "sent_at": "2026-01-01T09:00:00Z",
    }
    assert world.client_for("gold").post(url, entry, content_type="application/json").status_code == 201
    rows = world.client_for("gold").get(url).json()["results"]
    assert rows[0]["content"] == "Briefing" and rows[0]["audience"] == "members"
    bad = world.client_for("gold").post(url, {**entry, "audience": "press"}, content_type="application/json")
    assert bad.status_code == 400 and "audience" in bad.json()
