"""The grab pack: one PDF with routes to every role holder, contacts, rotas, actions, decisions."""

from __future__ import annotations

import pytest

from incident_console.command.services import add_rhythm_entry, assign_role, record_decision
from incident_console.contacts.services import add_contact
from incident_console.guidance.models import Checklist, ItemStatus
from incident_console.guidance.services import add_item, update_item
from incident_console.incidents.services import stand_down
from incident_console.lib.templatetags.console_tags import london
from incident_console.lib.time import now
from incident_console.reports import grab_pack, services
from incident_console.reports.models import PdfJob
from incident_console.reports.templatetags.pdf_tags import iso_london
from tests import factories
from tests.access.test_xss import PAYLOAD
from tests.conftest import World
from tests.reports.pdf_text import read_pages
from tests.rotas.helpers import gold_rota

pytestmark = pytest.mark.django_db


def made(job: PdfJob) -> list[str]:
    assert services.render_job(job_id=job.pk) == "done"
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        pages = read_pages(bytes(handle.read()))
    for page in pages:
        assert "OFFICIAL-SENSITIVE" in page.top and "OFFICIAL-SENSITIVE" in page.bottom
    return [page.text for page in pages]


def test_a_grab_pack_holds_routes_contacts_rotas_rhythm_actions_and_decisions(world: World) -> None:
    incident = world.incident_b  # a real incident marked OFFICIAL: the pack is OFFICIAL-SENSITIVE anyway
    gold_b, staff_b, admin_b = world.people_b["gold"], world.people_b["staff"], world.people_b["admin"]
    gold_b.mobile_phone, gold_b.personal_email = "07700 900321", "gold@home.example"
    gold_b.save()
    staff_b.full_name, staff_b.mobile_phone = "Morgan Rotaworth", "07700 900777"
    staff_b.save()
    assign_role(incident=incident, actor=gold_b, user=gold_b, tier="gold")
    factories.rota(world.b, [gold_b, staff_b], name="Southmoor duty officers", owner=gold_b)
    for category, organisation, name in [
        ("providers_partners", "Southmoor ICB", "Ash Patel"),
        ("staff", "Southmoor IT", "Jo Serverley"),
        ("schools", "Southmoor Academy", "Sam Headley"),
    ]:
        add_contact(
            council=world.b,
            actor=admin_b,
            category=category,
            organisation=organisation,
            role="Liaison",
            name=name,
            phone="07700 900444",
            is_spoc=name == "Ash Patel",
        )
    add_contact(
        council=world.b,
        actor=admin_b,
        category="vulnerable_families",
        organisation="Family",
        role="Carer",
        name="Kerry Brown-Okoro",
        phone="07700 900555",
    )
    checklist = Checklist.objects.filter(incident=incident).first()
    assert checklist is not None, "the modules fixture gives the incident its checklists"
    add_item(checklist=checklist, actor=gold_b, title="Phone every care home on the list", owner=staff_b)
    done = add_item(checklist=checklist, actor=gold_b, title="Restore the finance ledger")
    update_item(item=done, actor=gold_b, expected_version=None, status=ItemStatus.DONE)
    record_decision(
        incident=incident,
        actor=gold_b,
        decision_maker=gold_b,
        decided_at=now(),
        decision="Pay carers by cheque",
        rationale=PAYLOAD,
    )
    add_rhythm_entry(
        incident=incident, actor=gold_b, kind="gold", title="Gold meeting", times=["09:30"], weekdays=[]
    )

    job = grab_pack.request_grab_pack(incident=incident, actor=gold_b)
    [rota] = [r for r in job.snapshot["rotas"] if r["rota"] == "Southmoor duty officers"]
    shift = next(s for s in rota["shifts"] if s["person"] == "Morgan Rotaworth")
    words = "\n".join(made(job)).split()
    text = " ".join(words).replace("\u2010 ", "")  # words hyphenated across lines, joined again
    header = "Organisation Name and role Phones Emails"

    for expected in [
        "07700 900321",  # the command structure: every route to Gold
        "gold@home.example",
        # the contacts, each under its category heading, SPOCs marked
        f"Providers and partners {header} Southmoor ICB SPOC Ash Patel",
        f"Staff {header} Southmoor IT Jo Serverley",
        f"Schools {header} Southmoor Academy Sam Headley",
        "Southmoor duty officers",  # the rota, with a shift in the next seven days
        iso_london(shift["start"]),
        "Morgan Rotaworth",
        "07700 900777",
        "Phone every care home on the list",  # an open action with its owner
        "Pay carers by cheque",  # the decision log
        "Gold meeting",  # the battle rhythm
        "09:30",
    ]:
        assert expected in text, expected
    assert "Restore the finance ledger" not in text, "done actions are not open actions"
    assert "<script>alert" in text, "typed text is printed as it was typed, not interpreted"
    assert "Brown-Okoro" not in text and "900555" not in text, "vulnerable families stay out of the pack"
    assert "EXERCISE" not in text


def test_the_same_content_asks_for_the_same_pack_and_a_change_makes_a_new_one(world: World) -> None:
    gold = world.people["gold"]
    first = grab_pack.request_grab_pack(incident=world.incident_a, actor=gold)
    assert grab_pack.request_grab_pack(incident=world.incident_a, actor=gold).pk == first.pk
    assign_role(incident=world.incident_a, actor=gold, user=gold, tier="gold")
    assert grab_pack.request_grab_pack(incident=world.incident_a, actor=gold).pk != first.pk


def test_the_scheduled_refresh_makes_a_pack_for_each_live_incident_only(world: World) -> None:
    stand_down(incident=world.incident_b, actor=world.people_b["gold"], reason="False alarm")
    assert grab_pack.refresh_due() == 1
    assert grab_pack.refresh_due() == 0, "the pack just asked for is recent enough"
    assert list(PdfJob.objects.filter(kind="grab-pack").values_list("incident_id", flat=True)) == [
        world.incident_a.pk
    ]


def test_the_exercise_pack_says_exercise_on_every_page(world: World, modules: None) -> None:
    gold_rota(world)
    text = made(grab_pack.request_grab_pack(incident=world.incident_a, actor=None))
    assert all("EXERCISE" in page for page in text)


def test_a_lead_makes_one_from_the_page_and_partners_cannot(world: World) -> None:
    url = f"/incidents/{world.incident_a.pk}/grab-pack/"
    gold = factories.signed_in_client(world.people["gold"])
    assert gold.post(url).status_code == 302
    job = PdfJob.objects.get(kind="grab-pack")
    assert "Download latest grab pack" not in gold.get(url).content.decode(), "offered before it is made"
    services.render_job(job_id=job.pk)
    job.refresh_from_db()
    page = gold.get(url).content.decode()
    assert "Download latest grab pack (PDF," in page
    assert f"Made {london(job.finished_at)}" in page
    assert gold.get(f"/reports/jobs/{job.pk}/download/").status_code == 200

    partner = factories.signed_in_client(world.people["partner"])
    assert partner.get(url).status_code == 403
    assert partner.get(f"/reports/jobs/{job.pk}/download/").status_code in (403, 404)


def test_the_api_gives_the_latest_pack_and_makes_a_new_one(world: World) -> None:
    client = world.client_for("gold")
    url = f"/api/v1/incidents/{world.incident_a.pk}/grab-pack/"
    assert client.get(url).status_code == 404
    made_now = client.post(url)
    assert made_now.status_code == 202 and made_now.json()["state"] == "queued"
    assert client.get(url).json()["id"] == made_now.json()["id"]
