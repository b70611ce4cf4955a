"""CSV export and import: a validation report by row, column and reason; nothing imported if any
row is bad; formulas neutralised on export; vulnerable families never in the general export."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from incident_console.contacts.models import PartnerContact
from tests.conftest import World
from tests.contacts.helpers import a_contact, a_family

pytestmark = pytest.mark.django_db

HEADER = (
    "category,organisation,role,name,phone,out_of_band_phone,email,personal_email,address,notes,is_spoc\n"
)


def upload(world: World, text: str, key: str = "admin") -> object:
    file = SimpleUploadedFile("contacts.csv", text.encode(), content_type="text/csv")
    return world.client_for(key).post("/contacts/import/", {"file": file})


def test_a_good_file_imports_every_row(world: World) -> None:
    text = HEADER + (
        "schools,Northgate High,Head,Lee Hughes,01632 960 100,,lee@example.org,,,,no\n"
        "Providers and partners,Northgate ICB,Liaison,Chris Taylor,,07700 900 109,,,,,yes\n"
    )
    response = upload(world, text)
    assert response.status_code == 302  # type: ignore[attr-defined]
    rows = PartnerContact.objects.filter(council=world.a).order_by("name")
    assert [(c.name, c.category, c.is_spoc) for c in rows] == [
        ("Chris Taylor", "providers_partners", True),
        ("Lee Hughes", "schools", False),
    ]


def test_one_bad_row_imports_nothing_and_the_report_names_row_column_and_reason(world: World) -> None:
    text = HEADER + (
        "schools,Northgate High,Head,Lee Hughes,01632 960 100,,,,,,no\n"
        "schools,Southgate Primary,Head,,12345,,not-an-email,,,,maybe\n"
    )
    response = upload(world, text)
    assert response.status_code == 400  # type: ignore[attr-defined]
    body = response.content.decode()  # type: ignore[attr-defined]
    assert "Nothing was imported" in body
    for column in ("name", "phone", "email", "is_spoc"):
        assert f'<td class="govuk-table__cell">{column}</td>' in body, column
    assert '<td class="govuk-table__cell">3</td>' in body
    assert not PartnerContact.objects.exists()


def test_an_admin_without_social_care_cannot_import_vulnerable_families(world: World) -> None:
    response = upload(world, HEADER + "vulnerable_families,Family,Parent,Alex,07700 900 777,,,,,,no\n")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Only social care" in response.content.decode()  # type: ignore[attr-defined]
    assert not PartnerContact.objects.exists()


def test_a_file_with_an_unknown_column_is_refused(world: World) -> None:
    response = upload(world, "organisation,role,name,shoe_size\nA,B,C,9\n")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "shoe_size" in response.content.decode()  # type: ignore[attr-defined]


def test_the_export_neutralises_formulas_and_leaves_out_vulnerable_families(world: World) -> None:
    a_contact(world, organisation='=HYPERLINK("http://x")', notes="@SUM(A1)")
    a_family(world, name="Alex Family")
    response = world.client_for("admin").get("/contacts/export.csv")
    assert response.status_code == 200
    text = response.content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["category", "organisation", "role", "name"]
    assert '\'=HYPERLINK("http://x")' in [r[1] for r in rows]
    assert "'@SUM(A1)" in [r[9] for r in rows]
    assert "Alex Family" not in text and "1 Example Road" not in text


def test_an_export_imports_back_unchanged(world: World) -> None:
    from incident_console.contacts.services import mark_verified

    contact = a_contact(world, organisation="-Minus Org", is_spoc=True, incident=world.incident_a)
    mark_verified(contact=contact, actor=world.people["admin"])
    exported = world.client_for("admin").get("/contacts/export.csv").content.decode()
    header = next(csv.reader(io.StringIO(exported)))
    assert header[-3:] == ["incident", "verified_at", "verified_by"]
    PartnerContact.objects.all().delete()
    assert upload(world, exported).status_code == 302  # type: ignore[attr-defined]
    back = PartnerContact.objects.get()
    assert (back.organisation, back.name, back.is_spoc) == ("-Minus Org", "Sam Reid", True)
    assert back.incident is None and back.verified_at is None  # the export's own columns are ignored


def test_an_oversized_cell_is_a_clear_error_naming_the_file_and_row_not_a_500(world: World) -> None:
    text = HEADER + "schools,Northgate High,Head,Lee Hughes,01632 960 100,,,,,,no\n"
    text += 'schools,"' + "x" * 200_000 + '",Head,Pat,01632 960 101,,,,,,no\n'
    response = upload(world, text)
    assert response.status_code == 400  # type: ignore[attr-defined]
    body = response.content.decode()  # type: ignore[attr-defined]
    assert "Nothing was imported" in body
    assert "contacts.csv could not be read as CSV at this row (field larger than field limit" in body
    assert '<td class="govuk-table__cell">3</td>' in body
    assert not PartnerContact.objects.exists()


def test_another_councils_admin_never_exports_this_councils_contacts(world: World) -> None:
    a_contact(world, name="Northgate only")
    assert "Northgate only" not in world.client_for("admin_b").get("/contacts/export.csv").content.decode()


def test_social_care_exports_vulnerable_families_and_each_row_is_logged(world: World) -> None:
    from incident_console.contacts.models import ContactAccess
    from tests.contacts.helpers import social_worker

    family = a_family(world)
    a_contact(world, name="Police person")
    worker = social_worker(world, "bronze")
    response = world.client_for("bronze").get("/contacts/vulnerable-families.csv")
    text = response.content.decode()
    assert response.status_code == 200 and "Alex Family" in text and "Police person" not in text
    assert list(ContactAccess.objects.values_list("contact", "actor", "via")) == [
        (family.pk, worker.pk, "export")
    ]
    assert world.client_for("admin").get("/contacts/vulnerable-families.csv").status_code == 403
