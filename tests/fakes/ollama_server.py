"""A loopback fake of the Ollama HTTP API, close enough that the real `ollama` client can't tell.

It speaks what `ollama serve` speaks: `/api/chat` and `/api/generate` stream NDJSON over chunked
transfer (headers go out with the first chunk, as Ollama only answers once the model is loaded),
errors are `{"error": "..."}` with an HTTP status, an error during generation is an NDJSON line
`{"error": "..."}`, and a chat with no messages (or a generate with no prompt) just loads the model.

Behaviour is plain attributes, settable between (or during) tests:

    with FakeOllama() as fake:
        fake.first_token_delay = 2.0
        llm = OllamaLLM(fake.url, "llama3.2:3b", ...)

Every request is recorded in `fake.requests`. `fake.client_gone` is set when a client goes away
in the middle of a response. `stop()` wakes every sleep and blocked read and joins every thread.
"""

from __future__ import annotations

import json
import select
import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

DEFAULT_MODELS = ("llama3.2:3b",)
DEFAULT_REPLY = (
    "That ",
    "sounds ",
    "like ",
    "a ",
    "lot ",
    "to ",
    "carry. ",
    "I'm ",
    "here ",
    "with ",
    "you.",
)
# What Ollama sends when the runner dies during generation.
DEFAULT_STREAM_ERROR = "an error was encountered while running the model: unexpected EOF"
_POLL_SECONDS = 0.02


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake received: method, path and the parsed JSON body ({} for a GET)."""

    method: str
    path: str
    body: dict[str, Any]


class _ClientGone(Exception):
    pass


class _Stopping(Exception):
    pass


class FakeOllama:
    """A fake `ollama serve` on 127.0.0.1 at a free port (see the module docstring)."""

    def __init__(
        self,
        *,
        models: list[str] | tuple[str, ...] = DEFAULT_MODELS,
        reply_tokens: list[str] | tuple[str, ...] = DEFAULT_REPLY,
    ) -> None:
        self.models: list[str] = list(models)
        self.reply_tokens: list[str] = list(reply_tokens)
        self.token_delay = 0.0
        self.first_token_delay = 0.0
        self.cut_after: int | None = None
        self.error_after: int | None = None
        self.error_text = DEFAULT_STREAM_ERROR
        self.status_error: tuple[int, str] | None = None
        self.chunked = True  # False: HTTP/1.0-style body delimited by closing the connection
        self.version = "0.6.8"

        self.requests: list[RecordedRequest] = []
        self.client_gone = threading.Event()
        self.disconnects = 0
        self.streams_started = 0
        self.streams_completed = 0
        self.chunks_sent = 0

        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> FakeOllama:
        """Start serving in a background thread; returns self."""
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-ollama",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving: wake every handler, close every connection, join every thread."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            _shutdown(connection)
        server.server_close()  # joins the handler threads
        if thread is not None:
            thread.join(5)
        self._server = self._thread = None

    def __enter__(self) -> FakeOllama:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The base URL to give the client, e.g. `http://127.0.0.1:54321`."""
        if self._server is None:
            raise RuntimeError("FakeOllama is not running")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @staticmethod
    def down_url() -> str:
        """An address where nothing listens (a port just freed), for the "server down" case."""
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        return f"http://127.0.0.1:{port}"

    # -- what tests read -------------------------------------------------------------------------

    def requests_to(self, path: str) -> list[RecordedRequest]:
        """The recorded requests to one path, oldest first."""
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def has_model(self, name: str) -> bool:
        """Whether `name` is "pulled", with Ollama's rule that no tag means `:latest`."""
        return any(_normal(name) == _normal(m) for m in self.models)

    # -- used by the handler ---------------------------------------------------------------------

    def _record(self, method: str, path: str, body: dict[str, Any]) -> None:
        with self._lock:
            self.requests.append(RecordedRequest(method, path, body))

    def _track(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.add(connection)
            if self._stopping.is_set():
                _shutdown(connection)

    def _untrack(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)

    def _count(self, name: str) -> None:
        with self._lock:
            setattr(self, name, getattr(self, name) + 1)

    def _client_went_away(self) -> None:
        self._count("disconnects")
        self.client_gone.set()


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # so that server_close() joins the handler threads
    block_on_close = True

    def __init__(self, fake: FakeOllama) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.fake._track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._untrack(self.connection)

    def handle(self) -> None:
        try:
            super().handle()
        except (_ClientGone, _Stopping, OSError):
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

    # -- routes ------------------------------------------------------------------------------------

    def do_HEAD(self) -> None:
        self._send(200, b"", "text/plain; charset=utf-8", head_only=True)

    def do_GET(self) -> None:
        fake = self.server.fake
        path = urlsplit(self.path).path
        fake._record("GET", path, {})
        if path == "/api/tags":
            self._json(200, {"models": [_model_entry(name) for name in fake.models]})
        elif path == "/api/version":
            self._json(200, {"version": fake.version})
        elif path in ("", "/"):
            self._send(200, b"Ollama is running", "text/plain; charset=utf-8")
        else:
            self._send(404, b"404 page not found", "text/plain")

    def do_POST(self) -> None:
        fake = self.server.fake
        path = urlsplit(self.path).path
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            fake._record("POST", path, {})
            self._error(400, "invalid character looking for beginning of value")
            return
        fake._record("POST", path, body)
        if path == "/api/chat":
            self._generate(body, chat=True)
        elif path == "/api/generate":
            self._generate(body, chat=False)
        elif path == "/api/show":
            self._show(body)
        else:
            self._send(404, b"404 page not found", "text/plain")

    def _show(self, body: dict[str, Any]) -> None:
        model = str(body.get("model") or body.get("name") or "")
        if not self.server.fake.has_model(model):
            self._error(404, f"model '{model}' not found")
            return
        self._json(
            200,
            {
                "license": "LLAMA 3.2 COMMUNITY LICENSE AGREEMENT",
                "modelfile": f"# Modelfile generated by fake\nFROM {model}\n",
                "parameters": 'stop "<|eot_id|>"',
                "template": "{{ .Prompt }}",
                "details": _DETAILS,
                "model_info": {"general.architecture": "llama", "llama.context_length": 131072},
                "capabilities": ["completion", "tools"],
                "modified_at": _MODIFIED_AT,
            },
        )

    def _generate(self, body: dict[str, Any], *, chat: bool) -> None:
        fake = self.server.fake
        model = str(body.get("model") or "")
        # Read the behaviour once, so a test changing it mid-stream can't tear a response.
        tokens = list(fake.reply_tokens)
        token_delay, first_delay = fake.token_delay, fake.first_token_delay
        cut_after, error_after, error_text = fake.cut_after, fake.error_after, fake.error_text
        status_error, chunked = fake.status_error, fake.chunked

        if not model:
            self._error(400, "model is required")
            return
        if not fake.has_model(model):
            self._error(404, f'model "{model}" not found, try pulling it first')
            return
        self._pause(first_delay)  # loading the model and reading the prompt
        if status_error is not None:
            self._error(*status_error)
            return
        if (chat and not body.get("messages")) or (not chat and not body.get("prompt")):
            self._json(200, _piece(model, "", chat=chat) | {"done": True, "done_reason": "load"})
            return
        if body.get("stream", True) is False:
            self._json(200, _piece(model, "".join(tokens), chat=chat) | _final(body, len(tokens)))
            return

        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        fake._count("streams_started")
        for index in range(len(tokens) + 1):
            if index > 0:
                self._pause(token_delay)
            if cut_after is not None and index >= cut_after:
                _shutdown(self.connection)  # no final chunk, no terminating zero-length chunk
                self.close_connection = True
                return
            if error_after is not None and index >= error_after:
                self._line({"error": error_text}, chunked=chunked)
                self._end(chunked=chunked)
                return
            if index < len(tokens):
                self._line(_piece(model, tokens[index], chat=chat), chunked=chunked)
                fake._count("chunks_sent")
            else:
                last = _piece(model, "", chat=chat) | _final(body, len(tokens))
                self._line(last, chunked=chunked)
        self._end(chunked=chunked)
        fake._count("streams_completed")

    # -- writing -----------------------------------------------------------------------------------

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json; charset=utf-8")

    def _error(self, status: int, message: str) -> None:
        self._json(status, {"error": message})

    def _send(
        self, status: int, data: bytes, content_type: str, *, head_only: bool = False
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if not head_only:
            self._write(data)

    def _line(self, payload: dict[str, Any], *, chunked: bool) -> None:
        data = json.dumps(payload).encode() + b"\n"
        self._write(b"%X\r\n%s\r\n" % (len(data), data) if chunked else data)

    def _end(self, *, chunked: bool) -> None:
        if chunked:
            self._write(b"0\r\n\r\n")

    def _write(self, data: bytes) -> None:
        try:
            self.wfile.write(data)
        except OSError:
            self.server.fake._client_went_away()
            raise _ClientGone from None

    def _pause(self, seconds: float) -> None:
        """Sleep, waking at once if the server stops; notice a client that hangs up meanwhile."""
        fake = self.server.fake
        deadline = time.monotonic() + seconds
        watch_peer = True
        while (remaining := deadline - time.monotonic()) > 0:
            if fake._stopping.is_set():
                raise _Stopping
            step = min(remaining, _POLL_SECONDS)
            if not watch_peer:
                fake._stopping.wait(step)
                continue
            readable, _, _ = select.select([self.connection], [], [], step)
            if readable:
                try:
                    peeked = self.connection.recv(1, socket.MSG_PEEK)
                except OSError:
                    peeked = b""
                if not peeked:
                    fake._client_went_away()
                    raise _ClientGone
                watch_peer = False  # a pipelined request, not a hang-up: stop polling


_MODIFIED_AT = "2026-10-30T09:15:02.123456789Z"
_DETAILS = {
    "parent_model": "",
    "format": "gguf",
    "family": "llama",
    "families": ["llama"],
    "parameter_size": "3.2B",
    "quantization_level": "Q4_K_M",
}


def _model_entry(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "model": name,
        "modified_at": _MODIFIED_AT,
        "size": 2019393189,
        "digest": "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
        "details": _DETAILS,
    }


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _piece(model: str, text: str, *, chat: bool) -> dict[str, Any]:
    piece: dict[str, Any] = {"model": model, "created_at": _now()}
    if chat:
        piece["message"] = {"role": "assistant", "content": text}
    else:
        piece["response"] = text
    piece["done"] = False
    return piece


def _final(body: dict[str, Any], answer_tokens: int) -> dict[str, Any]:
    prompt = json.dumps(body.get("messages") or body.get("prompt") or "")
    return {
        "done": True,
        "done_reason": "stop",
        "total_duration": 1_204_000_000,
        "load_duration": 12_000_000,
        "prompt_eval_count": max(1, len(prompt) // 4),
        "prompt_eval_duration": 180_000_000,
        "eval_count": answer_tokens,
        "eval_duration": 990_000_000,
    }


def _normal(name: str) -> str:
    name = name.strip().casefold()
    return name if ":" in name.rsplit("/", 1)[-1] else f"{name}:latest"


def _shutdown(connection: socket.socket) -> None:
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
