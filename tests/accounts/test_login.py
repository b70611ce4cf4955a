from __future__ import annotations

import pytest
from django.test import Client

from incident_console.accounts.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def sign_in(client: Client, password: str, ip: str) -> int:
    response = client.post("/accounts/login/", {"username": "gold", "password": password}, REMOTE_ADDR=ip)
    return int(response.status_code)


def test_a_staff_member_signing_in_with_the_right_password_lands_on_the_dashboard() -> None:
    factories.person(factories.council(slug="northgate"), Role.STAFF, username="gold")
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "gold", "password": factories.PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "Incidents" in response.content.decode()


def test_a_wrong_password_shows_an_error_and_repeated_failures_lock_only_that_address() -> None:
    factories.person(factories.council(slug="northgate"), username="gold")
    attacker = Client()
    first = attacker.post(
        "/accounts/login/", {"username": "gold", "password": "wrong"}, REMOTE_ADDR="203.0.113.9"
    )
    assert first.status_code == 200
    assert "enter a correct username and password" in first.content.decode().lower()
    for _ in range(5):
        sign_in(attacker, "wrong", "203.0.113.9")
    locked = sign_in(attacker, factories.PASSWORD, "203.0.113.9")
    assert locked == 429
    # Gold, signing in from the council's emergency laptop, is not locked out.
    assert sign_in(Client(), factories.PASSWORD, "198.51.100.20") == 302


def test_signing_out_needs_a_post_and_ends_the_session() -> None:
    factories.person(factories.council(slug="northgate"), username="gold")
    client = Client()
    client.post("/accounts/login/", {"username": "gold", "password": factories.PASSWORD})
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_password_change_asks_for_the_old_password_and_a_strong_new_one() -> None:
    user = factories.person(factories.council(slug="northgate"), username="gold")
    client = factories.signed_in_client(user)
    weak = client.post(
        "/accounts/password/",
        {"old_password": factories.PASSWORD, "new_password1": "password", "new_password2": "password"},
    )
    assert weak.status_code == 200
    assert "too common" in weak.content.decode()
    ok = client.post(
        "/accounts/password/",
        {
            "old_password": factories.PASSWORD,
            "new_password1": "a long safe passphrase 42",
            "new_password2": "a long safe passphrase 42",
        },
    )
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a long safe passphrase 42")


def test_the_header_names_the_councils_the_person_belongs_to() -> None:
    user = factories.person(
        factories.council(slug="northgate", name="Northgate Borough Council"), username="gold"
    )
    client = factories.signed_in_client(user)
    html = client.get("/").content.decode()
    assert '<span class="console-header__council">Northgate Borough Council</span>' in html
