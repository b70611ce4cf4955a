"""A stand-in for GOV.UK Notify's HTTP API on 127.0.0.1, for the edge the console does not own.

It speaks the parts of the v2 API the console uses: POST /v2/notifications/sms and /email (which
need a JWT bearer token signed with the key's secret, as Notify checks), and GET /v2/notifications
?reference=… to find a notification by its reference. Tests read ``received`` and can make it
answer with an error status.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt

SERVICE_ID = "6f1e8a34-1b0c-4c0e-9d6a-2f1b7c9e0a11"
SECRET = "0c9b0d7e-5a43-4a1f-8d2e-7b6c5a4f3e21"
API_KEY = f"console_test-{SERVICE_ID}-{SECRET}"


@dataclass
class FakeNotify:
    url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    fail_with: int | None = None  # answer every send with this status instead
    lock: threading.Lock = field(default_factory=threading.Lock)

    def references(self) -> list[str]:
        with self.lock:
            return [str(n["reference"]) for n in self.received]


def _handler(state: FakeNotify) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _authorised(self) -> bool:
            header = self.headers.get("Authorization", "")
            if not header.startswith("Bearer "):
                return False
            try:
                claims = jwt.decode(header.removeprefix("Bearer "), SECRET, algorithms=["HS256"])
            except jwt.PyJWTError:
                return False
            return bool(claims.get("iss") == SERVICE_ID)

        def _reply(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            if not self._authorised():
                self._reply(403, {"errors": [{"error": "AuthError", "message": "Invalid token"}]})
                return
            kind = self.path.rsplit("/", 1)[-1]
            payload = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
            if state.fail_with:
                self._reply(state.fail_with, {"errors": [{"error": "BadRequestError", "message": "refused"}]})
                return
            notification = {"id": str(uuid.uuid4()), "type": kind, **payload}
            with state.lock:
                state.received.append(notification)
            self._reply(201, {"id": notification["id"], "reference": payload.get("reference")})

        def do_GET(self) -> None:
            if not self._authorised():
                self._reply(403, {"errors": [{"error": "AuthError", "message": "Invalid token"}]})
                return
            reference = parse_qs(urlsplit(self.path).query).get("reference", [None])[0]
            with state.lock:
                found = [n for n in state.received if reference is None or n.get("reference") == reference]
            self._reply(200, {"notifications": found, "links": {}})

    return Handler


@contextmanager
def fake_notify() -> Iterator[FakeNotify]:
    state = FakeNotify()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
