"""Named, expiring, revocable API tokens, and the two-factor rule for getting one."""

from __future__ import annotations

import hashlib
import html
import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django import Settings

from incident_console.accounts.models import ApiToken, Council, Role, User
from incident_console.accounts.recovery_models import AuditEvent
from incident_console.accounts.services import needs_second_factor_for_tokens
from incident_console.accounts.two_factor import totp_device
from incident_console.lib.time import now
from tests import factories

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def northgate() -> Council:
    return factories.council(slug="northgate", name="Northgate Borough Council")


@pytest.fixture
def southmoor() -> Council:
    return factories.council(slug="southmoor", name="Southmoor Borough Council")


def authenticator(user: User) -> TOTPDevice:
    """The person's confirmed authenticator app, set up if they have none."""
    return totp_device(user) or TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def code_for(user: User) -> str:
    return f"{totp(authenticator(user).bin_key):06d}"


def ask_for_token(**data: Any) -> Any:
    return Client().post(TOKEN_URL, data, REMOTE_ADDR="10.0.0.5")


def token_for(user: User, **extra: Any) -> str:
    data: dict[str, Any] = {"username": user.username, "password": factories.PASSWORD, **extra}
    if needs_second_factor_for_tokens(user):
        data["otp_token"] = code_for(user)
    response = ask_for_token(**data)
    assert response.status_code == 200, response.content
    return str(response.json()["token"])


def api_get(key: str, path: str = "/api/v1/incidents/", keyword: str = "Token") -> Any:
    return Client().get(path, HTTP_AUTHORIZATION=f"{keyword} {key}")


def unverified_client(user: User) -> Client:
    """Signed in with a password only: the session has not passed a second factor."""
    client = Client()
    client.force_login(user)
    return client


