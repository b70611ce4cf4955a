"""Production settings refuse to start without what a real deployment needs."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECK = "import django; django.setup(); print('started')"
PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "console.example.org",
    "DATABASE_URL": "postgres://console@127.0.0.1:5432/console",
}
COOKIES_AND_TRANSPORT = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, "
    "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 365 * 24 * 3600, s.DEBUG)"
)


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Python with production settings and ``env``: ``args`` (default: start Django) as its arguments."""
    # Only what a deployment sets: not the variables of this run (the browser tests allow sync
    # database calls from async code, which the deployment checklist rightly refuses).
    dropped = {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    base["DJANGO_SETTINGS_MODULE"] = "incident_console.settings.production"
    return subprocess.run(
        [sys.executable, *(args or ("-c", CHECK))],
        env={**base, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_to_start_without_secret_hosts_and_database() -> None:
    result = run({})
    assert result.returncode != 0
    assert "SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL" in result.stderr


def test_production_settings_name_the_one_missing_variable() -> None:
    result = run({"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "console.example.org"})
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
    assert "SECRET_KEY," not in result.stderr


def test_production_settings_start_with_them() -> None:
    result = run(PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_in_production_the_session_and_csrf_cookies_go_over_https_only_and_are_hidden_from_scripts() -> None:
    result = run(PRODUCTION, "-c", COOKIES_AND_TRANSPORT)
    assert result.returncode == 0, result.stderr
    secure, csrf_secure, http_only, csrf_http_only, redirect, hsts_a_year, debug = result.stdout.split()
    assert (secure, csrf_secure, http_only, csrf_http_only) == ("True", "True", "True", "True")
    assert (redirect, hsts_a_year, debug) == ("True", "True", "False")


def test_the_deployment_checklist_finds_nothing_to_warn_about_in_production_settings() -> None:
    result = run(PRODUCTION, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
