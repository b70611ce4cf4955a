"""The notification centre, the header count and acknowledgement links from email and SMS."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import signing
from django.test import Client
from pytest_django import Settings

from incident_console.guidance.models import ChecklistItem, ItemStatus
from incident_console.notifications import services
from incident_console.notifications.links import SALT, acknowledgement_token, acknowledgement_url
from incident_console.notifications.models import AlertState, Notification
from tests import factories
from tests.conftest import World

pytestmark = pytest.mark.django_db

START = datetime.fromisoformat("2026-11-23T09:00:00+00:00")


def reminded(w: World) -> Notification:
    item = ChecklistItem.objects.filter(checklist__incident=w.incident_a).order_by("pk").first()
    assert item is not None
    item.owner, item.due_at, item.status = (
        w.people["bronze"],
        START - timedelta(minutes=5),
        ItemStatus.IN_PROGRESS,
    )
    item.save()
    with time_machine.travel(START, tick=False):
        services.sweep()
    return Notification.objects.get(alert__kind="checklist_item_overdue", recipient=w.people["bronze"])


def link_path(notification: Notification) -> str:
    return "/notifications/ack/" + acknowledgement_token(notification) + "/"


def test_the_header_count_shows_unread_reminders_and_the_centre_marks_them_read(world: World) -> None:
    notification = reminded(world)
    client = factories.signed_in_client(world.people["bronze"])

    count = client.get("/notifications/count/").content.decode()
    assert "(1 unread)" in count
    centre = client.get("/notifications/").content.decode()
    assert notification.alert.subject in centre
    assert "Acknowledge" in centre

    assert "unread" not in client.get("/notifications/count/").content.decode()


def test_pages_load_the_count_with_htmx_instead_of_a_query_of_their_own(world: World) -> None:
    page = factories.signed_in_client(world.people["gold"]).get("/").content.decode()
    assert 'hx-get="/notifications/count/"' in page
    assert 'hx-trigger="load, every 60s"' in page


def test_acknowledging_from_the_centre_stops_the_reminder(world: World) -> None:
    notification = reminded(world)
    client = factories.signed_in_client(world.people["bronze"])

    response = client.post(f"/notifications/{notification.pk}/acknowledge/", {"next": "/notifications/"})

    assert response.status_code == 302 and response["Location"] == "/notifications/"
    notification.alert.refresh_from_db()
    assert notification.alert.state == AlertState.ACKNOWLEDGED


def test_nobody_acknowledges_someone_elses_reminder_from_the_centre(world: World) -> None:
    notification = reminded(world)
    client = factories.signed_in_client(world.people["gold"])

    assert client.post(f"/notifications/{notification.pk}/acknowledge/").status_code == 404
    notification.alert.refresh_from_db()
    assert notification.alert.state == AlertState.OPEN


def test_opening_a_link_only_asks_and_the_post_acknowledges(world: World) -> None:
    notification = reminded(world)
    client = factories.signed_in_client(world.people["bronze"])

    page = client.get(link_path(notification))
    notification.alert.refresh_from_db()
    assert page.status_code == 200
    assert "Acknowledge a reminder" in page.content.decode()
    assert notification.alert.state == AlertState.OPEN, "opening the link (a mail scanner) acknowledged it"

    done = client.post(link_path(notification))
    notification.alert.refresh_from_db()
    assert done.status_code == 302
    assert notification.alert.state == AlertState.ACKNOWLEDGED
    again = client.get(link_path(notification)).content.decode()
    assert "Nothing to do" in again


def test_the_link_in_a_message_is_absolute_and_needs_sign_in(world: World, settings: Settings) -> None:
    settings.CONSOLE_URL = "https://console.example.org/"
    notification = reminded(world)
    url = acknowledgement_url(notification)
    assert url.startswith("https://console.example.org/notifications/ack/")

    response = Client().get(link_path(notification))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_link_cannot_be_used_by_another_person(world: World) -> None:
    notification = reminded(world)
    client = factories.signed_in_client(world.people["gold"])

    for response in (client.get(link_path(notification)), client.post(link_path(notification))):
        assert response.status_code == 403
        assert "sent to someone else" in response.content.decode()
    notification.alert.refresh_from_db()
    assert notification.alert.state == AlertState.OPEN


@pytest.mark.parametrize(
    "token",
    ["not-a-token", "", "x" * 300, "eyJuIjoxLCJyIjoxfQ:1vKz:forged-signature"],
    ids=["junk", "empty-ish", "long", "forged"],
)
def test_a_tampered_link_gets_a_clear_page_not_an_error(world: World, token: str) -> None:
    reminded(world)
    client = factories.signed_in_client(world.people["bronze"])

    response = client.get(f"/notifications/ack/{token or '-'}/")

    assert response.status_code == 400
    assert "The link is not valid" in response.content.decode()


def test_a_link_for_another_notification_id_with_a_valid_signature_for_me_is_refused(world: World) -> None:
    notification = reminded(world)
    forged = signing.dumps({"n": notification.pk, "r": world.people["gold"].pk}, salt=SALT, compress=True)
    client = factories.signed_in_client(world.people["gold"])

    assert client.get(f"/notifications/ack/{forged}/").status_code == 403


def test_an_expired_link_says_so(world: World, settings: Settings) -> None:
    settings.ACKNOWLEDGEMENT_LINK_MAX_AGE = 3600
    notification = reminded(world)
    with time_machine.travel(datetime.now().astimezone() - timedelta(hours=2)):
        token = acknowledgement_token(notification)
    client = factories.signed_in_client(world.people["bronze"])

    response = client.get(f"/notifications/ack/{token}/")

    assert response.status_code == 400
    assert "It has expired" in response.content.decode()


def test_a_broadcast_link_says_the_person_will_not_be_asked_again_not_that_nobody_else_will_be(
    world: World,
) -> None:
    from incident_console.broadcasts.services import send_broadcast

    send_broadcast(
        incident=world.incident_a,
        actor=world.people["gold"],
        audience="responders",
        message="Silver call moved to 14:00 on the bridge line.",
    )
    services.sweep()
    notification = Notification.objects.get(alert__kind="broadcast", recipient=world.people["bronze"])
    client = factories.signed_in_client(world.people["bronze"])

    page = client.get(link_path(notification)).content.decode()
    assert "so you are not asked again" in page
    assert "command chain" not in page

    done = client.post(link_path(notification), follow=True).content.decode()
    assert "You will not be asked about it again." in done
    assert "Nobody else will be asked" not in done


def test_an_escalating_reminder_link_says_it_will_not_be_passed_up_the_command_chain(world: World) -> None:
    notification = reminded(world)
    client = factories.signed_in_client(world.people["bronze"])

    assert "not passed up the command chain" in client.get(link_path(notification)).content.decode()
    done = client.post(link_path(notification), follow=True).content.decode()
    assert "Nobody else will be asked about it." in done
