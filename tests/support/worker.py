"""A real Celery worker process for tests marked ``services``.

Register with ``pytest_plugins = ["tests.support.worker"]`` in tests/conftest.py, then::

    @pytest.mark.services
    @pytest.mark.django_db(transaction=True)
    def test_reminder_is_sent_by_the_worker(celery_worker_process): ...

The worker and the test share PostgreSQL (the worker gets a DATABASE_URL naming pytest-django's
test database) and Redis. Tests need ``transaction=True`` so the worker sees committed rows.

Isolation from other runs on the same Redis: each run claims a Redis database number of its own
(a lock key set with NX in that database; candidates from ``CELERY_TEST_REDIS_DBS``, default
15 down to 1, never the database named in REDIS_URL), clears stale Celery queues there, and
points both the worker and this process's Celery app at it. Kombu prefixes broadcast channels
with the database number, so ``control.ping`` only reaches workers of this run.

Without REDIS_URL or a PostgreSQL DATABASE_URL the tests are skipped, or fail when ``CI=true``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings
from django.db import connections
from kombu import pools as kombu_pools

from incident_console.celery import app as celery_app

LOCK_KEY = "incident-console:test-broker-lock"
LOCK_SECONDS = 2 * 60 * 60
STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql", "postgis")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def skip_or_fail(reason: str) -> NoReturn:
    """Skip locally; with CI=true a missing service is a failure, not a skip."""
    if in_ci():
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def redact_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


# --- Pointing this process's Celery app at a broker -------------------------------------------------


def reset_celery_connections() -> None:
    """Drop pooled broker connections so the next use connects to the current broker_url."""
    pool = celery_app._pool
    if pool is not None:
        with contextlib.suppress(Exception):
            pool.force_close_all()
    celery_app._pool = None
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    # kombu keeps its own registry of connection and producer pools per broker: a pool closed
    # above would otherwise be handed out again to the next test that sends a task.
    kombu_pools.reset()


@contextlib.contextmanager
def celery_broker(url: str, transport_options: Mapping[str, Any] | None = None) -> Iterator[None]:
    """Point this process's Celery app at ``url`` (and back afterwards).

    Celery reads CELERY_BROKER_URL from the environment before its own setting, so that is
    overridden too.
    """
    conf = celery_app.conf
    saved_url = conf.broker_url
    saved_options = conf.broker_transport_options
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CELERY_BROKER_URL", url)
        mp.delenv("CELERY_BROKER_READ_URL", raising=False)
        mp.delenv("CELERY_BROKER_WRITE_URL", raising=False)
        conf.broker_url = url
        if transport_options is not None:
            conf.broker_transport_options = dict(transport_options)
        reset_celery_connections()
        try:
            yield
        finally:
            conf.broker_url = saved_url
            conf.broker_transport_options = saved_options
            reset_celery_connections()


# --- Claiming a Redis database for this run ---------------------------------------------------------


@dataclass
class ClaimedRedis:
    url: str
    db: int
    token: str
    client: redis.Redis

    def release(self) -> None:
        with contextlib.suppress(redis.RedisError):
            if self.client.get(LOCK_KEY) == self.token.encode():
                self.client.delete(LOCK_KEY)
        self.client.close()


def _candidate_dbs(base_db: int) -> list[int]:
    raw = os.environ.get("CELERY_TEST_REDIS_DBS", "")
    dbs = [int(part) for part in raw.replace(",", " ").split()] if raw.strip() else list(range(15, 0, -1))
    return [db for db in dbs if db != base_db]


def _with_db(url: str, db: int) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{db}"))


def _clear_stale_celery_state(client: redis.Redis) -> None:
    """Delete queues, bindings and unacked messages a crashed earlier run may have left."""
    stale: set[bytes] = {b"unacked", b"unacked_index", b"unacked_mutex", b"celery"}
    for binding in client.scan_iter(match="_kombu.binding.*"):
        stale.add(binding)
        for member in client.smembers(binding):
            # Members are "routing_key\x06\x16pattern\x06\x16queue".
            raw = member if isinstance(member, bytes) else str(member).encode()
            stale.add(raw.split(b"\x06\x16")[-1])
    stale.discard(LOCK_KEY.encode())
    if stale:
        client.delete(*stale)


def claim_redis_db(redis_url: str) -> ClaimedRedis:
    """Claim a Redis database no other test run is using, or skip/fail if none is free."""
    base_db = int(urlsplit(redis_url).path.lstrip("/") or 0)
    token = secrets.token_hex(16)
    for db in _candidate_dbs(base_db):
        url = _with_db(redis_url, db)
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
        try:
            claimed = client.set(LOCK_KEY, token, nx=True, ex=LOCK_SECONDS)
        except redis.ResponseError:  # fewer databases configured than candidates
            client.close()
            continue
        except redis.RedisError as exc:
            client.close()
            skip_or_fail(f"Redis at {redact_url(redis_url)} does not answer: {exc}")
        if claimed:
            _clear_stale_celery_state(client)
            return ClaimedRedis(url=url, db=db, token=token, client=client)
        client.close()
    skip_or_fail(f"every candidate Redis database is claimed by another test run ({LOCK_KEY})")


# --- The worker process -------------------------------------------------------------------------------


@dataclass
class WorkerProcess:
    """A running ``celery worker`` subprocess."""

    name: str
    broker_url: str
    database_url: str
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def is_running(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = STOP_TIMEOUT) -> int:
        """Warm shutdown (SIGTERM); SIGKILL if it has not gone after ``timeout`` seconds."""
        if self.is_running():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        return self.process.returncode

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no worker log)"
        return "\n".join(text.splitlines()[-lines:])

    def ping(self, timeout: float = 0.5) -> bool:
        replies = celery_app.control.ping(destination=[self.name], timeout=timeout) or []
        return any(self.name in reply for reply in replies)


def worker_database_url() -> str:
    """DATABASE_URL rewritten to name the test database pytest-django created."""
    name = connections["default"].settings_dict["NAME"]
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + quote(str(name))))


def celery_env(
    *, broker_url: str, database_url: str, extra_env: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment of a Celery process of this run: this broker and database, this process's
    settings module, and ``extra_env`` on top."""
    env = dict(os.environ)
    env.update(
        {
            "CELERY_BROKER_URL": broker_url,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": os.environ.get(
                "DJANGO_SETTINGS_MODULE", "incident_console.settings.test"
            ),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("CELERY_BROKER_READ_URL", None)
    env.pop("CELERY_BROKER_WRITE_URL", None)
    env.update(extra_env or {})
    return env


def start_worker(
    *,
    broker_url: str,
    database_url: str,
    log_dir: Path,
    extra_env: Mapping[str, str] | None = None,
    startup_timeout: float = STARTUP_TIMEOUT,
) -> WorkerProcess:
    """Start ``celery -A incident_console worker --pool solo`` and wait until it answers ping.

    This process's Celery app must already point at ``broker_url`` (see ``celery_broker``).
    """
    name = f"test-{secrets.token_hex(4)}@{socket.gethostname()}"
    log_path = log_dir / f"{name.split('@')[0]}.log"
    env = celery_env(broker_url=broker_url, database_url=database_url, extra_env=extra_env)
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "incident_console",
        "worker",
        "--pool",
        "solo",
        "-l",
        "info",
        "-n",
        name,
        "--without-mingle",
        "--without-gossip",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    worker = WorkerProcess(
        name=name, broker_url=broker_url, database_url=database_url, log_path=log_path, process=process
    )
    deadline = time.monotonic() + startup_timeout
    while time.monotonic() < deadline:
        if not worker.is_running():
            pytest.fail(
                f"Celery worker exited with status {process.returncode} before answering ping:\n"
                + worker.log_tail(),
                pytrace=False,
            )
        with contextlib.suppress(Exception):
            if worker.ping():
                return worker
        time.sleep(0.2)
    worker.stop()
    pytest.fail(
        f"Celery worker did not answer ping within {startup_timeout:.0f} s:\n" + worker.log_tail(),
        pytrace=False,
    )


@contextlib.contextmanager
def running_worker(
    *,
    broker_url: str,
    database_url: str,
    log_dir: Path,
    extra_env: Mapping[str, str] | None = None,
) -> Iterator[WorkerProcess]:
    worker = start_worker(
        broker_url=broker_url, database_url=database_url, log_dir=log_dir, extra_env=extra_env
    )
    try:
        yield worker
    finally:
        worker.stop()


# --- Fixtures ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceUrls:
    redis_url: str
    database_url: str


@pytest.fixture(scope="session")
def service_urls() -> ServiceUrls:
    """REDIS_URL and a PostgreSQL DATABASE_URL, or skip (fail with CI=true)."""
    redis_url = os.environ.get("REDIS_URL", "").strip()
    database_url = os.environ.get("DATABASE_URL", "").strip()
    if not redis_url:
        skip_or_fail("REDIS_URL is not set; the Celery worker tests need Redis")
    if urlsplit(database_url).scheme not in POSTGRES_SCHEMES:
        skip_or_fail("DATABASE_URL does not name PostgreSQL; the worker process must share the test database")
    return ServiceUrls(redis_url=redis_url, database_url=database_url)


@pytest.fixture(scope="session")
def celery_test_broker(service_urls: ServiceUrls) -> Iterator[str]:
    """A Redis database claimed for this run; this process's Celery app points at it."""
    claimed = claim_redis_db(service_urls.redis_url)
    try:
        with celery_broker(claimed.url):
            celery_app.control.purge()
            yield claimed.url
    finally:
        claimed.release()


@pytest.fixture(scope="session")
def celery_worker_process(
    celery_test_broker: str,
    django_db_setup: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[WorkerProcess]:
    """A real Celery worker (solo pool) sharing the test database and this run's broker."""
    with running_worker(
        broker_url=celery_test_broker,
        database_url=worker_database_url(),
        log_dir=tmp_path_factory.mktemp("celery-worker"),
    ) as worker:
        yield worker
