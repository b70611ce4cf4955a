"""The key contacts register: categories, verification, stale edits, SPOCs both ways, and the
audit trail (timeline for per-incident contacts, the council audit log for council-wide ones)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings

from incident_console.accounts.recovery_models import AuditEvent
from incident_console.contacts import selectors
from incident_console.contacts.models import PartnerContact
from incident_console.contacts.services import mark_verified
from incident_console.contacts.validation import is_uk_phone
from incident_console.lib.choices import ContactCategory
from incident_console.lib.time import now
from incident_console.timeline.models import TimelineEvent
from tests.conftest import World
from tests.contacts.helpers import a_contact, a_family

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "number",
    [
        "01632 960 001",
        "07700 900123",
        "+44 7700 900 123",
        "0044 20 7946 0000",
        "(020) 7946-0000",
        "101",
        "999",
    ],
)
def test_uk_phone_numbers_are_accepted(number: str) -> None:
    assert is_uk_phone(number)


@pytest.mark.parametrize("number", ["0", "12345", "+1 202 555 0100", "07700 9001", "0770O 900123", "=1+1"])
def test_numbers_that_are_not_uk_phone_numbers_are_refused(number: str) -> None:
    assert not is_uk_phone(number)


def test_a_contact_not_verified_within_the_setting_needs_checking(world: World) -> None:
    contact = a_contact(world)
    assert not contact.needs_checking(now())
    assert contact.needs_checking(now() + timedelta(days=91))
    with override_settings(CONTACT_VERIFY_DAYS=10):
        assert contact.needs_checking(now() + timedelta(days=11))


def test_the_list_flags_contacts_that_need_checking_and_mark_verified_clears_it(world: World) -> None:
    contact = a_contact(world)
    PartnerContact.objects.filter(pk=contact.pk).update(created_at=now() - timedelta(days=200))
    client = world.client_for("admin")
    assert "Needs checking" in client.get("/contacts/").content.decode()
    assert client.post(f"/contacts/{contact.pk}/verify/").status_code == 302
    contact.refresh_from_db()
    assert contact.verified_by == world.people["admin"] and contact.verified_at is not None
    assert "Needs checking" not in client.get("/contacts/").content.decode()


def test_council_wide_changes_go_to_the_council_audit_log_not_a_timeline(world: World) -> None:
    contact = a_contact(world)
    mark_verified(contact=contact, actor=world.people["admin"])
    kinds = set(AuditEvent.objects.filter(council=world.a).values_list("kind", flat=True))
    assert {"contact_added", "contact_verified"} <= kinds
    assert not TimelineEvent.objects.filter(kind__startswith="contact_").exists()


def test_a_contact_added_for_an_incident_writes_the_incident_timeline(world: World) -> None:
    contact = a_contact(world, incident=world.incident_a)
    mark_verified(contact=contact, actor=world.people["admin"])
    kinds = list(
        TimelineEvent.objects.filter(incident=world.incident_a, kind__startswith="contact_").values_list(
            "kind", flat=True
        )
    )
    assert kinds == ["contact_added", "contact_verified"]


def test_a_stale_edit_is_refused_with_409_and_the_typing_is_kept(world: World) -> None:
    contact = a_contact(world)
    client = world.client_for("admin")
    form = {
        "organisation": "Northgate Police",
        "role": "Duty inspector",
        "name": "Sam Reid",
        "phone": "01632 960 002",
        "version": contact.version,
    }
    assert client.post(f"/contacts/{contact.pk}/edit/", form).status_code == 302
    stale = client.post(f"/contacts/{contact.pk}/edit/", {**form, "name": "Typed name"})
    assert stale.status_code == 409
    assert "Typed name" in stale.content.decode()
    contact.refresh_from_db()
    assert contact.name == "Sam Reid" and contact.phone == "01632 960 002" and contact.version == 2


def test_a_bad_phone_or_email_is_a_form_error_not_a_save(world: World) -> None:
    response = world.client_for("admin").post(
        "/contacts/new/",
        {"organisation": "ICB", "role": "Lead", "name": "Jo", "phone": "12345", "email": "not-an-email"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter a UK phone number" in body and "Enter an email address" in body
    assert not PartnerContact.objects.filter(name="Jo").exists()


def test_the_list_filters_by_category_and_shows_the_councils_own_spoc(world: World) -> None:
    a_contact(world, category=ContactCategory.STAFF, name="Pat Own", role="Emergency planning", is_spoc=True)
    a_contact(world, category=ContactCategory.SCHOOLS, name="Lee School", organisation="Northgate High")
    client = world.client_for("gold")
    page = client.get("/contacts/").content.decode()
    assert "Partners such as the NHS and the police call:" in page and "Pat Own" in page
    schools = client.get("/contacts/?category=schools").content.decode()
    assert "Lee School" in schools and "Council SPOC" not in schools


def test_sitreps_go_to_partner_spocs_not_the_councils_own_or_families(world: World) -> None:
    police = a_contact(world, is_spoc=True)
    a_contact(world, category=ContactCategory.STAFF, name="Own", is_spoc=True)
    a_family(world, is_spoc=True)
    assert list(selectors.spocs_of(world.a.pk)) == [police]


def test_the_register_reads_in_constant_queries(world: World, django_assert_max_num_queries: object) -> None:
    for n in range(15):
        c = a_contact(world, name=f"Person {n}", incident=world.incident_a if n % 2 else None)
        mark_verified(contact=c, actor=world.people["admin"])
    client = world.client_for("admin")
    client.get("/contacts/")
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        assert client.get("/contacts/").status_code == 200


def test_every_contacts_page_is_marked_official_sensitive(world: World) -> None:
    client = world.client_for("admin")
    for url in ["/contacts/", "/contacts/new/", "/contacts/import/"]:
        page = client.get(url).content.decode()
        assert "OFFICIAL-SENSITIVE" in page, url
