"""People on a council rota who do not take part in the incident can acknowledge a broadcast from
the link in its text and land on a page they may see; nobody is chased once the incident closes."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from pytest_django import Settings

from incident_console.accounts.models import Role
from incident_console.broadcasts.models import Broadcast
from incident_console.incidents.models import Incident
from incident_console.notifications import services as notifications
from incident_console.notifications.models import Alert, Delivery
from tests import factories
from tests.broadcasts.test_broadcasts import asked, send, sweep_at, with_routes
from tests.conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _waits(settings: Settings) -> None:
    settings.ESCALATE_AFTER_MINUTES = 30
    settings.BROADCAST_CHASES = 2


def test_someone_on_a_rota_but_not_in_the_incident_acknowledges_by_the_link_and_is_thanked(
    world: World,
) -> None:
    outsider = factories.person(world.a, Role.STAFF, username="a-rota-only")
    outsider.mobile_phone = "07700900199"
    outsider.save()
    factories.rota(world.a, [outsider], name="Emergency Duty Team")
    incident_url = f"/incidents/{world.incident_a.pk}/"
    client = factories.signed_in_client(outsider)
    assert client.get(incident_url).status_code == 404, "they do not take part in the incident"

    status, page = send(world, audience="on_rota_today")
    assert status == 302, page
    broadcast = Broadcast.objects.get()
    assert outsider.pk in set(broadcast.recipients.values_list("user_id", flat=True))
    sweep_at(broadcast.sent_at)

    sms = Delivery.objects.get(channel="sms", notification__recipient=outsider)
    text = notifications.message_for(sms).body
    link = urlsplit(re.search(r"https?://\S+", text).group(0)).path  # type: ignore[union-attr]
    assert client.get(link).status_code == 200
    acknowledged = client.post(link, follow=True)

    assert acknowledged.status_code == 200
    assert acknowledged.redirect_chain[-1][0].endswith(f"/broadcasts/{broadcast.pk}/received/")
    html = acknowledged.content.decode()
    assert "Your acknowledgement is recorded" in html
    assert "Silver meeting moved to 14:00 at the depot." in html
    assert f'/broadcasts/{broadcast.pk}/"' not in html, "no link to a page they may not see"
    detail = factories.signed_in_client(world.people["gold"]).get(f"{incident_url}broadcasts/{broadcast.pk}/")
    assert "1 of 1 person has acknowledged" in detail.content.decode()


def test_the_received_page_of_someone_else_in_another_council_is_not_found(world: World) -> None:
    send(world)
    broadcast = Broadcast.objects.get()
    url = f"/incidents/{world.incident_a.pk}/broadcasts/{broadcast.pk}/received/"
    assert world.client_for("gold_b").get(url).status_code == 404
    assert world.client_for("partner").get(url).status_code == 403


@pytest.mark.parametrize("outcome", ["resolved", "false_alarm"], ids=["closed", "stood-down"])
def test_nobody_is_chased_once_the_incident_is_closed_or_stood_down(world: World, outcome: str) -> None:
    with_routes(world, "bronze", "07700900103")
    send(world)
    start = Broadcast.objects.get().sent_at
    sweep_at(start)
    assert asked("bronze") == 1

    Incident.objects.filter(pk=world.incident_a.pk).update(status="closed", outcome=outcome, closed_at=start)
    sweep_at(start + timedelta(minutes=31))
    sweep_at(start + timedelta(minutes=61))

    assert asked("bronze") == 1, "no chase after closing"
    assert not Alert.objects.filter(kind="broadcast", state="open").exists(), "the first ask is settled"
