"""Chases carry the whole message, within what the alert and the text message channel allow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pytest_django import Settings

from incident_console.broadcasts.models import MESSAGE_MAX_LENGTH, Broadcast
from incident_console.broadcasts.reminders import subject_for, subject_limit
from incident_console.notifications import services as notifications
from incident_console.notifications.models import Alert, Delivery
from tests import factories
from tests.broadcasts.test_broadcasts import sweep_at, with_routes
from tests.conftest import World

pytestmark = pytest.mark.django_db

# GOV.UK Notify refuses a text message longer than 918 characters (six fragments).
NOTIFY_SMS_LIMIT = 918

LONGEST = ("Silver meeting moved to 14:00 at the depot; bring the paper logs and the EDT rota. " * 2)[
    : MESSAGE_MAX_LENGTH - 4
] + " END"


@pytest.fixture(autouse=True)
def _waits(settings: Settings) -> None:
    settings.ESCALATE_AFTER_MINUTES = 30
    settings.BROADCAST_CHASES = 2


def test_the_longest_message_is_whole_in_the_chase_and_in_its_text_message(world: World) -> None:
    assert len(LONGEST) == MESSAGE_MAX_LENGTH
    gold = world.people["gold"]
    gold.full_name = "Dr Alexandra Catherine Montgomery-Fitzwilliam, Corporate Director of People"
    gold.save()
    with_routes(world, "bronze", "07700900103")
    response = factories.signed_in_client(gold).post(
        f"/incidents/{world.incident_a.pk}/broadcasts/new/",
        {"audience": "responders", "message": LONGEST, "no_personal_data": "on"},
    )
    assert response.status_code == 302
    start = Broadcast.objects.get().sent_at
    sweep_at(start)
    sweep_at(start + timedelta(minutes=31))

    chase = Alert.objects.get(kind="broadcast", occurrence="1")
    assert chase.subject.startswith("EXERCISE: Please acknowledge.")
    assert chase.subject.endswith(LONGEST)
    sms = Delivery.objects.filter(channel="sms", notification__alert=chase).get()
    text = notifications.message_for(sms).body
    assert LONGEST in text
    assert len(text) <= NOTIFY_SMS_LIMIT


@pytest.mark.parametrize("chase", [False, True], ids=["first", "chase"])
@pytest.mark.parametrize(
    ("name", "reference"),
    [("Helen Ashworth", "CYB-2026-001"), ("N" * 200, "CYB-2026-001"), ("N" * 200, "R" * 30)],
    ids=["usual", "long-name", "long-name-and-reference"],
)
def test_a_subject_keeps_the_whole_message_and_fits_the_alert_with_the_exercise_marker(
    chase: bool, name: str, reference: str
) -> None:
    message = "x" * (MESSAGE_MAX_LENGTH - 1) + "!"
    subject = subject_for(chase=chase, name=name, reference=reference, message=message)
    assert subject.endswith(message)
    assert len(subject) <= subject_limit() == 190
    assert subject.startswith("Please acknowledge") == chase
