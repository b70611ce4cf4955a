"""Reminders through a real Celery worker on Redis, with the worker killed part-way."""

from __future__ import annotations

import signal
import time
from datetime import timedelta

import pytest
from django.db.models import Count

from incident_console.guidance.models import ChecklistItem, ItemStatus
from incident_console.lib.time import now
from incident_console.notifications import services, tasks
from incident_console.notifications.models import Delivery, DeliveryState, Notification
from tests import factories
from tests.conftest import World
from tests.support.fake_notify import API_KEY, FakeNotify, fake_notify
from tests.support.own_redis import own_redis
from tests.support.worker import (
    ServiceUrls,
    celery_broker,
    start_worker,
    worker_database_url,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

REMINDERS = 200


def overdue_actions(w: World, count: int, first_position: int) -> None:
    """``count`` overdue actions owned by bronze, who has a mobile number."""
    owner = w.people["bronze"]
    owner.mobile_phone = "07700900123"
    owner.save()
    checklist = w.incident_a.checklists.first()
    assert checklist is not None
    due = now() - timedelta(minutes=5)
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            checklist=checklist,
            position=first_position + n,
            title=f"Action {n}",
            owner=owner,
            due_at=due,
            status=ItemStatus.IN_PROGRESS,
        )
        for n in range(count)
    )


def notify_env(notify: FakeNotify, **extra: str) -> dict[str, str]:
    """Settings for a worker that sends SMS through the fake Notify."""
    return {
        "NOTIFICATIONS_SMS_BACKEND": "notify",
        "NOTIFY_BASE_URL": notify.url,
        "NOTIFY_API_KEY": API_KEY,
        "NOTIFY_SMS_TEMPLATE_ID": "9d2f4a1e-3b5c-4e6f-8a7b-1c2d3e4f5a6b",
        "REMINDER_LEAD_MINUTES": "0",
        **extra,
    }


def wait_until(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    pytest.fail(f"timed out after {seconds:.0f} s waiting for {what}", pytrace=False)


def test_every_reminder_reaches_notify_exactly_once_though_the_worker_is_killed_mid_run(
    world: World, service_urls: ServiceUrls, tmp_path_factory: pytest.TempPathFactory
) -> None:
    overdue_actions(world, REMINDERS, first_position=1000)
    log_dir = tmp_path_factory.mktemp("killed-worker")
    # A Redis server of the test's own, so no other worker of the run can take these tasks.
    with (
        own_redis(tmp_path_factory.mktemp("kill-redis")) as server,
        fake_notify() as notify,
        celery_broker(server.url),
    ):
        env = notify_env(notify, DELIVERY_LEASE_SECONDS="2")
        first = start_worker(
            broker_url=server.url,
            database_url=worker_database_url(),
            log_dir=log_dir,
            extra_env=env,
            startup_timeout=120,
        )
        try:
            tasks.sweep.delay()
            wait_until(lambda: len(notify.received) >= REMINDERS // 4, 60, "a quarter of the reminders")
            first.process.send_signal(signal.SIGKILL)
            first.process.wait(timeout=10)
            sent_before_restart = len(notify.received)

            # The solo pool answers ping between tasks, and the queue still holds the first
            # worker's unfinished sends: give it longer to answer than an idle worker needs.
            second = start_worker(
                broker_url=server.url,
                database_url=worker_database_url(),
                log_dir=log_dir,
                extra_env=env,
                startup_timeout=120,
            )
            try:
                time.sleep(2.5)  # past the lease of anything left mid-send
                tasks.sweep.delay()
                wait_until(
                    lambda: Delivery.objects.filter(state=DeliveryState.SENT).count() >= REMINDERS,
                    120,
                    "every delivery to be sent",
                )
                # Sweeping again afterwards sends nothing more.
                tasks.sweep.delay()
                time.sleep(1.0)
            finally:
                second.stop()
        finally:
            first.stop()

    references = notify.references()
    assert sent_before_restart < REMINDERS, "the worker finished before it could be killed"
    assert len(references) == REMINDERS
    assert len(set(references)) == REMINDERS, "a reminder went to Notify twice"
    assert set(references) == set(Delivery.objects.values_list("reference", flat=True))
    assert not Delivery.objects.values("reference").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert services.due_deliveries(now()) == []


def test_a_redis_outage_during_sweeps_loses_nothing_sends_nothing_twice_and_fails_no_page(
    world: World, tmp_path_factory: pytest.TempPathFactory
) -> None:
    count = 60
    overdue_actions(world, count, first_position=2000)
    gold = factories.signed_in_client(world.people["gold"])
    with (
        own_redis(tmp_path_factory.mktemp("own-redis")) as server,
        fake_notify() as notify,
        celery_broker(server.url),
    ):
        env = notify_env(notify, DELIVERY_LEASE_SECONDS="2")
        worker = start_worker(
            broker_url=server.url,
            database_url=worker_database_url(),
            log_dir=tmp_path_factory.mktemp("outage-worker"),
            extra_env=env,
            startup_timeout=120,
        )
        try:
            tasks.sweep.delay()
            wait_until(lambda: len(notify.received) >= 5, 60, "the first reminders")
            server.stop()
            # While Redis is away: pages work, and a sweep that cannot queue leaves the rows waiting.
            statuses = [gold.get("/").status_code, gold.get(f"/incidents/{world.incident_a.pk}/").status_code]
            tasks.sweep.apply().get()  # as beat's worker would run it: it must not raise
            time.sleep(3)
            server.start()
            wait_until(worker.ping, 60, "the worker to reconnect")
            time.sleep(2.5)  # past the lease of anything left mid-send
            tasks.sweep.delay()
            wait_until(
                lambda: Delivery.objects.filter(state=DeliveryState.SENT).count() >= count,
                120,
                "every delivery to be sent after Redis came back",
            )
            tasks.sweep.delay()
            time.sleep(1.0)
        finally:
            worker.stop()

    assert statuses == [200, 200]
    references = notify.references()
    assert len(references) == count
    assert len(set(references)) == count, "a reminder went to Notify twice"


def test_two_workers_and_two_sweeps_at_once_send_nothing_twice(
    world: World, tmp_path_factory: pytest.TempPathFactory
) -> None:
    count = 120
    overdue_actions(world, count, first_position=3000)
    log_dir = tmp_path_factory.mktemp("two-workers")
    with (
        own_redis(tmp_path_factory.mktemp("two-redis")) as server,
        fake_notify() as notify,
        celery_broker(server.url),
    ):
        env = notify_env(notify)
        workers = [
            start_worker(
                broker_url=server.url,
                database_url=worker_database_url(),
                log_dir=log_dir,
                extra_env=env,
                startup_timeout=120,
            )
            for _n in range(2)
        ]
        try:
            # As two beats would: several sweeps at once, each queueing every due send.
            for _n in range(4):
                tasks.sweep.delay()
            wait_until(
                lambda: Delivery.objects.filter(state=DeliveryState.SENT).count() >= count,
                120,
                "every delivery to be sent",
            )
            for _n in range(2):
                tasks.sweep.delay()
            time.sleep(1.5)
        finally:
            for worker in workers:
                worker.stop()
        logs = [worker.log_path.read_text(errors="replace") for worker in workers]

    references = notify.references()
    assert len(references) == count
    assert len(set(references)) == count, "a reminder went to Notify twice"
    assert all("notifications.send_delivery" in log for log in logs), "one worker did all the work"
    assert Notification.objects.filter(alert__kind="checklist_item_overdue").count() == count
