"""Production settings refuse to start without what a real deployment needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECK = "import django; django.setup(); print('started')"


def run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}}
    base["DJANGO_SETTINGS_MODULE"] = "incident_console.settings.production"
    return subprocess.run(
        [sys.executable, "-c", CHECK],
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
    result = run(
        {
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "console.example.org",
            "DATABASE_URL": "postgres://console@127.0.0.1:5432/console",
        }
    )
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout
