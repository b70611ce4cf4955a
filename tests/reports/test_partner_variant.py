"""The partner variant: personal data typed into every internal field never reaches it."""

from __future__ import annotations

import pytest

from incident_console.reports import services
from incident_console.reports.models import PdfJob
from tests.conftest import World
from tests.reports.leaks import INTERNAL_TOKENS, PARTNER_TOKENS, sitrep_full_of_personal_data, squashed
from tests.reports.pdf_text import read_pages

pytestmark = pytest.mark.django_db


def rendered_text(job: PdfJob) -> str:
    assert services.render_job(job_id=job.pk) == "done"
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        return squashed("\n".join(page.text for page in read_pages(bytes(handle.read()))))


def test_personal_data_in_every_internal_field_is_in_the_full_pdf_and_not_the_partner_pdf(
    world: World,
) -> None:
    sitrep = sitrep_full_of_personal_data(world)
    assert sitrep.full_pdf is not None and sitrep.partner_pdf is not None
    full, partner = rendered_text(sitrep.full_pdf), rendered_text(sitrep.partner_pdf)
    missing_from_full = [field for field, token in INTERNAL_TOKENS.items() if token not in full]
    leaked = [field for field, token in INTERNAL_TOKENS.items() if token in partner]
    assert missing_from_full == []  # the test can fail: every token is printed somewhere
    assert leaked == []
    for token in PARTNER_TOKENS.values():
        assert token in partner and token in full
    assert "SITREP2.1" in partner or "SITREP1.1" in partner


def test_the_partner_snapshot_has_no_internal_token_at_all(world: World) -> None:
    from incident_console.reports import kinds
    from incident_console.reports.models import canonical_json

    sitrep = sitrep_full_of_personal_data(world)
    assert sitrep.snapshot is not None
    partner = canonical_json(kinds.select(kinds.get("sitrep"), "partner", sitrep.snapshot))
    assert [f for f, token in INTERNAL_TOKENS.items() if token in partner] == []


def test_a_partner_sees_issued_sitreps_with_only_the_partner_download(world: World) -> None:
    sitrep = sitrep_full_of_personal_data(world)
    assert sitrep.full_pdf is not None and sitrep.partner_pdf is not None
    for job in (sitrep.full_pdf, sitrep.partner_pdf):
        services.render_job(job_id=job.pk)
    client = world.client_for("partner")
    page = client.get(f"/incidents/{world.incident_a.pk}/sitreps/").content.decode()
    assert f"/reports/jobs/{sitrep.partner_pdf.pk}/download/" in page
    assert f"/reports/jobs/{sitrep.full_pdf.pk}/" not in page
    assert INTERNAL_TOKENS["headline"] not in page and INTERNAL_TOKENS["preparer name"] not in page
    assert client.get(f"/reports/jobs/{sitrep.partner_pdf.pk}/download/").status_code == 200
    assert client.get(f"/reports/jobs/{sitrep.full_pdf.pk}/download/").status_code == 403
    assert client.get(f"/incidents/{world.incident_a.pk}/sitreps/{sitrep.pk}/").status_code == 403
    staff_page = world.client_for("gold").get(f"/incidents/{world.incident_a.pk}/sitreps/").content.decode()
    assert f"/reports/jobs/{sitrep.full_pdf.pk}/download/" in staff_page
