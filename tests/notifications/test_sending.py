"""Sending through GOV.UK Notify (a local fake of its HTTP API): once, retried, never lost."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import time_machine
from pytest_django import Settings

from incident_console.guidance.models import ChecklistItem, ItemStatus
from incident_console.notifications import services
from incident_console.notifications.models import Delivery, DeliveryState
from tests.conftest import World
from tests.support.fake_notify import API_KEY, FakeNotify, fake_notify

pytestmark = pytest.mark.django_db

START = datetime.fromisoformat("2026-11-23T09:00:00+00:00")
SMS_TEMPLATE = "9d2f4a1e-3b5c-4e6f-8a7b-1c2d3e4f5a6b"
EMAIL_TEMPLATE = "4b7e2c91-0d3a-4f58-9e6b-7a1c2d3e4f50"


@pytest.fixture
def notify(settings: Settings) -> Iterator[FakeNotify]:
    with fake_notify() as fake:
        settings.NOTIFICATIONS_SMS_BACKEND = "notify"
        settings.NOTIFY_BASE_URL = fake.url
        settings.NOTIFY_API_KEY = ""
        settings.NOTIFY_API_KEYS = {"northgate": API_KEY}
        settings.NOTIFY_SMS_TEMPLATE_ID = SMS_TEMPLATE
        settings.DELIVERY_LEASE_SECONDS = 120
        yield fake


def an_sms(w: World) -> Delivery:
    owner = w.people["bronze"]
    owner.mobile_phone = "07700900123"
    owner.save()
    item = ChecklistItem.objects.filter(checklist__incident=w.incident_a).order_by("pk").first()
    assert item is not None
    item.owner, item.due_at, item.status = owner, START - timedelta(minutes=5), ItemStatus.IN_PROGRESS
    item.save()
    with time_machine.travel(START, tick=False):
        services.sweep()
    return Delivery.objects.get(channel="sms", notification__alert__kind="checklist_item_overdue")


def send(delivery: Delivery, at: datetime) -> str:
    with time_machine.travel(at, tick=False):
        return services.send_delivery(delivery_id=delivery.pk)


def test_an_sms_goes_through_notify_once_with_its_reference_and_no_case_details(
    world: World, notify: FakeNotify
) -> None:
    delivery = an_sms(world)

    assert send(delivery, START) == "sent"
    assert send(delivery, START + timedelta(seconds=1)) == "not due or taken by another worker"

    assert notify.references() == [delivery.reference]
    sent = notify.received[0]
    assert sent["phone_number"] == "07700900123"
    assert sent["template_id"] == SMS_TEMPLATE
    text = sent["personalisation"]["message"]
    assert text.startswith("EXERCISE: An action for incident ")
    assert "/notifications/ack/" in text
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT
    assert delivery.provider_id == sent["id"]
    assert delivery.attempts == 1


def test_a_send_whose_outcome_was_lost_is_looked_up_by_reference_and_not_sent_again(
    world: World, notify: FakeNotify
) -> None:
    delivery = an_sms(world)
    send(delivery, START)
    # As if the worker died after Notify accepted it but before the result was saved.
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.SENDING, provider_id="")

    assert send(delivery, START + timedelta(minutes=1)) == "not due or taken by another worker"
    assert send(delivery, START + timedelta(minutes=3)) == "sent"

    assert notify.references() == [delivery.reference]
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT
    assert delivery.provider_id == notify.received[0]["id"]


def test_a_send_interrupted_before_notify_had_it_is_sent_after_the_lease(
    world: World, notify: FakeNotify
) -> None:
    delivery = an_sms(world)
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SENDING, attempts=1, last_attempt_at=START
    )

    assert send(delivery, START + timedelta(minutes=3)) == "sent"

    assert notify.references() == [delivery.reference]


def test_a_refused_number_fails_for_good_and_says_why(world: World, notify: FakeNotify) -> None:
    delivery = an_sms(world)
    notify.fail_with = 400

    assert send(delivery, START).startswith("failed")

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert "GOV.UK Notify refused it" in delivery.last_error


def test_a_notify_outage_is_retried_with_growing_waits_then_marked_failed(
    world: World, notify: FakeNotify
) -> None:
    delivery = an_sms(world)
    notify.fail_with = 500
    at = START
    waits = []
    for _attempt in range(services.MAX_ATTEMPTS - 1):
        send(delivery, at)
        delivery.refresh_from_db()
        assert delivery.state == DeliveryState.PENDING
        waits.append(delivery.due_at - at)
        at = delivery.due_at

    send(delivery, at)
    delivery.refresh_from_db()

    assert waits == sorted(waits) and waits[0] < waits[-1]
    assert delivery.state == DeliveryState.FAILED
    assert delivery.attempts == services.MAX_ATTEMPTS
    assert notify.received == []


def test_each_council_uses_its_own_notify_key(world: World, notify: FakeNotify, settings: Settings) -> None:
    settings.NOTIFY_API_KEYS = {"southmoor": API_KEY}  # none for northgate, and no default
    delivery = an_sms(world)

    assert send(delivery, START).startswith("failed")

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING
    assert "No GOV.UK Notify API key is set for council “northgate”" in delivery.last_error
    assert notify.received == []


def test_an_email_goes_through_notify_once_with_its_template_and_no_case_details(
    world: World, notify: FakeNotify, settings: Settings
) -> None:
    settings.NOTIFICATIONS_EMAIL_BACKEND = "notify"
    settings.NOTIFY_EMAIL_TEMPLATE_ID = EMAIL_TEMPLATE
    owner = world.people["bronze"]
    owner.email = "bronze@northgate.example"
    owner.save()
    an_sms(world)
    delivery = Delivery.objects.get(channel="email", notification__alert__kind="checklist_item_overdue")
    item_title = ChecklistItem.objects.filter(checklist__incident=world.incident_a).order_by("pk")[0].title

    assert send(delivery, START) == "sent"
    assert send(delivery, START + timedelta(seconds=1)) == "not due or taken by another worker"

    (sent,) = notify.received
    assert sent["type"] == "email"
    assert sent["email_address"] == "bronze@northgate.example"
    assert sent["template_id"] == EMAIL_TEMPLATE
    assert sent["reference"] == delivery.reference
    assert sent["personalisation"]["subject"].startswith("EXERCISE: ")
    message = sent["personalisation"]["message"]
    assert "/notifications/ack/" in message
    assert item_title not in message and item_title not in sent["personalisation"]["subject"]
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT
    assert delivery.provider_id == sent["id"]
