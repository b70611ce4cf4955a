"""/healthz against a real Celery worker process on Redis, sharing the PostgreSQL test database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from pytest_django import Settings

from incident_console.health import checks
from tests.support.worker import (
    ServiceUrls,
    WorkerProcess,
    celery_broker,
    claim_redis_db,
    running_worker,
    worker_database_url,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_report(settings: Settings) -> Iterator[None]:
    settings.HEALTHZ_CACHE_SECONDS = 0
    checks.clear_cache()
    yield
    checks.clear_cache()


def test_healthz_is_ok_with_200_when_a_real_worker_answers(
    client: Client, celery_worker_process: WorkerProcess
) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True
    assert body["worker"]["ok"] is True
    # The run's broker database is its own, so exactly this run's worker answers.
    assert body["worker"] == {
        "ok": True,
        "detail": "1 worker answered",
        "workers": [celery_worker_process.name],
    }


def test_healthz_reports_no_worker_with_503_once_the_worker_stops(
    client: Client,
    service_urls: ServiceUrls,
    django_db_setup: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # A broker database of its own, so the session's shared worker cannot answer here.
    claimed = claim_redis_db(service_urls.redis_url)
    try:
        with (
            celery_broker(claimed.url),
            running_worker(
                broker_url=claimed.url,
                database_url=worker_database_url(),
                log_dir=tmp_path_factory.mktemp("stopping-worker"),
            ) as worker,
        ):
            before = client.get("/healthz")
            assert before.status_code == 200, before.content
            assert before.json()["worker"]["workers"] == [worker.name]

            assert worker.stop() == 0, worker.log_tail()
            after = client.get("/healthz")
    finally:
        claimed.release()

    assert after.status_code == 503
    body = after.json()
    assert body["status"] == "degraded"
    assert body["broker"]["ok"] is True
    assert body["worker"] == {"ok": False, "detail": "no worker answered", "workers": []}
