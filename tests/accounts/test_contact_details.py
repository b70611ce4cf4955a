"""People record the routes that still work when council email and phones are down."""

from __future__ import annotations

import pytest

from incident_console.accounts.models import Role
from incident_console.accounts.recovery_models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07700 900123", "07700900123"),
        ("+44 7700 900123", "07700900123"),
        ("0044-7700-900-123", "07700900123"),
    ],
)
def test_a_uk_mobile_number_is_saved_in_one_form(typed: str, stored: str) -> None:
    council = factories.council()
    person = factories.person(council, Role.STAFF)
    client = factories.signed_in_client(person)

    response = client.post("/accounts/contact/", {"mobile_phone": typed, "personal_email": "sam@example.org"})

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.mobile_phone, person.personal_email) == (stored, "sam@example.org")
    assert AuditEvent.objects.filter(subject=person, kind="contact_details_changed").exists()
    assert "07700900123" in client.get("/accounts/").content.decode()


@pytest.mark.parametrize("typed", ["0207 946 0000", "12345", "07700 90012", "call me"])
def test_a_number_that_cannot_take_texts_is_refused_and_what_was_typed_is_kept(typed: str) -> None:
    council = factories.council()
    person = factories.person(council, Role.STAFF, mobile_phone="07700900999")
    client = factories.signed_in_client(person)

    response = client.post("/accounts/contact/", {"mobile_phone": typed, "personal_email": "not-an-email"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a UK mobile number" in page
    assert "Enter an email address in the right format" in page
    assert f'value="{typed}"' in page
    person.refresh_from_db()
    assert person.mobile_phone == "07700900999"


def test_clearing_both_routes_is_allowed() -> None:
    council = factories.council()
    person = factories.person(council, Role.STAFF, mobile_phone="07700900999", personal_email="a@example.org")

    factories.signed_in_client(person).post("/accounts/contact/", {"mobile_phone": "", "personal_email": ""})

    person.refresh_from_db()
    assert (person.mobile_phone, person.personal_email) == ("", "")
