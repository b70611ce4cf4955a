"""/healthz without real services: a dead broker, an idle broker, redaction, liveness."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from pytest_django import Settings

from incident_console.health import checks
from tests.support.worker import celery_broker

DEAD_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def _fresh_report(settings: Settings) -> Iterator[None]:
    settings.HEALTHZ_CACHE_SECONDS = 0
    checks.clear_cache()
    yield
    checks.clear_cache()


@pytest.fixture
def idle_filesystem_broker(tmp_path: Path) -> Iterator[None]:
    """A broker that works but has no worker listening: kombu's filesystem transport."""
    folders = {name: tmp_path / name for name in ("queue", "control", "processed")}
    for folder in folders.values():
        folder.mkdir()
    options = {
        "data_folder_in": str(folders["queue"]),
        "data_folder_out": str(folders["queue"]),
        "control_folder": str(folders["control"]),
        "processed_folder": str(folders["processed"]),
        "store_processed": False,
    }
    with celery_broker("filesystem://", transport_options=options):
        yield


@pytest.mark.django_db
def test_healthz_reports_broker_down_with_503(client: Client) -> None:
    with celery_broker(DEAD_BROKER):
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False
    assert body["broker"]["detail"]
    assert body["worker"]["ok"] is False
    assert body["worker"]["workers"] == []
    assert elapsed < 3.0


@pytest.mark.django_db
def test_healthz_reports_no_worker_with_503_when_the_broker_is_up_but_idle(
    client: Client, idle_filesystem_broker: None
) -> None:
    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == {"ok": True, "detail": body["database"]["detail"]}
    assert body["broker"]["ok"] is True
    assert body["worker"] == {"ok": False, "detail": "no worker answered", "workers": []}
    assert elapsed < 3.0


@pytest.mark.django_db
def test_healthz_never_shows_the_broker_password(client: Client) -> None:
    with celery_broker("redis://console:broker-secret-7f3a@127.0.0.1:1/0"):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert "broker-secret-7f3a" not in response.content.decode()


@pytest.mark.django_db
def test_healthz_is_down_with_503_when_the_database_fails(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_database(alias: str = "default") -> checks.CheckResult:
        return {"ok": False, "detail": "OperationalError: could not connect"}

    monkeypatch.setattr(checks, "check_database", broken_database)
    with celery_broker(DEAD_BROKER):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "down"


def test_healthz_database_check_reports_an_error_instead_of_raising(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No django_db mark: pytest-django refuses the query, as a dead database would.
    result = checks.check_database()

    assert result["ok"] is False
    assert result["detail"]


def test_healthz_is_ok_only_when_database_broker_and_worker_are_ok() -> None:
    ok: checks.CheckResult = {"ok": True, "detail": ""}
    bad: checks.CheckResult = {"ok": False, "detail": ""}

    assert checks.overall_status(ok, ok, ok) == "ok"
    assert checks.overall_status(ok, bad, bad) == "degraded"
    assert checks.overall_status(ok, ok, bad) == "degraded"
    assert checks.overall_status(bad, ok, ok) == "down"


def test_healthz_redacts_credentials_in_urls_and_password_pairs() -> None:
    text = "Error connecting to redis://:hunter2@cache:6379/0 and amqp://app:s3cr3t@mq// password=swordfish"

    redacted = checks.redact(text)

    for secret in ("hunter2", "s3cr3t", "swordfish"):
        assert secret not in redacted
    assert "redis://:***@cache:6379/0" in redacted
    assert "amqp://app:***@mq//" in redacted


def test_healthz_live_answers_without_checking_dependencies(client: Client) -> None:
    with celery_broker(DEAD_BROKER):
        response = client.get("/healthz/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_needs_no_login_and_refuses_post(client: Client) -> None:
    with celery_broker(DEAD_BROKER):
        assert client.head("/healthz").status_code == 503
        assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_healthz_reuses_a_recent_report_within_the_cache_window(
    client: Client, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.HEALTHZ_CACHE_SECONDS = 30
    calls: list[int] = []
    real_run_checks = checks.run_checks

    def counting_run_checks() -> checks.HealthReport:
        calls.append(1)
        return real_run_checks()

    monkeypatch.setattr(checks, "run_checks", counting_run_checks)
    with celery_broker(DEAD_BROKER):
        client.get("/healthz")
        client.get("/healthz")

    assert len(calls) == 1
