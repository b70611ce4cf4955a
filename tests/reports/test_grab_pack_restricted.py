"""The restricted grab pack: vulnerable families for one named person who may see them, logged."""

from __future__ import annotations

import pytest

from incident_console.accounts.models import Membership
from incident_console.contacts.models import ContactAccess
from incident_console.reports import grab_pack, services
from incident_console.reports.models import PdfJob
from tests.conftest import World
from tests.contacts.helpers import a_contact, a_family, social_worker
from tests.reports.pdf_text import read_pages

pytestmark = pytest.mark.django_db


def pages_of(job: PdfJob) -> list[str]:
    assert services.render_job(job_id=job.pk) == "done"
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        pages = read_pages(bytes(handle.read()))
    for page in pages:
        top = " ".join(page.top)
        assert "OFFICIAL-SENSITIVE" in top and "OFFICIAL-SENSITIVE" in page.bottom
    return [" ".join(page.text.split()) for page in pages]


def test_the_restricted_edition_names_the_families_and_its_reader_on_every_page(world: World) -> None:
    bronze = social_worker(world)
    a_family(world, name="Kerry Brown", address="4 Mill Lane", notes="Dad works nights")
    a_contact(world, name="Ash Patel", organisation="Northgate ICB")

    pages = pages_of(grab_pack.request_restricted_grab_pack(incident=world.incident_a, actor=bronze))
    text = " ".join(pages)

    assert "Kerry Brown" in text and "4 Mill Lane" in text and "Dad works nights" in text
    assert "Ash Patel" in text, "the general register is in it too"
    assert all(f"Restricted edition for {bronze.display_name} only" in page for page in pages)

    general = " ".join(pages_of(grab_pack.request_grab_pack(incident=world.incident_a, actor=bronze)))
    assert "Kerry Brown" not in general and "Restricted edition" not in general


def test_making_and_downloading_it_are_written_to_the_families_access_log(world: World) -> None:
    bronze = social_worker(world)
    family = a_family(world)
    client = world.client_for("bronze")

    assert (
        client.post(f"/incidents/{world.incident_a.pk}/grab-pack/", {"edition": "restricted"}).status_code
        == 302
    )
    job = PdfJob.objects.get(kind="grab-pack", variant="restricted")
    assert job.requested_by == bronze
    services.render_job(job_id=job.pk)
    assert client.get(f"/reports/jobs/{job.pk}/download/").status_code == 200

    log = list(
        ContactAccess.objects.filter(contact=family).order_by("id").values_list("actor_id", "via", "what")
    )
    assert log == [
        (bronze.pk, "export", f"Restricted grab pack made (PDF {job.pk})"),
        (bronze.pk, "export", f"Restricted grab pack downloaded (PDF {job.pk})"),
    ]


def test_only_the_person_it_was_made_for_can_download_it(world: World) -> None:
    bronze = social_worker(world)
    social_worker(world, key="staff")
    a_family(world)
    job = grab_pack.request_restricted_grab_pack(incident=world.incident_a, actor=bronze)
    services.render_job(job_id=job.pk)
    url = f"/reports/jobs/{job.pk}/download/"

    assert world.client_for("staff").get(url).status_code == 403, "another social worker"
    assert world.client_for("admin").get(url).status_code == 403, "the council admin"
    assert world.client_for("gold_b").get(url).status_code == 404, "another council"
    assert world.client_for("bronze").get(url).status_code == 200

    Membership.objects.filter(user=bronze, role__startswith="social_care").delete()
    assert world.client_for("bronze").get(url).status_code == 403, "no longer allowed to see families"


def test_people_who_may_not_see_families_cannot_make_one(world: World) -> None:
    page = f"/incidents/{world.incident_a.pk}/grab-pack/"
    api = f"/api/v1/incidents/{world.incident_a.pk}/grab-pack/restricted/"
    gold = world.client_for("gold")  # the incident lead, holding no social care or Gold role

    assert "Make a restricted edition for me" not in gold.get(page).content.decode()
    assert gold.post(page, {"edition": "restricted"}).status_code == 403
    assert gold.post(api).status_code == 403
    assert world.client_for("gold_b").post(api).status_code == 404
    assert not PdfJob.objects.filter(variant="restricted").exists()


def test_the_api_makes_and_returns_the_callers_own_restricted_edition(world: World) -> None:
    social_worker(world)
    social_worker(world, key="admin")
    api = f"/api/v1/incidents/{world.incident_a.pk}/grab-pack/restricted/"
    client = world.client_for("bronze")

    assert client.get(api).status_code == 404
    made = client.post(api)
    assert made.status_code == 202
    assert client.get(api).json()["id"] == made.json()["id"]
    assert world.client_for("admin").get(api).status_code == 404, "not made for the admin"
    general = world.client_for("bronze").get(f"/api/v1/incidents/{world.incident_a.pk}/grab-pack/")
    assert general.status_code == 404, "a restricted edition is never offered as the general one"


def test_the_daily_refresh_never_makes_restricted_editions(world: World) -> None:
    a_family(world)
    grab_pack.refresh_due()
    assert set(PdfJob.objects.filter(kind="grab-pack").values_list("variant", flat=True)) == {"general"}
    assert not ContactAccess.objects.exists()


def test_typed_names_are_printed_as_typed_in_the_restricted_edition(world: World) -> None:
    from tests.access.test_xss import PAYLOAD

    bronze = social_worker(world)
    bronze.full_name = PAYLOAD
    bronze.save()
    a_family(world, name=PAYLOAD, notes=PAYLOAD)
    pages = pages_of(grab_pack.request_restricted_grab_pack(incident=world.incident_a, actor=bronze))
    assert all("<script>alert" in page for page in pages), "the reader's name on every page, as typed"
    html = world.client_for("bronze").get(f"/incidents/{world.incident_a.pk}/grab-pack/").content.decode()
    assert "<script>alert" not in html


def test_the_restricted_edition_carries_priority_cases_and_unreconciled_records_and_logs_the_cases(
    world: World,
) -> None:
    from incident_console.priority_cases.models import PriorityCaseAccess
    from tests.continuity.helpers import a_record
    from tests.priority_cases.helpers import a_case

    bronze = social_worker(world)
    case = a_case(world, why_at_risk="Family moved address last week")
    record = a_record(world, summary="Visited at the new address")
    job = grab_pack.request_restricted_grab_pack(incident=world.incident_a, actor=bronze)
    text = " ".join(pages_of(job))

    assert case.reference in text and "Family moved address last week" in text
    assert record.case_reference in text and "Visited at the new address" in text
    assert list(PriorityCaseAccess.objects.filter(case=case).values_list("actor_id", "via")) == [
        (bronze.pk, "export")
    ]
    general = " ".join(pages_of(grab_pack.request_grab_pack(incident=world.incident_a, actor=bronze)))
    assert case.reference not in general and record.case_reference not in general
