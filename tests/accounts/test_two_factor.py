from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from incident_console.accounts.models import Role, User
from incident_console.accounts.recovery_models import AuditEvent
from incident_console.accounts.two_factor import RECOVERY_CODE_COUNT, recovery_codes_left, totp_device
from tests import factories

pytestmark = pytest.mark.django_db

REQUIRED = [Role.COUNCIL_ADMIN, Role.DPO, Role.CALDICOTT, Role.SIRO, Role.RESPONDER]
OPTIONAL = [Role.STAFF, Role.PARTNER]


def password_sign_in(username: str) -> tuple[Client, str]:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": factories.PASSWORD})
    assert response.status_code == 302
    landing = client.get(response["Location"])
    return client, landing.get("Location", response["Location"])


@pytest.mark.parametrize("role", REQUIRED)
def test_roles_that_need_two_factor_are_sent_to_set_it_up_after_their_password(role: str) -> None:
    factories.person(factories.council(slug="northgate"), role, username="person", enrolled=False)
    client, landing = password_sign_in("person")
    assert landing.startswith("/accounts/two-factor/setup/")
    # Nothing else is reachable until it is set up.
    assert client.get("/").status_code == 302
    assert client.get("/modules/")["Location"].startswith("/accounts/two-factor/setup/")


@pytest.mark.parametrize("role", OPTIONAL)
def test_staff_and_partners_may_sign_in_without_a_second_factor(role: str) -> None:
    factories.person(factories.council(slug="northgate"), role, username="person")
    client, landing = password_sign_in("person")
    assert landing == "/"
    assert client.get("/").status_code == 200


def enrol(client: Client, user: User) -> list[str]:
    page = client.get("/accounts/two-factor/setup/")
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()
    device = totp_device(user) or TOTPDevice.objects.get(user=user, confirmed=False)
    code = f"{totp(device.bin_key):06d}"
    response = client.post("/accounts/two-factor/setup/", {"code": code, "next": "/"})
    assert response.status_code == 302
    codes_page = client.get(response["Location"])
    html = codes_page.content.decode()
    codes = [line.split("<code>")[1].split("</code>")[0] for line in html.split("\n") if "<code>" in line]
    return codes


def test_setting_up_an_authenticator_gives_ten_recovery_codes_shown_once() -> None:
    user = factories.person(factories.council(slug="northgate"), Role.DPO, username="dpo", enrolled=False)
    client, _landing = password_sign_in("dpo")
    codes = enrol(client, user)
    assert len(codes) == RECOVERY_CODE_COUNT
    assert len(set(codes)) == RECOVERY_CODE_COUNT
    assert client.get("/accounts/two-factor/recovery-codes/")["Location"] == "/accounts/two-factor/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(subject=user, kind="two_factor_enrolled").count() == 1


def test_a_wrong_first_code_is_refused_with_a_message_and_nothing_is_confirmed() -> None:
    user = factories.person(factories.council(slug="northgate"), Role.DPO, username="dpo", enrolled=False)
    client, _landing = password_sign_in("dpo")
    client.get("/accounts/two-factor/setup/")
    response = client.post("/accounts/two-factor/setup/", {"code": "000000"})
    assert response.status_code == 400
    assert "That code did not match" in response.content.decode()
    assert totp_device(user) is None


def test_an_enrolled_person_must_enter_a_code_after_the_password() -> None:
    user = factories.person(factories.council(slug="northgate"), Role.RESPONDER, username="gold")
    factories.signed_in_client(user)  # gives gold an authenticator
    client, landing = password_sign_in("gold")
    assert landing.startswith("/accounts/two-factor/verify/")
    wrong = client.post("/accounts/two-factor/verify/", {"code": "123456"})
    assert wrong.status_code == 400
    assert "did not match" in wrong.content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=3)):
        right = client.post(
            "/accounts/two-factor/verify/", {"code": factories.current_code(user), "next": "/"}
        )
    assert right["Location"] == "/"
    assert client.get("/").status_code == 200


def test_the_code_check_refuses_an_address_outside_the_site_as_next() -> None:
    user = factories.person(factories.council(slug="northgate"), Role.RESPONDER, username="gold")
    factories.signed_in_client(user)
    client, _landing = password_sign_in("gold")
    response = client.post(
        "/accounts/two-factor/verify/",
        {"code": factories.current_code(user), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_a_recovery_code_works_once() -> None:
    user = factories.person(factories.council(slug="northgate"), Role.SIRO, username="siro", enrolled=False)
    client, _landing = password_sign_in("siro")
    codes = enrol(client, user)
    client.post("/accounts/logout/")
    again, _landing = password_sign_in("siro")
    ok = again.post("/accounts/two-factor/verify/", {"code": codes[0].upper().replace("-", " "), "next": "/"})
    assert ok["Location"] == "/"
    assert recovery_codes_left(user) == RECOVERY_CODE_COUNT - 1
    assert AuditEvent.objects.filter(subject=user, kind="recovery_code_used").exists()
    again.post("/accounts/logout/")
    third, _landing = password_sign_in("siro")
    reused = third.post("/accounts/two-factor/verify/", {"code": codes[0]})
    assert reused.status_code == 400
    assert third.get("/").status_code == 302


def test_repeated_wrong_codes_are_slowed_down() -> None:
    user = factories.person(factories.council(slug="northgate"), Role.RESPONDER, username="gold")
    factories.signed_in_client(user)
    client, _landing = password_sign_in("gold")
    client.post("/accounts/two-factor/verify/", {"code": "000000"})
    blocked = client.post("/accounts/two-factor/verify/", {"code": factories.current_code(user)})
    assert blocked.status_code == 400
    assert "Too many wrong codes" in blocked.content.decode()
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        later = client.post(
            "/accounts/two-factor/verify/", {"code": factories.current_code(user), "next": "/"}
        )
    assert later.status_code == 302


def test_new_recovery_codes_replace_the_old_ones() -> None:
    user = factories.person(factories.council(slug="northgate"), Role.DPO, username="dpo", enrolled=False)
    client, _landing = password_sign_in("dpo")
    old = enrol(client, user)
    response = client.post("/accounts/two-factor/recovery-codes/new/")
    html = client.get(response["Location"]).content.decode()
    new = [line.split("<code>")[1].split("</code>")[0] for line in html.split("\n") if "<code>" in line]
    assert len(new) == RECOVERY_CODE_COUNT
    assert not set(old) & set(new)
    client.post("/accounts/logout/")
    again, _landing = password_sign_in("dpo")
    assert again.post("/accounts/two-factor/verify/", {"code": old[1]}).status_code == 400


def test_only_people_who_do_not_need_it_can_turn_two_factor_off() -> None:
    council = factories.council(slug="northgate")
    staff = factories.person(council, Role.STAFF, username="staff")
    dpo = factories.person(council, Role.DPO, username="dpo", enrolled=False)
    staff_client = factories.signed_in_client(staff)
    enrol(staff_client, staff)
    assert totp_device(staff) is not None
    staff_client.post("/accounts/two-factor/turn-off/")
    assert totp_device(staff) is None
    dpo_client = factories.signed_in_client(dpo)
    response = dpo_client.post("/accounts/two-factor/turn-off/", follow=True)
    assert "cannot be turned off" in response.content.decode()
    assert totp_device(dpo) is not None


def test_the_overview_page_shows_the_state_of_two_factor() -> None:
    user = factories.person(factories.council(slug="northgate"), Role.RESPONDER, username="gold")
    html = factories.signed_in_client(user).get("/accounts/two-factor/").content.decode()
    assert "Set up" in html
    assert "Needed for your role" in html
