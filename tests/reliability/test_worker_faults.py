"""Real workers, a real Redis and real beat processes under fault: a worker killed at random points,
Redis stopped during sweeps and web requests, two workers with two beats. Sized by the environment
(tests/reliability/sizes.py); each test prints its figures at the end of the run."""

from __future__ import annotations

import random
import signal
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from pytest_django import Settings

from incident_console.lib.time import now
from incident_console.notifications import services as notification_services
from incident_console.notifications import tasks as notification_tasks
from incident_console.notifications.models import Delivery, DeliveryState
from incident_console.reports import grab_pack
from incident_console.reports import tasks as report_tasks
from incident_console.reports.models import JobState, PdfJob
from tests import factories
from tests.conftest import World
from tests.notifications.helpers import notify_env, overdue_actions, wait_until
from tests.reliability.figures import table
from tests.reliability.pdfs import grab_packs, problems_with, sitrep_pdfs, split_pdfs, times_made, unfinished
from tests.reliability.sizes import Sizes
from tests.reports.sitrep_helpers import an_approved
from tests.support.beat import running_beats
from tests.support.fake_notify import FakeNotify, fake_notify
from tests.support.own_redis import OwnRedis, own_redis
from tests.support.worker import WorkerProcess, celery_broker, start_worker, worker_database_url

pytestmark = [pytest.mark.reliability, pytest.mark.services, pytest.mark.django_db(transaction=True)]

# A delivery or render left unfinished by a dead worker is taken over after these leases, short
# here so a run does not wait the production defaults (120 s and 300 s) after every kill.
DELIVERY_LEASE_SECONDS = 2
PDF_LEASE_SECONDS = 15
# A fresh worker is killed this long (uniformly at random) after it first answers ping.
KILL_AFTER_SECONDS = (0.5, 6.0)
WORKER_STARTUP_SECONDS = 120
SETTLE_SECONDS = 1.5


def short_leases(settings: Settings) -> dict[str, str]:
    """The same short leases for this process (which sweeps, as beat would) and the workers."""
    settings.DELIVERY_LEASE_SECONDS = DELIVERY_LEASE_SECONDS
    settings.PDF_LEASE_SECONDS = PDF_LEASE_SECONDS
    settings.REMINDER_LEAD_MINUTES = 0
    return {
        "DELIVERY_LEASE_SECONDS": str(DELIVERY_LEASE_SECONDS),
        "PDF_LEASE_SECONDS": str(PDF_LEASE_SECONDS),
    }


def sweep_everything() -> None:
    """What beat queues: the reminder sweep and the PDF sweep, run here; neither may raise."""
    notification_tasks.sweep.apply().get()
    report_tasks.sweep.apply().get()


def queue_length(server: OwnRedis) -> int:
    """Messages waiting in the broker's default queue (-1 while Redis does not answer)."""
    try:
        return int(redis.Redis.from_url(server.url, socket_timeout=2).llen("celery"))
    except redis.RedisError:
        return -1


def sent_count() -> int:
    return Delivery.objects.filter(state=DeliveryState.SENT).count()


@contextmanager
def one_worker(server: OwnRedis, log_dir: Path, env: dict[str, str]) -> Iterator[WorkerProcess]:
    worker = start_worker(
        broker_url=server.url,
        database_url=worker_database_url(),
        log_dir=log_dir,
        extra_env=env,
        startup_timeout=WORKER_STARTUP_SECONDS,
    )
    try:
        yield worker
    finally:
        worker.stop()


def finish_with_sweeps(server: OwnRedis, jobs: list[PdfJob], reminders: int, seconds: float) -> None:
    """Sweep as beat would, each time the broker's queue has drained, until every reminder is
    sent and every PDF is done; then sweep once more, which must find nothing to do."""
    deadline = time.monotonic() + seconds
    while sent_count() < reminders or unfinished(jobs):
        if time.monotonic() > deadline:
            pytest.fail(
                f"after {seconds:.0f} s: {sent_count()} of {reminders} reminders sent, "
                f"{unfinished(jobs)} of {len(jobs)} PDFs unfinished",
                pytrace=False,
            )
        if queue_length(server) == 0:
            sweep_everything()
        time.sleep(1.0)
    sweep_everything()
    time.sleep(SETTLE_SECONDS)


