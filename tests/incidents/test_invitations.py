from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from incident_console.accounts.models import User
from incident_console.incidents.models import Invitation, Participation, Status
from incident_console.incidents.services import transition_incident
from incident_console.timeline.models import TimelineEvent
from tests.conftest import World

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long mutual aid passphrase"


def invite(world: World, role: str = "responder", hours: int = 72) -> str:
    admin = world.client_for("admin")
    response = admin.post(
        f"/incidents/{world.incident_a.pk}/invitations/",
        {"role": role, "name": "Sam Okoro", "organisation": "Fernley DC", "valid_for_hours": hours},
    )
    assert response.status_code == 200
    match = re.search(r"<code>https?://[^/]+(/invitations/[^<]+/)</code>", response.content.decode())
    assert match, "the invitation link is shown once"
    return match.group(1)


def accept(link: str, username: str = "sokoro") -> tuple[Client, Any]:
    client = Client()
    response = client.post(
        link,
        {
            "full_name": "Sam Okoro",
            "username": username,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    return client, response


def test_a_council_admin_invites_a_mutual_aid_responder_who_joins_with_two_factor(world: World) -> None:
    link = invite(world)
    assert Invitation.objects.get().token_hash not in link  # only the hash is stored
    client, response = accept(link)
    assert response.status_code == 302
    user = User.objects.get(username="sokoro")
    part = Participation.objects.get(user=user)
    assert part.incident == world.incident_a
    assert part.role == "responder"
    assert part.ends_with_incident
    # A responder must set up two-factor before seeing anything.
    assert client.get(f"/incidents/{world.incident_a.pk}/")["Location"].startswith(
        "/accounts/two-factor/setup/"
    )
    assert TimelineEvent.objects.filter(incident=world.incident_a, kind="invitation_accepted").exists()


def test_an_invitation_works_only_once(world: World) -> None:
    link = invite(world, role="partner")
    accept(link)
    _client, again = accept(link, username="someone-else")
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert not User.objects.filter(username="someone-else").exists()


def test_an_expired_invitation_is_refused(world: World) -> None:
    link = invite(world, hours=24)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        _client, response = accept(link)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not User.objects.filter(username="sokoro").exists()


def test_a_made_up_link_is_a_404_and_a_withdrawn_one_is_refused(world: World) -> None:
    assert Client().get("/invitations/not-a-real-token/").status_code == 404
    link = invite(world)
    invitation = Invitation.objects.get()
    world.client_for("admin").post(f"/incidents/{world.incident_a.pk}/invitations/{invitation.pk}/withdraw/")
    assert Client().get(link).status_code == 410


def test_bad_details_on_the_join_form_are_explained_and_nothing_is_created(world: World) -> None:
    link = invite(world)
    client = Client()
    response = client.post(
        link, {"full_name": "", "username": "gold teams!", "password1": "short", "password2": "different"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter your name" in html
    assert "Use only letters" in html
    assert "The two passwords are different" in html
    taken = client.post(
        link,
        {"full_name": "Sam", "username": "a-gold", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert "That username is taken" in taken.content.decode()
    assert Invitation.objects.get().accepted_at is None


def test_outside_access_ends_when_the_incident_closes_unless_renewed(world: World) -> None:
    first_client, _r = accept(invite(world, role="partner"), username="partner-one")
    accept(invite(world, role="partner"), username="partner-two")
    two = User.objects.get(username="partner-two")
    admin = world.client_for("admin")
    admin.post(f"/incidents/{world.incident_a.pk}/people/{two.pk}/keep-access/", {"keep": "1"})
    gold = world.people["gold"]
    incident = world.incident_a
    for status in (Status.RESPONSE, Status.RECOVERY, Status.CLOSED):
        incident = transition_incident(incident=incident, actor=gold, to_status=status)
    assert first_client.get(f"/incidents/{incident.pk}/").status_code == 404
    second_client = Client()
    second_client.force_login(two)
    assert second_client.get(f"/incidents/{incident.pk}/").status_code == 200
    assert TimelineEvent.objects.filter(incident=incident, kind="outside_access_ended").count() == 1


def test_the_access_review_lists_everyone_who_had_access(world: World) -> None:
    accept(invite(world, role="partner"), username="visitor")
    html = world.client_for("gold").get(f"/incidents/{world.incident_a.pk}/access-review/").content.decode()
    assert "Invited from Fernley DC" in html
    for key in ("staff", "partner", "bronze", "dpo", "caldicott", "siro", "admin"):
        assert world.people[key].display_name.replace("'", "&#x27;") in html, key
    assert (
        world.client_for("staff").get(f"/incidents/{world.incident_a.pk}/access-review/").status_code == 403
    )


def test_only_council_admins_may_invite(world: World) -> None:
    url = f"/incidents/{world.incident_a.pk}/invitations/"
    assert world.client_for("gold").get(url).status_code == 403
    assert world.client_for("admin_b").get(url).status_code == 404
