"""On the demo: silver drafts sitrep 1, gold approves it, both PDFs render, and the partner can
download only the partner briefing. Done through the pages, as people would."""

from __future__ import annotations

import re

import pytest

from incident_console.accounts.models import User
from incident_console.contacts.selectors import spocs_of
from incident_console.incidents.demo import load_demo
from incident_console.reports import services
from incident_console.reports.models import CommsEntry, Sitrep
from incident_console.timeline.models import TimelineEvent
from tests import factories


@pytest.mark.django_db
def test_silver_drafts_gold_approves_and_the_partner_downloads_only_the_partner_briefing(
    modules: None,
) -> None:
    report = load_demo(password="demo-password-for-tests-only")
    incident = report.incident
    assert incident is not None
    assert CommsEntry.objects.filter(incident=incident).count() == 4
    spocs = set(spocs_of(incident.council_id).values_list("name", flat=True))
    assert {"Chris Taylor", "Ravi Shah", "Lee Hughes"} <= spocs
    silver, gold, partner = (
        factories.signed_in_client(User.objects.get(username=name)) for name in ("silver", "gold", "partner")
    )
    base = f"/incidents/{incident.pk}/sitreps/"
    drafted = silver.post(
        f"{base}new/",
        {
            "headline": "Corporate network disconnected; social care on paper.",
            "partner_headline": "Council social care is running on paper. Phone the duty line.",
            "requests_of_partners": "ICB: share discharge lists by phone at 10:00 daily.",
            "next_sitrep_at": "",
        },
    )
    assert drafted.status_code == 302, drafted.content.decode()[:2000]
    sitrep = Sitrep.objects.get(incident=incident)
    page = f"{base}{sitrep.pk}/"
    assert "approve/" not in silver.get(page).content.decode()
    assert "approve/" in gold.get(page).content.decode()
    assert silver.post(f"{page}approve/").status_code == 403
    assert gold.post(f"{page}approve/", {"version": sitrep.version}).status_code == 302
    sitrep.refresh_from_db()
    assert silver.post(f"{page}issue/", {"version": sitrep.version}).status_code == 302
    sitrep.refresh_from_db()
    assert sitrep.label == "SITREP 1"
    assert sitrep.snapshot is not None and len(sitrep.snapshot["communications"]) == 4
    kinds = set(TimelineEvent.objects.filter(incident=incident).values_list("kind", flat=True))
    assert {"sitrep_drafted", "sitrep_approved", "sitrep_issued", "comms_recorded"} <= kinds
    assert sitrep.full_pdf is not None and sitrep.partner_pdf is not None
    for job in (sitrep.full_pdf, sitrep.partner_pdf):
        assert services.render_job(job_id=job.pk) == "done"
    listing = partner.get(base).content.decode()
    links = set(re.findall(r"/reports/jobs/(\d+)/download/", listing))
    assert links == {str(sitrep.partner_pdf.pk)}
    assert partner.get(f"/reports/jobs/{sitrep.partner_pdf.pk}/download/").status_code == 200
    assert partner.get(f"/reports/jobs/{sitrep.full_pdf.pk}/download/").status_code == 403
    sent = silver.post(
        page,
        {
            "organisation": "Integrated Care Board",
            "recipient": "Chris Taylor (SPOC)",
            "variant": "partner",
            "sent_at": "01/01/2026 09:00",
        },
    )
    assert sent.status_code == 302
    assert "Integrated Care Board" in silver.get(page).content.decode()
