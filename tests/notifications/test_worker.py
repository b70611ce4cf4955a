"""A reminder sent by a real Celery worker on Redis. The worker-fault runs (a worker killed at
random points, a Redis outage, two workers with two beats) are in tests/reliability/."""

from __future__ import annotations

import pytest

from incident_console.notifications import tasks
from incident_console.notifications.models import Delivery, DeliveryState
from tests.conftest import World
from tests.notifications.helpers import MOBILE, notify_env, overdue_actions, wait_until
from tests.support.fake_notify import fake_notify
from tests.support.own_redis import own_redis
from tests.support.worker import celery_broker, running_worker, worker_database_url

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_the_worker_sends_an_overdue_action_reminder_to_notify_once(
    world: World, tmp_path_factory: pytest.TempPathFactory
) -> None:
    overdue_actions(world, 1, first_position=1000)
    # A Redis server of the test's own, so no other worker of the run can take the send.
    with (
        own_redis(tmp_path_factory.mktemp("smoke-redis")) as server,
        fake_notify() as notify,
        celery_broker(server.url),
        running_worker(
            broker_url=server.url,
            database_url=worker_database_url(),
            log_dir=tmp_path_factory.mktemp("smoke-worker"),
            extra_env=notify_env(notify),
        ) as worker,
    ):
        tasks.sweep.delay()
        wait_until(
            lambda: Delivery.objects.filter(state=DeliveryState.SENT).exists(), 60, "the reminder to be sent"
        )
        tasks.sweep.delay()  # a second sweep finds nothing more to send
        wait_until(
            lambda: worker.log_path.read_text().count("notifications.sweep") >= 4, 30, "the second sweep"
        )

    delivery = Delivery.objects.get()
    assert notify.references() == [delivery.reference]
    assert notify.received[0]["phone_number"] == MOBILE
    assert (
        f"An action for incident {world.incident_a.reference} is overdue"
        in (notify.received[0]["personalisation"]["message"])
    )