def without_two_factor_middleware(settings: Settings) -> None:
    """So the page's own check is what answers, not the middleware in front of it."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("TwoFactorMiddleware")]


# The token endpoint and the second factor ------------------------------------------------------


@pytest.mark.parametrize("role", [Role.RESPONDER, Role.DPO, Role.COUNCIL_ADMIN])
def test_a_password_alone_gets_no_token_for_an_account_that_signs_in_with_a_second_factor(
    northgate: Council, role: str
) -> None:
    user = factories.person(northgate, role, username="person")
    authenticator(user)
    response = ask_for_token(username="person", password=factories.PASSWORD)
    assert response.status_code == 400
    assert response.json()["otp_token"][0].startswith("This account signs in with a second factor")
    assert "token" not in response.json()
    assert not ApiToken.objects.exists()


def test_a_responder_who_has_not_set_up_an_authenticator_gets_no_token_either(northgate: Council) -> None:
    user = factories.person(northgate, Role.RESPONDER, username="person")
    TOTPDevice.objects.filter(user=user).delete()
    response = ask_for_token(username="person", password=factories.PASSWORD, otp_token="123456")
    assert response.status_code == 400
    assert "set one up" in response.json()["otp_token"][0]
    assert not ApiToken.objects.exists()


def test_a_password_and_the_current_code_give_a_named_expiring_token_that_opens_the_api(
    northgate: Council,
) -> None:
    user = factories.person(northgate, Role.RESPONDER, username="person")
    response = ask_for_token(
        username="person",
        password=factories.PASSWORD,
        otp_token=code_for(user),
        name="Reporting script",
        expires_in_days="7",
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert set(body) == {"token", "name", "expires_at"}
    assert body["name"] == "Reporting script"
    token = ApiToken.objects.get()
    assert (token.user, token.created_by, token.second_factor) == (user, user, True)
    assert token.expires_at - token.created_at == timedelta(days=7)
    assert api_get(body["token"]).status_code == 200
    assert api_get(body["token"], keyword="Bearer").status_code == 200


def test_a_wrong_code_gets_no_token(northgate: Council) -> None:
    user = factories.person(northgate, Role.DPO, username="person")
    right = code_for(user)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = ask_for_token(username="person", password=factories.PASSWORD, otp_token=wrong)
    assert response.status_code == 400
    assert "did not match" in response.json()["otp_token"][0]
    assert not ApiToken.objects.exists()


def test_a_staff_member_without_two_factor_gets_a_token_from_the_password_alone(northgate: Council) -> None:
    factories.person(northgate, Role.STAFF, username="staff")
    response = ask_for_token(username="staff", password=factories.PASSWORD)
    assert response.status_code == 200
    token = ApiToken.objects.get()
    assert token.name == "API token"
    assert token.expires_at - token.created_at == timedelta(days=30)
    assert token.second_factor is False
    assert api_get(response.json()["token"]).status_code == 200


def test_a_staff_member_who_set_up_two_factor_needs_the_code_as_well(northgate: Council) -> None:
    staff = factories.person(northgate, Role.STAFF, username="staff")
    authenticator(staff)
    refused = ask_for_token(username="staff", password=factories.PASSWORD)
    assert refused.status_code == 400
    assert "otp_token" in refused.json()
    assert (
        ask_for_token(username="staff", password=factories.PASSWORD, otp_token=code_for(staff)).status_code
        == 200
    )


def test_bad_choices_at_the_token_endpoint_get_400_naming_each_field(northgate: Council) -> None:
    factories.person(northgate, Role.STAFF, username="staff")
    response = ask_for_token(
        username="staff", password=factories.PASSWORD, name="x" * 101, expires_in_days="45"
    )
    assert response.status_code == 400
    assert {"name", "expires_in_days"} <= set(response.json())
    assert "Choose 1, 7, 30 or 90 days" in response.json()["expires_in_days"][0]
    assert not ApiToken.objects.exists()


def test_the_token_endpoint_is_throttled(northgate: Council) -> None:
    factories.person(northgate, Role.STAFF, username="staff")
    statuses = [ask_for_token(username="staff", password=factories.PASSWORD).status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    assert ApiToken.objects.count() == 10


def test_wrong_passwords_at_the_token_endpoint_count_towards_the_lockout(northgate: Council) -> None:
    factories.person(northgate, Role.STAFF, username="staff")
    statuses = [ask_for_token(username="staff", password="wrong").status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 429]  # the fifth failure locks this username here
    locked = ask_for_token(username="staff", password=factories.PASSWORD)
    assert locked.status_code == 429
    assert "locked" in locked.json()["detail"].lower()
    # From another address the same person still gets a token.
    assert Client().post(TOKEN_URL, {"username": "staff", "password": factories.PASSWORD}).status_code == 200
    assert ApiToken.objects.count() == 1


# Using a token ---------------------------------------------------------------------------------


def test_an_expired_token_is_refused_with_401_saying_it_has_expired(northgate: Council) -> None:
    staff = factories.person(northgate, Role.STAFF, username="staff")
    key = token_for(staff, expires_in_days="1")
    assert api_get(key).status_code == 200
    with time_machine.travel(now() + timedelta(days=1, seconds=1)):
        response = api_get(key)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("This token has expired")
    assert response["WWW-Authenticate"] == "Token"


def test_a_revoked_token_is_refused_with_401_saying_it_has_been_revoked(northgate: Council) -> None:
    staff = factories.person(northgate, Role.STAFF, username="staff")
    key = token_for(staff)
    token = ApiToken.objects.get()
    revoke = Client().post(f"/api/v1/me/tokens/{token.pk}/revoke/", HTTP_AUTHORIZATION=f"Token {key}")
    assert revoke.status_code == 200
    assert revoke.json()["status"] == "revoked"
    response = api_get(key)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("This token has been revoked")


def test_an_unknown_key_is_refused_with_401(northgate: Council) -> None:
    response = api_get("not-a-real-key")
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


def test_keys_are_stored_only_as_a_sha256_hash_and_an_eight_character_prefix(northgate: Council) -> None:
    staff = factories.person(northgate, Role.STAFF, username="staff")
    key = token_for(staff)
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.key_prefix == key[:8]
    stored = json.dumps(list(ApiToken.objects.values()), default=str)
    assert key not in stored
    assert len(key) >= 43  # secrets.token_urlsafe(32)


def test_last_used_is_recorded_at_most_once_a_minute(northgate: Council) -> None:
    staff = factories.person(northgate, Role.STAFF, username="staff")
    key = token_for(staff)
    token = ApiToken.objects.get()
    assert token.last_used_at is None
    start = now()
    with time_machine.travel(start, tick=False):
        api_get(key)
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        api_get(key)
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        api_get(key)
    token.refresh_from_db()
    assert token.last_used_at == start + timedelta(seconds=61)


def test_a_token_from_before_the_account_needed_a_second_factor_stops_opening_the_api(
    northgate: Council,
) -> None:
    staff = factories.person(northgate, Role.STAFF, username="staff")
    key = token_for(staff)
    factories.MembershipFactory(user=staff, council=northgate, role=Role.RESPONDER)
    response = api_get(key)
    assert response.status_code == 401
    assert "without a second factor" in response.json()["detail"]


def test_a_session_that_has_not_passed_two_factor_cannot_use_the_api(northgate: Council) -> None:
    responder = factories.person(northgate, Role.RESPONDER, username="person")
    authenticator(responder)
    refused = unverified_client(responder).get("/api/v1/incidents/")
    assert refused.status_code == 401
    assert "two-factor" in refused.json()["detail"]
    assert factories.signed_in_client(responder).get("/api/v1/incidents/").status_code == 200


def test_the_api_lists_only_my_tokens_without_their_keys(northgate: Council) -> None:
    mine = factories.person(northgate, Role.STAFF, username="staff")
    other = factories.person(northgate, Role.STAFF, username="colleague")
    key = token_for(mine, name="Mine")
    token_for(other, name="Theirs")
    body = api_get(key, "/api/v1/me/tokens/").json()
    assert [row["name"] for row in body["results"]] == ["Mine"]
    row = body["results"][0]
    assert row["status"] == "active"
    assert row["key_prefix"] == key[:8]
    assert not {"key", "key_hash", "token"} & set(row)


def test_nobody_revokes_someone_elses_token_through_the_api(northgate: Council) -> None:
    mine = factories.person(northgate, Role.STAFF, username="staff")
    other = factories.person(northgate, Role.STAFF, username="colleague")
    key = token_for(mine)
    other_key = token_for(other)
    theirs = ApiToken.objects.get(user=other)
    response = Client().post(f"/api/v1/me/tokens/{theirs.pk}/revoke/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 404
    assert api_get(other_key).status_code == 200


def test_a_token_cannot_be_used_to_create_another_token(northgate: Council) -> None:
    staff = factories.person(northgate, Role.STAFF, username="staff")
    key = token_for(staff)
    header = f"Token {key}"
    assert Client().post("/api/v1/me/tokens/", {"name": "More"}, HTTP_AUTHORIZATION=header).status_code == 405
    assert Client().post(TOKEN_URL, {"name": "More"}, HTTP_AUTHORIZATION=header).status_code == 400
    assert ApiToken.objects.count() == 1


def test_a_token_is_always_issued_by_its_owner(northgate: Council) -> None:
    owner = factories.person(northgate, Role.STAFF, username="staff")
    admin = factories.person(northgate, Role.COUNCIL_ADMIN, username="admin")
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(
            user=owner,
            created_by=admin,
            name="Slipped in",
            key_hash="0" * 64,
            key_prefix="00000000",
            created_at=now(),
            expires_at=now() + timedelta(days=1),
        )


# The Tokens page -------------------------------------------------------------------------------


def test_the_page_refuses_to_create_a_token_until_the_session_has_passed_two_factor(
    northgate: Council, settings: Settings
) -> None:
    without_two_factor_middleware(settings)
    responder = factories.person(northgate, Role.RESPONDER, username="person")
    authenticator(responder)
    client = unverified_client(responder)
    page = client.get("/accounts/tokens/").content.decode()
    assert 'href="/accounts/two-factor/"' in page
    assert "Create token" not in page
    response = client.post("/accounts/tokens/", {"name": "Script", "expires_in_days": "30"})
    assert response.status_code == 403
    assert "Sign in with the code from your authenticator app" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_with_the_two_factor_middleware_in_place_an_unverified_session_still_gets_no_token(
    northgate: Council,
) -> None:
    responder = factories.person(northgate, Role.RESPONDER, username="person")
    authenticator(responder)
    response = unverified_client(responder).post(
        "/accounts/tokens/", {"name": "Script", "expires_in_days": "30"}
    )
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/two-factor/")
    assert not ApiToken.objects.exists()


def test_with_a_verified_session_the_page_creates_a_token_and_shows_the_key_once(northgate: Council) -> None:
    responder = factories.person(northgate, Role.RESPONDER, username="person")
    client = factories.signed_in_client(responder)
    response = client.post("/accounts/tokens/", {"name": "Silver's script", "expires_in_days": "90"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    key = response.context["issued"].key
    html = response.content.decode()
    assert key in html
    assert "Copy it now; it will not be shown again." in html
    assert (token.name, token.second_factor) == ("Silver's script", True)
    assert token.expires_at - token.created_at == timedelta(days=90)
    again = client.get("/accounts/tokens/").content.decode()
    assert key not in again
    assert token.key_prefix in again
    assert api_get(key).status_code == 200


def test_bad_input_on_the_page_gets_form_errors_and_no_token(northgate: Council) -> None:
    client = factories.signed_in_client(factories.person(northgate, Role.STAFF, username="staff"))
    response = client.post("/accounts/tokens/", {"name": " ", "expires_in_days": "45"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["name"] == ["Enter a name for the token"]
    assert errors["expires_in_days"] == ["Choose 1, 7, 30 or 90 days"]
    assert not ApiToken.objects.exists()


def test_the_page_lists_each_token_with_its_status(northgate: Council) -> None:
    staff = factories.person(northgate, Role.STAFF, username="staff")
    token_for(staff, name="Old one", expires_in_days="1")
    token_for(staff, name="Live one")
    token_for(staff, name="Stopped one")
    stopped = ApiToken.objects.get(name="Stopped one")
    factories.signed_in_client(staff).post(f"/accounts/tokens/{stopped.pk}/revoke/")
    with time_machine.travel(now() + timedelta(days=2)):
        response = factories.signed_in_client(staff).get("/accounts/tokens/")
        statuses = {t.name: t.status for t in response.context["tokens"]}
    assert statuses == {"Old one": "expired", "Live one": "active", "Stopped one": "revoked"}
    html = response.content.decode()
    assert html.count(">Revoke<") + html.count("Revoke<span") == 1  # only the active one


def test_an_owner_revokes_their_token_from_the_page(northgate: Council) -> None:
    staff = factories.person(northgate, Role.STAFF, username="staff")
    key = token_for(staff)
    token = ApiToken.objects.get()
    response = factories.signed_in_client(staff).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/tokens/"
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_by == staff
    assert api_get(key).status_code == 401


def test_revoking_needs_a_post(northgate: Council) -> None:
    staff = factories.person(northgate, Role.STAFF, username="staff")
    token_for(staff)
    token = ApiToken.objects.get()
    assert factories.signed_in_client(staff).get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_council_admin_revokes_a_members_token_and_is_recorded_as_revoking_it(northgate: Council) -> None:
    member = factories.person(northgate, Role.STAFF, username="staff")
    admin = factories.person(northgate, Role.COUNCIL_ADMIN, username="admin")
    key = token_for(member, name="Member's script")
    token = ApiToken.objects.get()
    client = factories.signed_in_client(admin)
    listing = client.get("/accounts/tokens/council/")
    assert listing.status_code == 200
    assert [t.pk for t in listing.context["tokens"]] == [token.pk]
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/", {"from": "council"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/tokens/council/"
    token.refresh_from_db()
    assert token.revoked_by == admin
    assert token.revoked_at is not None
    assert api_get(key).status_code == 401
    event = AuditEvent.objects.get(kind="api_token_revoked")
    assert (event.actor, event.subject, event.council) == (admin, member, northgate)
    assert client.get("/accounts/tokens/council/").context["tokens"] == []
    # The owner sees who revoked it.
    own_tokens = factories.signed_in_client(member).get("/accounts/tokens/").content.decode()
    assert html.escape(admin.display_name) in own_tokens


def test_an_admin_of_another_council_gets_404_and_never_sees_the_token(
    northgate: Council, southmoor: Council
) -> None:
    member = factories.person(northgate, Role.STAFF, username="staff")
    other_admin = factories.person(southmoor, Role.COUNCIL_ADMIN, username="admin-b")
    key = token_for(member, name="Northgate only")
    token = ApiToken.objects.get()
    client = factories.signed_in_client(other_admin)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    page = client.get("/accounts/tokens/council/")
    assert page.context["tokens"] == []
    assert "Northgate only" not in page.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert api_get(key).status_code == 200


def test_a_colleague_who_is_not_an_admin_gets_404_revoking_someone_elses_token(northgate: Council) -> None:
    member = factories.person(northgate, Role.STAFF, username="staff")
    colleague = factories.person(northgate, Role.RESPONDER, username="colleague")
    token_for(member)
    token = ApiToken.objects.get()
    client = factories.signed_in_client(colleague)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert client.get("/accounts/tokens/council/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_names_are_shown_as_text_never_as_markup(northgate: Council) -> None:
    payload = '<script>alert("x")</script>'
    member = factories.person(northgate, Role.STAFF, username="staff")
    admin = factories.person(northgate, Role.COUNCIL_ADMIN, username="admin")
    token_for(member, name=payload)
    for client, url in [
        (factories.signed_in_client(member), "/accounts/tokens/"),
        (factories.signed_in_client(admin), "/accounts/tokens/council/"),
    ]:
        html = client.get(url).content.decode()
        assert payload not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
