"""The ICO notification draft: every Article 33 element, read back from the PDF with pdftotext."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest

from incident_console.assessments import pdf, services
from incident_console.reports import services as report_services
from incident_console.reports.models import JobState, PdfJob
from tests.assessments.helpers import content, submitted_assessment
from tests.conftest import World

pytestmark = pytest.mark.django_db


def pdftotext(job: PdfJob) -> str:
    with job.file.open("rb") as handle, tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "draft.pdf"
        path.write_bytes(handle.read())
        done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def test_the_pdf_draft_carries_every_article_33_element(world: World) -> None:
    dpo = world.people["dpo"]
    dpo.full_name = "Dana Okafor"
    dpo.job_title = "Data Protection Officer"
    dpo.mobile_phone = "07700 900104"
    dpo.save()
    assessment = submitted_assessment(world)
    services.sign_off(assessment=assessment, actor=dpo, role="dpo", statement="Report within 72 hours.")
    services.sign_off(
        assessment=assessment, actor=world.people["caldicott"], role="caldicott", statement="Tell families."
    )
    assessment.refresh_from_db()

    job = pdf.request_ico_draft(assessment=assessment, actor=dpo)
    assert pdf.request_ico_draft(assessment=assessment, actor=dpo).pk == job.pk, "same content, same job"
    assert report_services.render_job(job_id=job.pk) == "done"
    job.refresh_from_db()
    assert job.state == JobState.DONE
    text = pdftotext(job)

    expected = content()
    required = {
        "nature": ["Confidentiality (data seen or taken)", "Availability (data lost or cannot be reached)"],
        "people categories": ["Adults receiving care", "Children and families"],
        "approximate number of people": [f"Approximate number of people: {expected['people_affected']}"],
        "data categories": [
            "Social care records (special category)",
            "Safeguarding records",
            "Contact details",
        ],
        "approximate number of records": [f"Approximate number of records: {expected['records_affected']}"],
        "DPO contact": ["Dana Okafor", "07700 900104"],
        "likely consequences": [expected["consequences"]],
        "measures taken": [expected["measures_taken"]],
        "measures proposed": [expected["measures_proposed"]],
        "marking and exercise": ["OFFICIAL-SENSITIVE", "EXERCISE"],
        "sign-offs": ["Data protection officer: Dana Okafor", "Caldicott guardian"],
    }
    missing = {name: s for name, strings in required.items() for s in strings if s not in text}
    assert missing == {}, text[:2000]
    assert world.incident_a.reference in text


def test_only_those_who_see_the_assessment_can_download_its_pdf(world: World) -> None:
    assessment = submitted_assessment(world)
    job = pdf.request_ico_draft(assessment=assessment, actor=world.people["dpo"])
    report_services.render_job(job_id=job.pk)
    url = f"/reports/jobs/{job.pk}/download/"
    assert world.client_for("dpo").get(url).status_code == 200
    assert world.client_for("caldicott").get(url).status_code == 200
    for role in ("staff", "partner", "bystander"):
        assert world.client_for(role).get(url).status_code in (403, 404), role
    assert world.client_for("dpo_b").get(url).status_code == 404


def test_the_page_asks_the_worker_for_the_pdf_and_shows_its_progress(world: World) -> None:
    assessment = submitted_assessment(world)
    client = world.client_for("dpo")
    response = client.post(f"/assessments/{assessment.pk}/ico-draft/pdf/")
    assert response.status_code == 302
    job = PdfJob.objects.get(kind="ico-draft")
    page = client.get(f"/assessments/{assessment.pk}/ico-draft/").content.decode()
    assert f"pdf-job-{job.pk}" in page
