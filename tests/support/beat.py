"""A real ``celery beat`` process for the reliability tests, with its own schedule file.

docker-compose runs exactly one beat; the reliability suite starts two at once to show that a
second one started by mistake queues every sweep twice and still sends nothing twice.
"""

from __future__ import annotations

import contextlib
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.worker import STOP_TIMEOUT, celery_env

STARTUP_TIMEOUT = 30.0


@dataclass
class BeatProcess:
    name: str
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def is_running(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def sent(self, entry: str) -> int:
        """How many times this beat has queued the schedule entry ``entry``."""
        return self.log().count(f"Sending due task {entry} ")

    def stop(self, timeout: float = STOP_TIMEOUT) -> int:
        if self.is_running():
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        return self.process.returncode


def start_beat(
    *,
    broker_url: str,
    database_url: str,
    directory: Path,
    extra_env: Mapping[str, str] | None = None,
    startup_timeout: float = STARTUP_TIMEOUT,
) -> BeatProcess:
    """Start ``celery -A incident_console beat`` and wait until it says it is starting."""
    name = f"beat-{secrets.token_hex(4)}"
    log_path = directory / f"{name}.log"
    env = celery_env(broker_url=broker_url, database_url=database_url, extra_env=extra_env)
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "incident_console",
        "beat",
        "-l",
        "info",
        "-s",
        str(directory / f"{name}-schedule"),
        "--pidfile=",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    beat = BeatProcess(name=name, log_path=log_path, process=process)
    deadline = time.monotonic() + startup_timeout
    while time.monotonic() < deadline:
        if not beat.is_running():
            pytest.fail(
                f"celery beat exited with status {process.returncode}:\n{beat.log()[-3000:]}", pytrace=False
            )
        if "beat: Starting..." in beat.log():
            return beat
        time.sleep(0.2)
    beat.stop()
    pytest.fail(
        f"celery beat did not start within {startup_timeout:.0f} s:\n{beat.log()[-3000:]}", pytrace=False
    )


@contextlib.contextmanager
def running_beats(
    count: int,
    *,
    broker_url: str,
    database_url: str,
    directory: Path,
    extra_env: Mapping[str, str] | None = None,
) -> Iterator[list[BeatProcess]]:
    """``count`` beat processes at once, each stopped on the way out however the block ends."""
    beats: list[BeatProcess] = []
    try:
        for _n in range(count):
            beats.append(
                start_beat(
                    broker_url=broker_url, database_url=database_url, directory=directory, extra_env=extra_env
                )
            )
        yield beats
    finally:
        for beat in beats:
            beat.stop()
