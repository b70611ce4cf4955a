"""Throughput under wrk: gunicorn (2 workers, DEBUG off, the bench database) in a subprocess, an
API token for the bench responder, and wrk against API list endpoints. Gunicorn is stopped and the
token revoked afterwards, whatever happens."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from incident_console.accounts import services as accounts

from .data import Dataset

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
# wrk counts a response slower than this as a socket error (timeout); its default is 2 s.
TIMEOUT_S = 5


@dataclass
class WrkResult:
    name: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int
    timeouts: int = 0

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    if match is None:
        raise ValueError(f"cannot read the latency {text!r}")
    return float(match[1]) * UNITS[match[2]]


def parse(name: str, output: str) -> WrkResult:
    """The figures from ``wrk --latency`` output."""
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    total = re.search(r"^\s+(\d+) requests in", output, re.MULTILINE)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if not (total and rate and "50" in latency and "99" in latency):
        raise ValueError(f"cannot read the wrk output:\n{output}")
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return WrkResult(
        name=name,
        requests_per_s=float(rate[1]),
        p50_ms=_ms(latency["50"]),
        p99_ms=_ms(latency["99"]),
        requests=int(total[1]),
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
        timeouts=int(socket_errors[4]) if socket_errors else 0,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_until_live(base: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(120):
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthz/live", timeout=1):  # noqa: S310 (local)
                return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError("gunicorn did not answer within 30 seconds")


def run(dataset: Dataset, *, duration: int = 10, log: Path | None = None) -> list[WrkResult]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed")
    issued = accounts.issue_api_token(
        user=dataset.responder, name="bench", expires_in_days=1, second_factor=True
    )
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "incident_console.settings.bench",
        "DATABASE_URL": _database_url(),
        "DEBUG": "false",
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    output = open(log or os.devnull, "wb")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(  # noqa: S603 (fixed arguments)
        [gunicorn, "incident_console.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "2"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    results = []
    try:
        _wait_until_live(base, server)
        targets = [
            ("wrk API incidents", "/api/v1/incidents/"),
            ("wrk API timeline", f"/api/v1/incidents/{dataset.big_incident_id}/timeline/"),
        ]
        header = f"Authorization: Token {issued.key}"
        for name, path in targets:
            done = subprocess.run(  # noqa: S603 (fixed arguments)
                [
                    wrk,
                    "-t2",
                    "-c8",
                    f"-d{duration}s",
                    f"--timeout={TIMEOUT_S}s",
                    "--latency",
                    "-H",
                    header,
                    f"{base}{path}",
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            results.append(parse(name, done.stdout))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        output.close()
        accounts.revoke_api_token(token=issued.token, actor=dataset.responder)
    return results
