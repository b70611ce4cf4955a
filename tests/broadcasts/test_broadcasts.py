"""Staff broadcasts: Gold or Silver asks a group to acknowledge a message, and the rest are chased."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from pytest_django import DjangoAssertNumQueries, Settings

from incident_console.broadcasts.models import Broadcast
from incident_console.command.services import assign_role
from incident_console.lib.time import now
from incident_console.notifications import services as notifications
from incident_console.notifications.models import Delivery, Notification
from incident_console.timeline.models import TimelineEvent
from tests import factories
from tests.conftest import World
from tests.rotas.helpers import gold_rota

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _waits(settings: Settings) -> None:
    settings.ESCALATE_AFTER_MINUTES = 30
    settings.BROADCAST_CHASES = 2


def with_routes(w: World, key: str, mobile: str) -> None:
    person = w.people[key]
    person.email = f"{key}@northgate.example"
    person.personal_email = f"{key}@home.example"
    person.mobile_phone = mobile
    person.save()


def send(w: World, sender: str = "gold", **form: str) -> tuple[int, str]:
    client = factories.signed_in_client(w.people[sender])
    data = {
        "audience": "responders",
        "message": "Silver meeting moved to 14:00 at the depot.",
        "no_personal_data": "on",
    }
    data.update(form)
    response = client.post(f"/incidents/{w.incident_a.pk}/broadcasts/new/", data)
    return response.status_code, response.content.decode()


def sweep_at(at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        result = notifications.sweep()
        for delivery_id in result.deliveries_due or []:
            notifications.send_delivery(delivery_id=delivery_id)


def asked(key: str) -> int:
    return Notification.objects.filter(alert__kind="broadcast", recipient__username=f"a-{key}").count()


def test_silver_sends_to_everyone_responding_by_app_text_and_personal_email_only(world: World) -> None:
    gold = world.people["gold"]
    assign_role(
        incident=world.incident_a, actor=gold, user=world.people["bystander"], tier="silver", cell="it"
    )
    with_routes(world, "bronze", "07700900103")

    status, _page = send(world, sender="bystander")
    assert status == 302
    sweep_at(now())

    broadcast = Broadcast.objects.get()
    people = sorted(broadcast.recipients.values_list("user__username", flat=True))
    assert people == ["a-bronze", "a-gold"], "everyone responding but the sender"
    routes = sorted(
        Delivery.objects.filter(notification__recipient=world.people["bronze"]).values_list(
            "channel", "address"
        )
    )
    assert routes == [("email", "bronze@home.example"), ("sms", "07700900103")], "never council email"
    subject = Notification.objects.filter(recipient=world.people["bronze"]).get().alert.subject
    assert subject.startswith("EXERCISE: From ") and "Silver meeting moved to 14:00" in subject
    assert TimelineEvent.objects.filter(incident=world.incident_a, kind="broadcast_sent").exists()


def test_bronze_acknowledges_by_the_link_in_the_text_and_only_the_others_are_chased(world: World) -> None:
    with_routes(world, "bronze", "07700900103")
    send(world, sender="admin")
    start = Broadcast.objects.get().sent_at
    sweep_at(start)

    sms = Delivery.objects.get(channel="sms", notification__recipient=world.people["bronze"])
    text = notifications.message_for(sms).body
    assert "14:00 at the depot. Open the console" in text
    link = urlsplit(re.search(r"https?://\S+", text).group(0)).path  # type: ignore[union-attr]
    bronze = factories.signed_in_client(world.people["bronze"])
    assert "Acknowledge" in bronze.get(link).content.decode()
    assert bronze.post(link).status_code == 302

    sweep_at(start + timedelta(minutes=31))
    sweep_at(start + timedelta(minutes=61))
    sweep_at(start + timedelta(minutes=200))

    assert asked("bronze") == 1
    assert asked("gold") == 3, "asked once, then chased twice (the limit)"
    page = factories.signed_in_client(world.people["gold"]).get(
        f"/incidents/{world.incident_a.pk}/broadcasts/{Broadcast.objects.get().pk}/"
    )
    html = page.content.decode()
    assert "1 of 2 people have acknowledged" in html
    assert html.count("Not yet") == 1


def test_a_cell_broadcast_reaches_only_the_role_holders_of_that_cell(world: World) -> None:
    gold = world.people["gold"]
    assign_role(
        incident=world.incident_a, actor=gold, user=world.people["bystander"], tier="silver", cell="it"
    )
    assign_role(incident=world.incident_a, actor=gold, user=world.people["bronze"], tier="bronze", cell="it")
    assign_role(
        incident=world.incident_a, actor=gold, user=world.people["staff"], tier="bronze", cell="comms"
    )

    status, _page = send(world, audience="cell", cell="it")

    assert status == 302
    people = sorted(Broadcast.objects.get().recipients.values_list("user__username", flat=True))
    assert people == ["a-bronze", "a-bystander"]


def test_everyone_on_a_rota_today_gets_it(world: World) -> None:
    rota = gold_rota(world)
    status, page = send(world, audience="on_rota_today")

    assert status == 302, page
    people = set(Broadcast.objects.get().recipients.values_list("user_id", flat=True))
    assert people and people <= set(rota.members.values_list("user_id", flat=True))


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"message": "Check on Mrs Smith, NHS 943 476 5919"}, "looks like an NHS number"),
        ({"message": "x" * 141}, "140 characters or fewer"),
        ({"message": "  "}, "Enter the message."),
        ({"no_personal_data": ""}, "Confirm the message says nothing about the people"),
        ({"audience": "cell", "cell": ""}, "Choose the cell."),
        ({"audience": "nobody"}, "Select a valid choice"),
    ],
    ids=["nhs-number", "too-long", "blank", "unconfirmed", "no-cell", "bad-audience"],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_sent(
    world: World, form: dict[str, str], message: str
) -> None:
    status, page = send(world, **form)

    assert status == 200
    assert message in page
    assert not Broadcast.objects.exists()


def test_a_group_with_nobody_in_it_is_refused(world: World) -> None:
    status, page = send(world, audience="on_rota_today")
    assert status == 200
    assert "Nobody is in that group at the moment" in page


def test_staff_cannot_send_and_partners_cannot_see_broadcasts(world: World) -> None:
    url = f"/incidents/{world.incident_a.pk}/broadcasts/"
    assert factories.signed_in_client(world.people["staff"]).get(url + "new/").status_code == 403
    assert factories.signed_in_client(world.people["staff"]).get(url).status_code == 200
    assert factories.signed_in_client(world.people["partner"]).get(url).status_code == 403
    assert factories.signed_in_client(world.people_b["gold"]).get(url).status_code == 404


def test_the_api_sends_and_reports_who_has_acknowledged(world: World) -> None:
    client = world.client_for("gold")
    url = f"/api/v1/incidents/{world.incident_a.pk}/broadcasts/"

    refused = client.post(
        url,
        json.dumps({"audience": "responders", "message": "NHS 9434765919"}),
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "NHS number" in refused.json()["message"][0]

    sent = client.post(
        url,
        json.dumps({"audience": "responders", "message": "Stand-up at 09:00"}),
        content_type="application/json",
    )
    assert sent.status_code == 201
    body = sent.json()
    assert body["asked"] == 1 and body["acknowledged"] == 0
    assert [r["username"] for r in body["recipients"]] == ["a-bronze"]
    listed = client.get(url).json()
    assert [b["message"] for b in listed] == ["Stand-up at 09:00"]


def test_the_broadcast_page_takes_the_same_queries_for_many_people(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for n in range(15):
        person = factories.person(world.a, "responder", username=f"extra-{n}")
        assign_role(
            incident=world.incident_a, actor=world.people["gold"], user=person, tier="bronze", cell="it"
        )
    send(world)
    sweep_at(now())
    client = factories.signed_in_client(world.people["gold"])
    url = f"/incidents/{world.incident_a.pk}/broadcasts/{Broadcast.objects.get().pk}/"
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200