def duplicates_and_lost(notify: FakeNotify, reminders: int) -> tuple[int, int]:
    """Sends beyond the first per (reference, recipient), and reminders Notify never received."""
    with notify.lock:
        per_recipient = Counter((str(n["reference"]), str(n.get("phone_number"))) for n in notify.received)
    duplicates = sum(n - 1 for n in per_recipient.values())
    expected = set(Delivery.objects.values_list("reference", flat=True))
    lost = len(expected - {reference for reference, _phone in per_recipient})
    return duplicates, lost + max(0, reminders - len(expected))


def assert_every_reminder_sent_once(notify: FakeNotify, reminders: int) -> None:
    references = notify.references()
    assert Delivery.objects.count() == reminders
    assert Counter(references).most_common(1)[0][1] == 1, "a reminder went to Notify twice"
    assert set(references) == set(Delivery.objects.values_list("reference", flat=True))
    assert Delivery.objects.exclude(state=DeliveryState.SENT).count() == 0
    assert notification_services.due_deliveries(now()) == []


def assert_every_pdf_made_once(jobs: list[PdfJob]) -> None:
    assert [problem for job in jobs for problem in problems_with(job)] == []
    assert {job.pk: times_made(job) for job in jobs} == {job.pk: 1 for job in jobs}


def test_every_reminder_and_pdf_is_done_exactly_once_though_workers_are_killed_at_random_points(
    world: World, sizes: Sizes, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    rng = random.Random(sizes.seed)
    print(f"Kill points drawn with RELIABILITY_SEED={sizes.seed}; set it to replay this run.")
    overdue_actions(world, sizes.reminders, first_position=1000)
    packs, sitreps = split_pdfs(sizes.pdfs)
    log_dir = tmp_path_factory.mktemp("killed-workers")
    kills = table(
        f"Worker SIGKILLed at random points (seed {sizes.seed})",
        [
            "round",
            "killed after (s)",
            "reminders sent",
            "PDFs done",
            "deliveries left mid-send",
            "PDFs left mid-render",
        ],
    )
    started = time.monotonic()
    # A Redis server of the test's own, so no other worker of the run can take these tasks.
    with (
        own_redis(tmp_path_factory.mktemp("kill-redis")) as server,
        fake_notify() as notify,
        celery_broker(server.url),
    ):
        env = notify_env(notify, **short_leases(settings))
        # In the broker's queue: grab packs and some sitrep PDFs, every reminder's send, more PDFs.
        jobs = grab_packs(world, packs) + sitrep_pdfs(world, sitreps // 2)
        sweep_everything()
        jobs += sitrep_pdfs(world, sitreps - sitreps // 2, first_number=100)
        outstanding: list[int] = []  # reminders and PDFs not yet done at each kill
        for round_number in range(1, sizes.rounds + 1):
            with one_worker(server, log_dir, env) as worker:
                after = rng.uniform(*KILL_AFTER_SECONDS)
                time.sleep(after)
                worker.process.send_signal(signal.SIGKILL)
                worker.process.wait(timeout=10)
            sent, done = len(notify.received), len(jobs) - unfinished(jobs)
            outstanding.append(sizes.reminders - sent + len(jobs) - done)
            kills.add(
                round_number,
                f"{after:.2f}",
                f"{sent} of {sizes.reminders}",
                f"{done} of {len(jobs)}",
                Delivery.objects.filter(state=DeliveryState.SENDING).count(),
                PdfJob.objects.filter(pk__in=[j.pk for j in jobs], state=JobState.RENDERING).count(),
            )
        with one_worker(server, log_dir, env):
            finish_with_sweeps(server, jobs, sizes.reminders, seconds=600)

    seconds = time.monotonic() - started
    duplicates, lost = duplicates_and_lost(notify, sizes.reminders)
    rerenders = sum(PdfJob.objects.get(pk=job.pk).attempts for job in jobs) - len(jobs)
    summary = table(
        "Worker kills: outcome",
        [
            "rounds",
            "kills",
            "reminders",
            "PDFs",
            "sent to Notify",
            "duplicates",
            "lost",
            "PDF re-renders",
            "time",
        ],
    )
    summary.add(
        sizes.rounds,
        sizes.rounds,
        sizes.reminders,
        len(jobs),
        len(notify.received),
        duplicates,
        lost,
        rerenders,
        f"{seconds:.0f} s",
    )

    assert outstanding[0] > 0, "the first worker finished everything before it was killed"
    assert (duplicates, lost) == (0, 0)
    assert_every_reminder_sent_once(notify, sizes.reminders)
    assert len(jobs) == sizes.pdfs
    assert_every_pdf_made_once(jobs)


def test_a_redis_outage_loses_nothing_sends_nothing_twice_and_fails_no_web_request(
    world: World, sizes: Sizes, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    reminders = max(1, sizes.reminders // 5)
    overdue_actions(world, reminders, first_position=2000)
    incident = world.incident_a
    gold = factories.signed_in_client(world.people["gold"])
    bronze = factories.signed_in_client(world.people["bronze"])
    draft = an_approved(world, headline="Issued while Redis is down.")
    pages = {
        "dashboard": "/",
        "incident": f"/incidents/{incident.pk}/",
        "sitreps": f"/incidents/{incident.pk}/sitreps/",
    }
    statuses: Counter[tuple[str, int]] = Counter()
    sweeps = 0
    with (
        own_redis(tmp_path_factory.mktemp("outage-redis")) as server,
        fake_notify() as notify,
        celery_broker(server.url),
    ):
        # As in production, the cache lives in the same Redis as the broker.
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": server.url}
        }
        env = notify_env(notify, **short_leases(settings))
        with one_worker(server, tmp_path_factory.mktemp("outage-worker"), env) as worker:
            notification_tasks.sweep.apply().get()
            wait_until(lambda: len(notify.received) >= min(5, reminders), 60, "the first reminders")
            earlier_jobs = set(PdfJob.objects.values_list("pk", flat=True))
            server.stop()
            outage_started = time.monotonic()
            sent_before = len(notify.received)

            # Work asked for while the broker is away: a sitrep issued (two PDFs) and a grab pack.
            issue = bronze.post(
                f"/incidents/{incident.pk}/sitreps/{draft.pk}/issue/", {"version": draft.version}
            )
            statuses["issue a sitrep (POST)", issue.status_code] += 1
            pack = gold.post(f"/incidents/{incident.pk}/grab-pack/", {})
            statuses["ask for a grab pack (POST)", pack.status_code] += 1
            next_sweep = 0.0
            while (elapsed := time.monotonic() - outage_started) < sizes.outage_seconds:
                for name, url in pages.items():
                    statuses[name, gold.get(url).status_code] += 1
                statuses["grab pack page", gold.get(f"/incidents/{incident.pk}/grab-pack/").status_code] += 1
                if elapsed >= next_sweep:
                    sweep_everything()  # as beat's worker would run them: they must not raise
                    sweeps += 1
                    next_sweep += 5.0
                time.sleep(0.5)
            sent_during = len(notify.received) - sent_before
            server.start()
            outage = time.monotonic() - outage_started
            restarted = time.monotonic()
            wait_until(worker.ping, 90, "the worker to reconnect")
            jobs = list(PdfJob.objects.exclude(pk__in=earlier_jobs))
            finish_with_sweeps(server, jobs, reminders, seconds=300)
            recovery = time.monotonic() - restarted

    duplicates, lost = duplicates_and_lost(notify, reminders)
    figures = table(
        "Redis outage",
        [
            "outage",
            "reminders",
            "sent before",
            "sent during",
            "duplicates",
            "lost",
            "sweeps during",
            "PDFs asked for during",
            "all done after restart",
        ],
    )
    figures.add(
        f"{outage:.0f} s",
        reminders,
        sent_before,
        sent_during,
        duplicates,
        lost,
        sweeps,
        len(jobs),
        f"{recovery:.0f} s",
    )
    requests = table("Web requests during the Redis outage", ["request", "status", "count"])
    for (name, status), count in sorted(statuses.items()):
        requests.add(name, status, count)

    assert [key for key in statuses if key[1] >= 500] == []
    assert issue.status_code == 302 and pack.status_code == 302
    assert {status for _name, status in statuses} <= {200, 302}
    assert (duplicates, lost) == (0, 0)
    assert_every_reminder_sent_once(notify, reminders)
    assert sorted(job.kind for job in jobs) == sorted(["sitrep", "sitrep", grab_pack.KIND])
    assert_every_pdf_made_once(jobs)


def test_two_workers_and_two_beats_at_once_send_nothing_twice(
    world: World, sizes: Sizes, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    reminders = max(1, sizes.reminders // 2)
    overdue_actions(world, reminders, first_position=3000)
    log_dir = tmp_path_factory.mktemp("two-beats")
    workers: list[WorkerProcess] = []
    with (
        own_redis(tmp_path_factory.mktemp("two-beats-redis")) as server,
        fake_notify() as notify,
        celery_broker(server.url),
    ):
        env = notify_env(
            notify,
            **short_leases(settings),
            REMINDER_SWEEP_SECONDS="2",
            PDF_SWEEP_SECONDS="2",
            ARCHIVE_SWEEP_SECONDS="10",
        )
        try:
            for _n in range(2):
                workers.append(
                    start_worker(
                        broker_url=server.url,
                        database_url=worker_database_url(),
                        log_dir=log_dir,
                        extra_env=env,
                        startup_timeout=WORKER_STARTUP_SECONDS,
                    )
                )
            started = time.monotonic()
            with running_beats(
                2, broker_url=server.url, database_url=worker_database_url(), directory=log_dir, extra_env=env
            ) as beats:
                jobs = grab_packs(world, 1) + sitrep_pdfs(world, max(1, sizes.pdfs // 4))
                wait_until(lambda: sent_count() >= reminders and not unfinished(jobs), 600, "all work done")
                seconds = time.monotonic() - started
                # Both beats go on queueing sweeps; they must find nothing more to send.
                swept = [beat.sent("notifications-sweep") for beat in beats]
                wait_until(
                    lambda: all(
                        b.sent("notifications-sweep") >= n + 2 for b, n in zip(beats, swept, strict=True)
                    ),
                    60,
                    "two more sweeps from each beat",
                )
                time.sleep(SETTLE_SECONDS * 2)
                sweeps = [beat.sent("notifications-sweep") for beat in beats]
        finally:
            for worker in workers:
                worker.stop()
        logs = [worker.log_path.read_text(errors="replace") for worker in workers]

    duplicates, lost = duplicates_and_lost(notify, reminders)
    figures = table(
        "Two workers and two beats",
        [
            "reminders",
            "PDFs",
            "sweeps queued per beat",
            "send tasks run per worker",
            "duplicates",
            "lost",
            "time",
        ],
    )
    figures.add(
        reminders,
        len(jobs),
        " / ".join(str(n) for n in sweeps),
        " / ".join(str(log.count("notifications.send_delivery") // 2) for log in logs),
        duplicates,
        lost,
        f"{seconds:.0f} s",
    )

    assert all(n >= 3 for n in sweeps), "a beat did not keep queueing sweeps"
    assert all("notifications.send_delivery" in log for log in logs), "one worker did all the work"
    assert (duplicates, lost) == (0, 0)
    assert_every_reminder_sent_once(notify, reminders)
    assert_every_pdf_made_once(jobs)
