"""A loopback fake of Twilio's Messages REST API that the real `twilio` client talks to.

Create (POST .../Messages.json), list (GET .../Messages.json, newest first) and fetch
(GET .../Messages/SM....json), with HTTP basic auth as Twilio checks it. Tests script what the
next creates answer: "429", "500" (nothing created), "500-after-create" (created, then 500),
"timeout" (created, then no answer until the client gives up), "timeout-before" (nothing
created, no answer), "error:21211" (a permanent 400 with that code). `delay` slows every answer
(the benchmark's 50 ms). Thread-safe: several worker processes may share one fake.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


@dataclass
class FakeMessage:
    """A message the fake has created."""

    sid: str
    to: str
    from_: str
    body: str | None
    content_sid: str | None
    content_variables: str | None
    status_callback: str | None
    created_at: datetime  # aware UTC
    status: str = "queued"

    def resource(self, account_sid: str) -> dict[str, Any]:
        """The JSON Twilio returns for this message."""
        return {
            "sid": self.sid,
            "account_sid": account_sid,
            "to": self.to,
            "from": self.from_,
            "body": self.body or _rendered(self.content_variables) or "",
            "status": self.status,
            "num_segments": "1",
            "direction": "outbound-api",
            "date_created": format_datetime(self.created_at),
            "date_updated": format_datetime(self.created_at),
            "date_sent": None,
            "error_code": None,
            "error_message": None,
            "uri": f"/2010-04-01/Accounts/{account_sid}/Messages/{self.sid}.json",
        }


@dataclass
class FakeTwilio:
    """State and script of the fake; `url` is the base URL to give the client."""

    account_sid: str = "AC" + "0" * 32
    auth_token: str = "fake-auth-token-" + "x" * 16
    delay: float = 0.0
    hang_seconds: float = 3.0  # how long "timeout" keeps the client waiting
    messages: list[FakeMessage] = field(default_factory=list)
    script: deque[str] = field(default_factory=deque)
    list_fails: int = 0
    requests: int = 0
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))  # aware UTC
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        """http://127.0.0.1:PORT of the running fake."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def then(self, *answers: str) -> None:
        """Script the next creates' answers (each used once, in order)."""
        with self._lock:
            self.script.extend(answers)

    def sent_to(self, to: str) -> list[FakeMessage]:
        """Messages created for `to` (E.164 or whatsapp:E.164)."""
        target = to if to.startswith("whatsapp:") else f"whatsapp:{to}"
        with self._lock:
            return [m for m in self.messages if m.to == target]

    def start(self) -> FakeTwilio:
        """Serve on a free loopback port, in a daemon thread."""
        fake = self

        class Handler(_Handler):
            twilio = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # --- behaviour ------------------------------------------------------------------------

    def _next_answer(self) -> str:
        with self._lock:
            self.requests += 1
            return self.script.popleft() if self.script else "ok"

    def _create(self, form: dict[str, str]) -> FakeMessage:
        message = FakeMessage(
            sid="SM" + uuid.uuid4().hex,
            to=form.get("To", ""),
            from_=form.get("From", ""),
            body=form.get("Body"),
            content_sid=form.get("ContentSid"),
            content_variables=form.get("ContentVariables"),
            status_callback=form.get("StatusCallback"),
            created_at=self.now(),
        )
        with self._lock:
            self.messages.append(message)
        return message


class _Handler(BaseHTTPRequestHandler):
    twilio: FakeTwilio
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # answer in `delay`, not delay + a delayed-ACK wait

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib signature)
        """Quiet."""

    def do_POST(self) -> None:
        """Create a message."""
        if not self._authorised():
            return
        length = int(self.headers.get("Content-Length", "0"))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if not self.path.endswith("/Messages.json"):
            self._json(404, {"code": 20404, "message": "not found", "status": 404})
            return
        time.sleep(self.twilio.delay)
        answer = self.twilio._next_answer()
        if answer == "429":
            self._json(429, {"code": 20429, "message": "Too Many Requests", "status": 429})
        elif answer == "500":
            self._json(500, {"code": 20500, "message": "Internal Server Error", "status": 500})
        elif answer == "500-after-create":
            self.twilio._create(form)
            self._json(500, {"code": 20500, "message": "Internal Server Error", "status": 500})
        elif answer in ("timeout", "timeout-before"):
            if answer == "timeout":
                self.twilio._create(form)
            time.sleep(self.twilio.hang_seconds)
            self.close_connection = True
        elif answer.startswith("error:"):
            code = int(answer.split(":", 1)[1])
            self._json(400, {"code": code, "message": "refused", "status": 400})
        else:
            message = self.twilio._create(form)
            self._json(201, message.resource(self.twilio.account_sid))

    def do_GET(self) -> None:
        """List or fetch messages."""
        if not self._authorised():
            return
        time.sleep(self.twilio.delay)
        parsed = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
        sid = self.twilio.account_sid
        if parsed.path.endswith("/Messages.json"):
            with self.twilio._lock:
                failing = self.twilio.list_fails > 0
                self.twilio.list_fails -= 1 if failing else 0
                chosen = [
                    m
                    for m in reversed(self.twilio.messages)
                    if m.to == query.get("To", m.to) and m.from_ == query.get("From", m.from_)
                ]
            if failing:
                self._json(503, {"code": 20503, "message": "unavailable", "status": 503})
                return
            size = int(query.get("PageSize", "50"))
            self._json(
                200,
                {
                    "messages": [m.resource(sid) for m in chosen[:size]],
                    "next_page_uri": None,
                    "previous_page_uri": None,
                    "first_page_uri": parsed.path,
                    "page": 0,
                    "page_size": size,
                    "start": 0,
                    "end": min(size, len(chosen)) - 1,
                    "uri": parsed.path,
                },
            )
            return
        wanted = parsed.path.rsplit("/", 1)[-1].removesuffix(".json")
        with self.twilio._lock:
            match = next((m for m in self.twilio.messages if m.sid == wanted), None)
        if match is None:
            self._json(404, {"code": 20404, "message": "not found", "status": 404})
        else:
            self._json(200, match.resource(sid))

    def _authorised(self) -> bool:
        expected = f"{self.twilio.account_sid}:{self.twilio.auth_token}".encode()
        header = self.headers.get("Authorization", "")
        if header == "Basic " + base64.b64encode(expected).decode():
            return True
        self._json(401, {"code": 20003, "message": "Authenticate", "status": 401})
        return False

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _rendered(variables: str | None) -> str | None:
    """A template message's body as Twilio lists it: the template with its variables filled in
    (here just the variables' values, which is what a reconciliation can match on)."""
    if not variables:
        return None
    try:
        values = json.loads(variables)
    except ValueError:
        return None
    return " ".join(str(value) for value in values.values()) if isinstance(values, dict) else None
