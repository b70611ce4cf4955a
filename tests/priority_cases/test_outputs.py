"""Priority cases never reach partner outputs: the partner sitrep and the grab pack are rendered with
cases on the incident, and neither carries a case reference, why a case is at risk or its notes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from incident_console.lib.time import now
from incident_console.priority_cases.services import record_contact
from incident_console.reports import grab_pack, services
from incident_console.reports.models import PdfJob
from tests.conftest import World
from tests.priority_cases.helpers import a_case
from tests.reports.leaks import squashed
from tests.reports.pdf_text import read_pages

pytestmark = pytest.mark.django_db

TOKENS = {
    "reference": "Zanzibarref",
    "why at risk": "Quorvalrisk",
    "notes": "Pellowmnote",
    "outcome": "Draxoutcome",
}


def rendered(job: PdfJob) -> str:
    assert services.render_job(job_id=job.pk) == "done"
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        return squashed("\n".join(page.text for page in read_pages(bytes(handle.read()))))


def cases_full_of_tokens(world: World) -> None:
    case = a_case(
        world,
        reference=f"CSC-{TOKENS['reference']}",
        why_at_risk=f"Child {TOKENS['why at risk']} moved",
        notes=f"Note {TOKENS['notes']}",
        next_contact_due=now() + timedelta(hours=2),
    )
    record_contact(
        case=case,
        actor=world.people["gold"],
        contacted_at=now() - timedelta(minutes=1),
        contacted_by=world.people["gold"],
        result="contacted_escalated",
        outcome=f"Seen {TOKENS['outcome']}",
        next_contact_due=now() + timedelta(hours=4),
    )


def test_the_partner_sitrep_carries_no_priority_case_text(world: World) -> None:
    cases_full_of_tokens(world)
    gold, bronze = world.people["gold"], world.people["bronze"]
    sitrep = services.draft_sitrep(
        incident=world.incident_a, actor=bronze, headline="Contained", partner_headline="Running on paper"
    )
    services.approve_sitrep(sitrep=sitrep, actor=gold)
    sitrep = services.issue_sitrep(sitrep=sitrep, actor=bronze)
    assert sitrep.partner_pdf is not None
    partner = rendered(sitrep.partner_pdf)
    assert "Runningonpaper" in partner  # the test can fail: the PDF was read
    assert [field for field, token in TOKENS.items() if token in partner] == []


def test_the_grab_pack_carries_no_priority_case_text(world: World) -> None:
    cases_full_of_tokens(world)
    text = rendered(grab_pack.request_grab_pack(incident=world.incident_a, actor=world.people["gold"]))
    assert world.incident_a.reference.replace(" ", "") in text
    assert [field for field, token in TOKENS.items() if token in text] == []
