"""Partner contacts: council-scoped, kept by council admins, chosen as SPOCs when a sitrep is sent."""

from __future__ import annotations

import pytest

from incident_console.contacts.models import PartnerContact
from incident_console.contacts.services import add_contact
from incident_console.lib.errors import ValidationError
from incident_console.lib.time import now
from incident_console.reports import services
from tests.access.test_xss import ESCAPED, PAYLOAD
from tests.conftest import World
from tests.reports.sitrep_helpers import an_issued

pytestmark = pytest.mark.django_db


def a_spoc(w: World, **fields: str) -> PartnerContact:
    values = {
        "organisation": "Northgate Police",
        "role": "Duty inspector",
        "name": "Sam Reid",
        "phone": "101",
    }
    values.update(fields)
    return add_contact(council=w.a, actor=w.people["admin"], is_spoc=True, **values)  # type: ignore[arg-type]


def test_a_contact_needs_a_phone_or_an_email(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        add_contact(council=world.a, actor=world.people["admin"], organisation="ICB", role="Lead", name="Jo")
    assert "phone" in error.value.message_dict


def test_an_admin_adds_a_contact_and_another_council_never_sees_it(world: World) -> None:
    response = world.client_for("admin").post(
        "/contacts/new/",
        {
            "council": world.a.pk,
            "organisation": "ICB",
            "role": "Liaison",
            "name": "Chris Taylor",
            "phone": "07700 900 001",
        },
    )
    assert response.status_code == 302
    assert "Chris Taylor" in world.client_for("dpo").get("/contacts/").content.decode()
    assert "Chris Taylor" not in world.client_for("admin_b").get("/contacts/").content.decode()


def test_a_sitrep_is_recorded_as_sent_to_a_spoc(world: World) -> None:
    spoc = a_spoc(world)
    sitrep = an_issued(world)
    client = world.client_for("gold")
    page = f"/incidents/{world.incident_a.pk}/sitreps/{sitrep.pk}/"
    assert "Northgate Police: Sam Reid, Duty inspector" in client.get(page).content.decode()
    sent = client.post(page, {"contact": spoc.pk, "variant": "partner", "sent_at": "01/01/2026 09:00"})
    assert sent.status_code == 302
    row = sitrep.distribution.get()
    assert row.contact == spoc and row.organisation == "Northgate Police"


def test_another_councils_contact_is_refused(world: World) -> None:
    other = add_contact(
        council=world.b, actor=world.people_b["admin"], organisation="X", role="Y", name="Z", phone="101"
    )
    with pytest.raises(ValidationError):
        services.record_distribution(
            sitrep=an_issued(world),
            actor=world.people["gold"],
            contact=other,
            variant="partner",
            sent_at=now(),
        )


def test_without_a_spoc_the_organisation_and_person_are_needed(world: World) -> None:
    sitrep = an_issued(world)
    page = f"/incidents/{world.incident_a.pk}/sitreps/{sitrep.pk}/"
    response = world.client_for("gold").post(page, {"variant": "partner", "sent_at": "01/01/2026 09:00"})
    assert response.status_code == 400 and "Choose a SPOC" in response.content.decode()


def test_a_script_payload_in_every_contact_field_is_shown_literally(world: World) -> None:
    spoc = a_spoc(world, organisation=PAYLOAD, role=PAYLOAD, name=PAYLOAD, notes=PAYLOAD, address=PAYLOAD)
    sitrep = an_issued(world)
    services.record_distribution(
        sitrep=sitrep, actor=world.people["gold"], contact=spoc, variant="partner", sent_at=now()
    )
    client = world.client_for("admin")
    for url in ("/contacts/", f"/incidents/{world.incident_a.pk}/sitreps/{sitrep.pk}/"):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert ESCAPED in html, url
