"""An undecided bank-detail change is chased: whoever recorded it and Silver hear once it has waited,
then Gold; the message names the change by number only; a decision settles it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from pytest_django import Settings

from incident_console.notifications import services, sources
from incident_console.notifications.models import Alert, AlertState, Notification
from incident_console.payments.models import BankDetailChange
from incident_console.payments.services import confirm_bank_change, reject_bank_change
from tests.conftest import World
from tests.payments.helpers import a_called_back_change, a_change

pytestmark = pytest.mark.django_db

KIND = "bank_change_undecided"


@pytest.fixture(autouse=True)
def _waits(settings: Settings) -> None:
    settings.ESCALATE_AFTER_MINUTES = 30
    settings.BANK_CHANGE_REMINDER_HOURS = 4


def heard() -> list[tuple[int, str]]:
    return sorted(Notification.objects.filter(alert__kind=KIND).values_list("step", "recipient__username"))


def sweep_at(at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        services.sweep()


def test_the_reminder_is_registered() -> None:
    assert KIND in sources.registered()


def test_after_four_hours_the_recorder_and_silver_hear_then_gold_with_no_bank_details_in_the_message(
    world: World,
) -> None:
    change = a_change(world, requester="admin")  # bronze holds Silver, gold holds Gold
    sweep_at(change.requested_at + timedelta(hours=3, minutes=59))
    assert heard() == []

    sweep_at(change.requested_at + timedelta(hours=4, minutes=1))
    assert heard() == [(0, "a-admin"), (0, "a-bronze")]
    alert = Alert.objects.get(kind=KIND)
    assert f"Bank detail change {change.number}" in alert.subject
    assert world.incident_a.reference in alert.subject
    for secret in (change.payee_name, change.payee_reference, change.sort_code, change.account_number):
        assert secret not in alert.subject

    sweep_at(change.requested_at + timedelta(hours=4, minutes=32))
    # Silver heard at the first step; the next person up the ladder is Gold.
    assert heard() == [(0, "a-admin"), (0, "a-bronze"), (2, "a-gold")]


def test_confirming_the_change_settles_the_reminder_and_nobody_else_is_chased(world: World) -> None:
    change = a_called_back_change(world)
    sweep_at(change.requested_at + timedelta(hours=4, minutes=1))
    assert Alert.objects.get(kind=KIND).state == AlertState.OPEN

    with time_machine.travel(change.requested_at + timedelta(hours=4, minutes=10), tick=False):
        confirm_bank_change(change=change, actor=world.people["gold"], expected_version=change.version)
    sweep_at(change.requested_at + timedelta(hours=4, minutes=40))

    assert Alert.objects.get(kind=KIND).state != AlertState.OPEN
    assert heard() == [(0, "a-admin"), (0, "a-bronze")], "settled before it could climb to Gold"


def test_a_rejected_change_is_settled_and_a_recent_one_is_not_yet_chased(world: World) -> None:
    older = a_change(world)
    newer = a_change(world, payee_reference="PRV-2002")
    BankDetailChange.objects.filter(pk=newer.pk).update(requested_at=older.requested_at + timedelta(hours=3))
    source = sources.registered()[KIND]
    at = older.requested_at + timedelta(hours=4, minutes=1)

    assert [o.source_key for o in source.due(at)] == [f"bank-change:{older.pk}"]
    with time_machine.travel(at, tick=False):
        reject_bank_change(
            change=older, actor=world.people["gold"], expected_version=older.version, reason="Fraud attempt"
        )
    keys = [f"bank-change:{older.pk}", f"bank-change:{newer.pk}"]
    assert source.settled(keys, at) == {f"bank-change:{older.pk}"}


def test_finding_undecided_changes_costs_two_queries_however_many_there_are(
    world: World, django_assert_num_queries: object
) -> None:
    changes = [a_change(world, payee_reference=f"PRV-{n}") for n in range(1, 5)]
    source = sources.registered()[KIND]
    at = max(change.requested_at for change in changes) + timedelta(hours=5)
    with django_assert_num_queries(2):  # type: ignore[operator]
        assert len(list(source.due(at))) == 4
