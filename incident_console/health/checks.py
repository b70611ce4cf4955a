"""Dependency checks behind /healthz: database, broker and Celery workers.

Each check is bounded in time and never raises; a failure becomes ``ok: False`` with a short,
redacted detail. The whole report takes at most about three seconds (broker connect 2 s, worker
ping 1 s) and is cached per process for ``HEALTHZ_CACHE_SECONDS`` (default 5) so that an
unauthenticated caller cannot make every request fan out to the broker and the workers.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Literal, NotRequired, TypedDict

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from incident_console.celery import app as celery_app

BROKER_CONNECT_TIMEOUT = 2.0
WORKER_PING_TIMEOUT = 1.0
DETAIL_MAX_LENGTH = 200

Status = Literal["ok", "degraded", "down"]


class CheckResult(TypedDict):
    ok: bool
    detail: str
    workers: NotRequired[list[str]]


class HealthReport(TypedDict):
    status: Status
    database: CheckResult
    broker: CheckResult
    worker: CheckResult


# user:password@ or :password@ inside any URL-like text.
_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<user>[^:@/\s]*):[^@/\s]*@")
_PASSWORD_PAIRS = re.compile(r"(?i)\b(password|passwd|pwd)\s*[=:]\s*\S+")


def redact(text: str) -> str:
    """Remove credentials from URLs and ``password=...`` pairs, and cap the length."""
    text = _URL_CREDENTIALS.sub(lambda m: f"{m['scheme']}{m['user']}:***@", text)
    text = _PASSWORD_PAIRS.sub(lambda m: f"{m[1]}=***", text)
    text = " ".join(text.split())
    if len(text) > DETAIL_MAX_LENGTH:
        text = text[: DETAIL_MAX_LENGTH - 1] + "…"
    return text


def _failure(exc: BaseException) -> CheckResult:
    message = str(exc) or "no detail"
    return {"ok": False, "detail": redact(f"{type(exc).__name__}: {message}")}


def check_database(alias: str = DEFAULT_DB_ALIAS) -> CheckResult:
    """Run ``SELECT 1`` on the database."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            row = cursor.fetchone()
    except Exception as exc:
        return _failure(exc)
    if row is None or row[0] != 1:
        return {"ok": False, "detail": "SELECT 1 returned an unexpected row"}
    return {"ok": True, "detail": f"SELECT 1 answered ({connection.vendor})"}


def _broker_connection() -> Any:
    """A fresh (unpooled) broker connection with short socket timeouts."""
    return celery_app.connection_for_write(
        connect_timeout=BROKER_CONNECT_TIMEOUT,
        transport_options={
            "socket_connect_timeout": BROKER_CONNECT_TIMEOUT,
            "socket_timeout": BROKER_CONNECT_TIMEOUT,
            "max_retries": 1,
        },
    )


def check_broker_and_worker() -> tuple[CheckResult, CheckResult]:
    """Connect to the broker; if that works, ping the workers over the same connection."""
    try:
        connection = _broker_connection()
    except Exception as exc:
        return _failure(exc), _skipped_worker_check()
    try:
        try:
            # One quick retry for a blip; never the default back-off, which sleeps for seconds.
            connection.ensure_connection(
                max_retries=1, interval_start=0.2, interval_step=0, timeout=BROKER_CONNECT_TIMEOUT
            )
        except Exception as exc:
            return _failure(exc), _skipped_worker_check()
        broker: CheckResult = {"ok": True, "detail": f"connected ({connection.transport_cls})"}
        return broker, check_worker(connection)
    finally:
        # Closing a broken connection must not fail the report.
        with contextlib.suppress(Exception):
            connection.release()


def _skipped_worker_check() -> CheckResult:
    return {"ok": False, "detail": "not checked: broker unavailable", "workers": []}


def check_worker(connection: Any = None) -> CheckResult:
    """Broadcast a Celery ``ping`` and report which workers answered within one second."""
    try:
        replies = celery_app.control.ping(timeout=WORKER_PING_TIMEOUT, connection=connection) or []
    except Exception as exc:
        result = _failure(exc)
        result["workers"] = []
        return result
    workers = sorted({name for reply in replies for name in reply})
    if not workers:
        return {"ok": False, "detail": "no worker answered", "workers": []}
    noun = "worker" if len(workers) == 1 else "workers"
    return {"ok": True, "detail": f"{len(workers)} {noun} answered", "workers": workers}


def overall_status(database: CheckResult, broker: CheckResult, worker: CheckResult) -> Status:
    """``down`` without a database; ``degraded`` when jobs cannot run promptly; else ``ok``."""
    if not database["ok"]:
        return "down"
    if not (broker["ok"] and worker["ok"]):
        return "degraded"
    return "ok"


def run_checks() -> HealthReport:
    """Run every check now (no cache)."""
    database = check_database()
    broker, worker = check_broker_and_worker()
    return {
        "status": overall_status(database, broker, worker),
        "database": database,
        "broker": broker,
        "worker": worker,
    }


@dataclass
class _Cached:
    key: tuple[str, str]
    expires: float
    report: HealthReport


_cache: _Cached | None = None
_cache_lock = threading.Lock()


def _cache_key() -> tuple[str, str]:
    database = connections[DEFAULT_DB_ALIAS].settings_dict
    return (f"{database.get('ENGINE')}:{database.get('NAME')}", str(celery_app.conf.broker_url))


def health_report() -> HealthReport:
    """The report, reused for ``HEALTHZ_CACHE_SECONDS`` within this process."""
    global _cache
    ttl = float(getattr(settings, "HEALTHZ_CACHE_SECONDS", 5))
    key = _cache_key()
    with _cache_lock:
        now = time.monotonic()
        if ttl > 0 and _cache is not None and _cache.key == key and _cache.expires > now:
            return _cache.report
        report = run_checks()
        _cache = _Cached(key=key, expires=time.monotonic() + ttl, report=report) if ttl > 0 else None
        return report


def clear_cache() -> None:
    global _cache
    with _cache_lock:
        _cache = None
