"""Vulnerable-family contacts: seen only by council-level social care roles, the incident's social
care cells and Gold; never in partner outputs or the general export; every view logged for the DPO
and the Caldicott guardian."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from incident_console.accounts.models import Role
from incident_console.command.services import assign_role
from incident_console.contacts.models import ContactAccess
from incident_console.lib.time import now
from tests.conftest import World
from tests.contacts.helpers import a_contact, a_family, social_worker

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("key", ["admin", "gold", "bronze", "dpo", "caldicott", "siro"])
def test_council_roles_without_social_care_do_not_see_vulnerable_families(world: World, key: str) -> None:
    family = a_family(world)
    client = world.client_for(key)
    assert "Alex Family" not in client.get("/contacts/").content.decode()
    assert client.get(f"/contacts/{family.pk}/edit/").status_code == 404
    assert client.get(f"/api/v1/contacts/{family.pk}/").status_code == 404


def test_a_council_level_social_care_role_sees_them_and_each_view_is_logged(world: World) -> None:
    family = a_family(world)
    worker = social_worker(world, "bronze")
    client = world.client_for("bronze")
    assert "Alex Family" in client.get("/contacts/?category=vulnerable_families").content.decode()
    assert client.get(f"/api/v1/contacts/{family.pk}/").json()["name"] == "Alex Family"
    log = list(ContactAccess.objects.filter(contact=family).values_list("actor", "via"))
    assert log == [(worker.pk, "api"), (worker.pk, "page")]


def test_viewing_only_general_contacts_logs_nothing(world: World) -> None:
    a_contact(world)
    social_worker(world, "bronze")
    world.client_for("bronze").get("/contacts/?category=providers_partners")
    assert not ContactAccess.objects.exists()


def test_gold_and_the_social_care_cells_of_an_open_incident_see_them(world: World) -> None:
    a_family(world)
    assign_role(incident=world.incident_a, actor=world.people["gold"], user=world.people["gold"], tier="gold")
    assign_role(
        incident=world.incident_a,
        actor=world.people["gold"],
        user=world.people["bronze"],
        tier="silver",
        cell="adult_social_care",
    )
    for key in ("gold", "bronze"):
        assert "Alex Family" in world.client_for(key).get("/contacts/").content.decode(), key
    assert "Alex Family" not in world.client_for("admin").get("/contacts/").content.decode()


def test_another_councils_social_care_never_sees_them(world: World) -> None:
    family = a_family(world)
    from incident_console.accounts.models import Membership

    Membership.objects.create(user=world.people_b["bronze"], council=world.b, role=Role.SOCIAL_CARE_ADULTS)
    client = world.client_for("bronze_b")
    assert "Alex Family" not in client.get("/contacts/").content.decode()
    assert client.get(f"/api/v1/contacts/{family.pk}/").status_code == 404


def test_the_access_log_is_read_by_the_dpo_and_caldicott_only(world: World) -> None:
    a_family(world)
    social_worker(world, "bronze")
    world.client_for("bronze").get("/contacts/")
    for key in ("dpo", "caldicott"):
        page = world.client_for(key).get("/contacts/access-log/")
        assert page.status_code == 200 and "Contacts list" in page.content.decode(), key
        assert "Alex Family" not in page.content.decode()
    for key in ("admin", "gold", "bronze", "siro"):
        assert world.client_for(key).get("/contacts/access-log/").status_code == 403, key
    assert "Contacts list" not in world.client_for("dpo_b").get("/contacts/access-log/").content.decode()


def test_partner_spocs_for_sitreps_never_include_vulnerable_families(world: World) -> None:
    family = a_family(world, is_spoc=True)
    social_worker(world, "gold")
    from tests.reports.sitrep_helpers import an_issued

    sitrep = an_issued(world)
    page = world.client_for("gold").get(f"/incidents/{world.incident_a.pk}/sitreps/{sitrep.pk}/")
    assert family.name not in page.content.decode()


def test_a_script_payload_in_every_contact_field_is_literal_on_every_contacts_page(world: World) -> None:
    from tests.access.test_xss import ESCAPED, PAYLOAD

    fields = dict.fromkeys(("organisation", "role", "name", "address", "notes"), PAYLOAD)
    partner = a_contact(world, is_spoc=True, **fields)
    a_contact(world, category="staff", is_spoc=True, **fields)
    family = a_family(world, **fields)
    worker = social_worker(world, "bronze")
    worker.full_name = PAYLOAD
    worker.save()
    pages = [
        ("admin", "/contacts/"),
        ("admin", f"/contacts/{partner.pk}/edit/"),
        ("bronze", "/contacts/"),
        ("bronze", f"/contacts/{family.pk}/edit/"),
        ("dpo", "/contacts/access-log/"),
    ]
    for key, url in pages:
        html = world.client_for(key).get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert ESCAPED in html, url
    api = world.client_for("admin").get(f"/api/v1/contacts/{partner.pk}/")
    assert api["Content-Type"] == "application/json" and api.json()["notes"] == PAYLOAD


def test_a_social_care_role_is_granted_and_revoked_from_the_command_line(world: World) -> None:
    from django.core.management import call_command

    from incident_console.accounts.models import Membership
    from incident_console.accounts.recovery_models import AuditEvent

    a_family(world)
    call_command("grant_social_care", "a-bronze", "northgate", "social_care_children")
    assert "Alex Family" in world.client_for("bronze").get("/contacts/").content.decode()
    call_command("grant_social_care", "a-bronze", "northgate", "social_care_children", "--revoke")
    assert not Membership.objects.filter(user=world.people["bronze"], role=Role.SOCIAL_CARE_CHILDREN).exists()
    kinds = list(
        AuditEvent.objects.filter(council=world.a, kind__startswith="social_care_role").values_list(
            "kind", flat=True
        )
    )
    assert sorted(kinds) == ["social_care_role_granted", "social_care_role_revoked"]


def test_the_access_log_pages_through_every_view_newest_first_at_a_constant_query_count(
    world: World, django_assert_max_num_queries: Any
) -> None:
    family = a_family(world)
    reader = world.people["bronze"]
    start = now() - timedelta(days=30)
    ContactAccess.objects.bulk_create(
        ContactAccess(
            council=world.a,
            contact=family,
            actor=reader,
            via=ContactAccess.Via.PAGE,
            what=f"View number {n}",
            occurred_at=start + timedelta(minutes=n),
        )
        for n in range(120)
    )
    client = world.client_for("dpo")
    with django_assert_max_num_queries(6):
        first = client.get("/contacts/access-log/").content.decode()
    assert "View number 119" in first and "View number 70" in first and "View number 69" not in first
    assert "Page 1 of 3" in first
    with django_assert_max_num_queries(6):
        last = client.get("/contacts/access-log/?page=3").content.decode()
    assert "View number 0<" in last and "View number 20<" not in last
    assert client.get("/contacts/access-log/?page=nonsense").status_code == 200


def staff_in_a_social_care_cell(w: World) -> None:
    assign_role(
        incident=w.incident_a,
        actor=w.people["gold"],
        user=w.people["staff"],
        tier="bronze",
        cell="childrens_social_care",
    )
    staff = w.people["staff"]
    w.people["staff"] = type(staff).objects.get(pk=staff.pk)  # a fresh sign-in, nothing cached


def test_staff_holding_a_social_care_cell_see_vulnerable_families_on_the_contacts_page(world: World) -> None:
    family = a_family(world)
    assert world.client_for("staff").get("/contacts/").status_code == 403
    staff_in_a_social_care_cell(world)
    client = world.client_for("staff")  # the cell role asks for a second factor at sign-in
    page = client.get("/contacts/")
    assert page.status_code == 200 and "Alex Family" in page.content.decode()
    assert client.get(f"/contacts/{family.pk}/edit/").status_code == 200
    assert ContactAccess.objects.filter(contact=family, actor=world.people["staff"], via="page").exists()


def test_staff_holding_a_social_care_cell_get_vulnerable_families_from_the_api(world: World) -> None:
    family = a_family(world)
    a_contact(world)
    assert world.client_for("staff").get(f"/api/v1/contacts/{family.pk}/").status_code == 404
    staff_in_a_social_care_cell(world)
    client = world.client_for("staff")
    detail = client.get(f"/api/v1/contacts/{family.pk}/")
    assert detail.status_code == 200 and detail.json()["name"] == "Alex Family"
    listing = client.get("/api/v1/contacts/")
    assert listing.status_code == 200
    assert [c["name"] for c in listing.json()] == ["Alex Family"]  # staff do not see the general register


def test_staff_holding_a_social_care_cell_see_the_same_under_every_register(world: World) -> None:
    from incident_console.incidents.sensitivity import may_see_service_user_data, sensitive_council_ids

    staff = world.people["staff"]
    assert not may_see_service_user_data(staff, world.incident_a) and not sensitive_council_ids(staff)
    staff_in_a_social_care_cell(world)
    staff = world.people["staff"]
    assert may_see_service_user_data(staff, world.incident_a)
    assert sensitive_council_ids(staff) == {world.a.pk}


@pytest.mark.parametrize("key", ["admin", "gold", "bronze", "dpo", "caldicott", "siro"])
def test_the_api_list_never_includes_vulnerable_families_for_people_without_social_care(
    world: World, key: str
) -> None:
    a_family(world)
    a_contact(world)
    listing = world.client_for(key).get("/api/v1/contacts/")
    assert listing.status_code == 200
    names = [c["name"] for c in listing.json()]
    assert names == ["Sam Reid"]
    assert not any(c["category"] == "vulnerable_families" for c in listing.json())
    assert not ContactAccess.objects.exists()


def test_a_connected_councils_officer_placed_in_the_hosts_cell_sees_its_data_only_while_holding_it(
    world: World,
) -> None:
    from incident_console.command.models import Assignment
    from incident_console.command.services import relinquish_role
    from incident_console.incidents.sensitivity import may_see_service_user_data, sensitive_council_ids
    from incident_console.incidents.services import update_incident

    family = a_family(world)
    world.a.connected_councils.add(world.b)
    update_incident(
        incident=world.incident_a, actor=world.people["gold"], expected_version=None, shared_with=[world.b]
    )
    visitor = world.people_b["bronze"]
    client = world.client_for("bronze_b")
    records = f"/incidents/{world.incident_a.pk}/manual-records/"
    assert not may_see_service_user_data(visitor, world.incident_a)
    assert client.get(records).status_code == 403

    assignment = assign_role(
        incident=world.incident_a,
        actor=world.people["gold"],
        user=visitor,
        tier="bronze",
        cell="adult_social_care",
    )
    assert isinstance(assignment, Assignment)
    visitor = type(visitor).objects.get(pk=visitor.pk)  # a fresh request's view of their roles
    assert may_see_service_user_data(visitor, world.incident_a)
    assert world.a.pk in sensitive_council_ids(visitor)
    assert client.get(records).status_code == 200
    assert client.get(f"/api/v1/contacts/{family.pk}/").status_code == 200
    assert ContactAccess.objects.filter(contact=family, actor=visitor).exists(), "the view is logged"

    relinquish_role(assignment=assignment, actor=world.people["gold"])
    assert client.get(records).status_code == 403
    assert client.get(f"/api/v1/contacts/{family.pk}/").status_code == 404


def test_a_refused_save_on_a_familys_edit_page_shows_them_again_and_is_logged(world: World) -> None:
    family = a_family(world)
    worker = social_worker(world, "bronze")
    form = {
        "organisation": "Family",
        "role": "Parent",
        "name": "Alex Family",
        "phone": "12",
        "address": "1 Example Road",
        "version": family.version,
    }
    refused = world.client_for("bronze").post(f"/contacts/{family.pk}/edit/", form)
    assert refused.status_code == 200 and "1 Example Road" in refused.content.decode()
    assert list(ContactAccess.objects.filter(contact=family).values_list("actor", "via", "what")) == [
        (worker.pk, "page", "Edit page")
    ]
    fixed = {**form, "phone": "07700 900 778"}
    assert world.client_for("bronze").post(f"/contacts/{family.pk}/edit/", fixed).status_code == 302
    assert ContactAccess.objects.filter(contact=family).count() == 1  # a save shows nothing again
