"""Key contacts API: list and create, get and patch with version (409 when stale), council-scoped."""

from __future__ import annotations

import pytest

from tests.conftest import World
from tests.contacts.helpers import a_contact

pytestmark = pytest.mark.django_db


def test_an_admin_creates_a_contact_and_bad_phones_are_400(world: World) -> None:
    client = world.client_for("admin")
    made = client.post(
        "/api/v1/contacts/",
        {
            "organisation": "ICB",
            "role": "Liaison",
            "name": "Chris",
            "phone": "07700 900 109",
            "is_spoc": True,
        },
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["council"] == "northgate"
    assert made.json()["needs_checking"] is False and made.json()["version"] == 1
    bad = client.post(
        "/api/v1/contacts/",
        {"organisation": "ICB", "role": "Liaison", "name": "Chris", "phone": "12"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "phone" in bad.json()


def test_a_patch_with_a_stale_version_is_409(world: World) -> None:
    contact = a_contact(world)
    client = world.client_for("admin")
    url = f"/api/v1/contacts/{contact.pk}/"
    ok = client.patch(url, {"version": 1, "notes": "Night line"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == 2 and ok.json()["notes"] == "Night line"
    stale = client.patch(url, {"version": 1, "notes": "Lost"}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2


def test_another_council_gets_404_and_responders_cannot_edit(world: World) -> None:
    contact = a_contact(world)
    url = f"/api/v1/contacts/{contact.pk}/"
    assert world.client_for("admin_b").get(url).status_code == 404
    assert world.client_for("admin_b").get("/api/v1/contacts/").json() == []
    assert world.client_for("gold").get(url).status_code == 200
    assert (
        world.client_for("gold").patch(url, {"version": 1}, content_type="application/json").status_code
        == 403
    )
    assert world.client_for("partner").get("/api/v1/contacts/").status_code == 403
