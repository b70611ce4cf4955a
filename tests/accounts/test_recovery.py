from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from incident_console.accounts.models import Role
from incident_console.accounts.recovery_models import AuditEvent, ResetRequest
from incident_console.accounts.two_factor import has_two_factor
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    council = factories.council(slug="northgate")
    return {
        "council": council,
        "admin1": factories.person(council, Role.COUNCIL_ADMIN, username="admin1"),
        "admin2": factories.person(council, Role.COUNCIL_ADMIN, username="admin2"),
        "gold": factories.person(council, Role.RESPONDER, username="gold"),
        "other_admin": factories.person(
            factories.council(slug="fernley"), Role.COUNCIL_ADMIN, username="fadmin"
        ),
    }


def ask(client: Client, subject_pk: int) -> Any:
    return client.post(
        "/accounts/resets/",
        {
            "subject": subject_pk,
            "reason": "Phone lost on the way home",
            "how_identity_was_checked": "Called back",
        },
    )


def test_two_admins_reset_a_lost_phone_and_the_person_starts_again(people) -> None:
    gold = people["gold"]
    gold_session = factories.signed_in_client(gold)
    assert gold_session.get("/").status_code == 200
    first = factories.signed_in_client(people["admin1"])
    assert ask(first, gold.pk).status_code == 302
    reset = ResetRequest.objects.get(subject=gold)
    # The admin who asked cannot also confirm.
    refused = first.post(f"/accounts/resets/{reset.pk}/confirm/", follow=True)
    assert "A different council admin has to confirm" in refused.content.decode()
    assert has_two_factor(gold)

    second = factories.signed_in_client(people["admin2"])
    confirmed = second.post(f"/accounts/resets/{reset.pk}/confirm/")
    assert confirmed.status_code == 200
    password = confirmed.content.decode().split("<code>")[1].split("</code>")[0]
    assert not has_two_factor(gold)
    gold.refresh_from_db()
    assert gold.must_change_password
    # The old session has ended.
    assert gold_session.get("/").status_code == 302

    client = Client()
    client.post("/accounts/login/", {"username": "gold", "password": password})
    assert client.get("/")["Location"].startswith("/accounts/two-factor/setup/")
    kinds = list(AuditEvent.objects.filter(subject=gold).values_list("kind", flat=True))
    assert {"reset_requested", "reset_confirmed"} <= set(kinds)
    confirmed_event = AuditEvent.objects.get(kind="reset_confirmed")
    assert confirmed_event.actor == people["admin2"]
    assert confirmed_event.council == people["council"]


def test_after_a_reset_the_person_must_choose_a_new_password_before_anything_else(people) -> None:
    gold = people["gold"]
    gold.must_change_password = True
    gold.save()
    client = factories.signed_in_client(gold)
    assert client.get("/")["Location"].startswith("/accounts/password/")
    response = client.post(
        "/accounts/password/",
        {
            "old_password": factories.PASSWORD,
            "new_password1": "a brand new passphrase 99",
            "new_password2": "a brand new passphrase 99",
        },
    )
    assert response.status_code == 302
    gold.refresh_from_db()
    assert not gold.must_change_password


def test_an_expired_reset_request_cannot_be_confirmed(people) -> None:
    ask(factories.signed_in_client(people["admin1"]), people["gold"].pk)
    reset = ResetRequest.objects.get()
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        response = factories.signed_in_client(people["admin2"]).post(
            f"/accounts/resets/{reset.pk}/confirm/", follow=True
        )
    assert "expired" in response.content.decode()
    assert has_two_factor(people["gold"])


def test_an_admin_cannot_reset_their_own_sign_in_or_someone_in_another_council(people) -> None:
    client = factories.signed_in_client(people["admin1"])
    own = ask(client, people["admin1"].pk)
    assert own.status_code == 400
    foreign = ask(client, people["other_admin"].pk)
    assert foreign.status_code == 400
    assert ResetRequest.objects.count() == 0


def test_an_admin_of_another_council_cannot_see_or_confirm_the_request(people) -> None:
    ask(factories.signed_in_client(people["admin1"]), people["gold"].pk)
    reset = ResetRequest.objects.get()
    outsider = factories.signed_in_client(people["other_admin"])
    assert "Phone lost" not in outsider.get("/accounts/resets/").content.decode()
    assert outsider.post(f"/accounts/resets/{reset.pk}/confirm/").status_code == 404


def test_people_who_are_not_admins_cannot_use_resets(people) -> None:
    assert factories.signed_in_client(people["gold"]).get("/accounts/resets/").status_code == 403


def test_a_second_request_for_the_same_person_is_refused_while_one_waits(people) -> None:
    client = factories.signed_in_client(people["admin1"])
    ask(client, people["gold"].pk)
    again = ask(factories.signed_in_client(people["admin2"]), people["gold"].pk)
    assert again.status_code == 400
    assert "already waiting" in again.content.decode()


def test_the_audit_log_is_for_admins_dpos_and_siros_of_that_council(people) -> None:
    ask(factories.signed_in_client(people["admin1"]), people["gold"].pk)
    html = factories.signed_in_client(people["admin2"]).get("/accounts/audit/").content.decode()
    assert "Asked for a sign-in reset" in html
    assert factories.signed_in_client(people["gold"]).get("/accounts/audit/").status_code == 403
    other = factories.signed_in_client(people["other_admin"]).get("/accounts/audit/").content.decode()
    assert "Asked for a sign-in reset" not in other
