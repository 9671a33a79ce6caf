"""The `LLM` port's adapter for a local Ollama server.

Everything goes through the official `ollama` client. Three things it does not do for us:

- It has no timeout by default, so every client here gets explicit connect and read timeouts.
- A server that accepts the connection and then says nothing would block a read for the whole
  read timeout. Each answer is therefore read by a worker thread into a queue while the caller
  waits with a deadline; to give up, the caller shuts the worker's socket down (captured with
  httpcore's `trace` extension), which wakes the blocked read at once, and joins the thread.
- In streaming mode a refused connection surfaces as a raw `httpx.ConnectError` (only the
  non-streaming path turns it into `ConnectionError`), and a body that simply ends without the
  final `"done": true` chunk is not an error to it. Both are mapped to typed errors below.

Error messages never contain user text: they name the host, the model, the failure and, at
most, the first line of Ollama's own error message.
"""

from __future__ import annotations

import json
import logging
import queue
import socket
import threading
import time
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import httpx
import ollama
import pydantic

from core.ports import (
    ChatMessage,
    LLMError,
    LLMHealth,
    LLMModelMissing,
    LLMStreamError,
    LLMTimeout,
    LLMUnavailable,
)

if TYPE_CHECKING:
    from core.config import Settings

log = logging.getLogger(__name__)

# httpcore trace events whose return value is the network stream of a new connection.
_CONNECT_EVENTS = frozenset({"connection.connect_tcp.complete", "connection.start_tls.complete"})
_JOIN_SECONDS = 1.0  # a worker whose socket was shut down ends in milliseconds
# While no text arrives, an empty piece this often hands control back to the caller (a page
# can show it is thinking and notice Stop) without ending the wait.
HEARTBEAT_SECONDS = 0.25
_SERVER_TEXT_LIMIT = 200


class _IncompleteStream(Exception):
    """The body ended without Ollama's final `"done": true` chunk."""


class _Connection:
    """The socket of one in-flight request, so that another thread can abort a blocked read."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._aborted = False

    def install(self, request: httpx.Request) -> None:
        """httpx request hook: ask httpcore to report the connection it opens."""
        request.extensions = {**request.extensions, "trace": self._trace}

    def _trace(self, event: str, info: Mapping[str, Any]) -> None:
        if event not in _CONNECT_EVENTS:
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if isinstance(sock, socket.socket):
            with self._lock:
                self._sock = sock
                if self._aborted:
                    _shutdown(sock)

    def abort(self) -> None:
        """Wake any read or write blocked on this connection; later connects abort at once."""
        with self._lock:
            self._aborted = True
            if self._sock is not None:
                _shutdown(self._sock)

    def forget(self) -> None:
        """Drop the socket before the client closes it."""
        with self._lock:
            self._sock = None


def _shutdown(sock: socket.socket) -> None:
    # The base method, not SSLSocket.shutdown, which would tear down TLS state under the reader.
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed or never connected


@dataclass(frozen=True, slots=True)
class _Event:
    kind: Literal["text", "done", "error"]
    text: str = ""
    error: BaseException | None = None


class OllamaLLM:
    """`LLM` backed by an Ollama server through the official `ollama` client."""

    def __init__(
        self,
        host: str,
        model: str,
        *,
        connect_timeout: float,
        read_timeout: float,
        first_token_timeout: float,
        stall_timeout: float | None = None,
        keep_alive: str | float,
        num_ctx: int,
        num_predict: int,
        temperature: float = 0.7,
    ) -> None:
        if not model.strip():
            raise ValueError("model must not be empty")
        stall_timeout = read_timeout if stall_timeout is None else stall_timeout
        if min(connect_timeout, read_timeout, first_token_timeout, stall_timeout) <= 0:
            raise ValueError("timeouts must be positive")
        if num_ctx <= 0 or num_predict <= 0:
            raise ValueError("num_ctx and num_predict must be positive")
        self._host = host
        self._model = model.strip()
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._first_token_timeout = first_token_timeout
        # Between pieces of an answer: short, so a stalled stream falls back in seconds.
        self._stall_timeout = stall_timeout
        self._keep_alive = keep_alive
        self._options: dict[str, Any] = {
            "num_ctx": num_ctx,
            "num_predict": num_predict,
            "temperature": temperature,
        }
        # One TLS context for every client: building one per client costs ~17 ms.
        self._ssl_context = httpx.create_ssl_context()
        self._warm_lock = threading.Lock()
        self._warm_thread: threading.Thread | None = None

    @property
    def model_name(self) -> str:
        """The Ollama model name, e.g. `llama3.2:3b`."""
        return self._model

    @property
    def host(self) -> str:
        """The Ollama server address as configured."""
        return self._host

    def stream_chat(self, messages: Sequence[ChatMessage]) -> Generator[str, None, None]:
        """Stream the answer to `messages`; raises an `LLMError` subclass on failure.

        Nothing is sent until the first `next()`. While waiting it yields "" every
        `HEARTBEAT_SECONDS`. Closing the generator (or dropping it) aborts the HTTP stream and
        joins the reader thread.
        """
        payload = [{"role": m.role, "content": m.content} for m in messages]
        return self._stream(payload)

    def _stream(self, payload: list[dict[str, str]]) -> Generator[str, None, None]:
        connection = _Connection()
        events: queue.SimpleQueue[_Event] = queue.SimpleQueue()
        cancelled = threading.Event()
        worker = threading.Thread(
            target=self._read_stream,
            args=(payload, connection, events, cancelled),
            name="ollama-stream",
            daemon=True,
        )
        pieces: list[str] = []
        worker.start()
        try:
            deadline = time.monotonic() + self._first_token_timeout
            while True:
                try:
                    wait = min(HEARTBEAT_SECONDS, deadline - time.monotonic())
                    event = events.get(timeout=wait)
                except (queue.Empty, ValueError):  # ValueError: the deadline has passed
                    if time.monotonic() >= deadline:
                        raise self._timeout(first=not pieces, partial="".join(pieces)) from None
                    yield ""  # still waiting: the caller may show that, or stop here
                    continue
                if event.kind == "text":
                    pieces.append(event.text)
                    deadline = time.monotonic() + self._stall_timeout
                    yield event.text
                elif event.kind == "done":
                    return
                else:
                    error = event.error if event.error is not None else _IncompleteStream()
                    mapped = self._map_error(error, partial_text="".join(pieces))
                    log.warning("ollama chat failed", extra={"reason": str(mapped)})
                    raise mapped from None
        finally:
            cancelled.set()
            connection.abort()
            worker.join(_JOIN_SECONDS)
            if worker.is_alive():
                log.warning("ollama reader thread still busy after abort; it ends on its own")

    def _read_stream(
        self,
        payload: list[dict[str, str]],
        connection: _Connection,
        events: queue.SimpleQueue[_Event],
        cancelled: threading.Event,
    ) -> None:
        chunks: Iterator[ollama.ChatResponse] | None = None
        try:
            with self._new_client(read_timeout=self._read_timeout, connection=connection) as client:
                try:
                    chunks = client.chat(
                        model=self._model,
                        messages=payload,
                        stream=True,
                        options=self._options,
                        keep_alive=self._keep_alive,
                    )
                    done = False
                    for chunk in chunks:
                        if cancelled.is_set():
                            return
                        content = chunk.message.content
                        if content:
                            events.put(_Event("text", text=content))
                        if chunk.done:
                            done = True
                            _log_stats(chunk)
                    if not done:
                        raise _IncompleteStream
                finally:
                    if isinstance(chunks, Generator):  # the client's generator owns the response
                        chunks.close()
                    connection.forget()
            # Reported only once the client and its socket are closed.
            events.put(_Event("done"))
        except Exception as exc:  # handed to the caller, which maps it
            if not cancelled.is_set():
                events.put(_Event("error", error=exc))

    def warm_up(self) -> None:
        """Ask Ollama to load the model in a background thread; never raises."""
        try:
            with self._warm_lock:
                if self._warm_thread is not None and self._warm_thread.is_alive():
                    return
                self._warm_thread = threading.Thread(
                    target=self._warm_up_now, name="ollama-warm-up", daemon=True
                )
                self._warm_thread.start()
        except Exception:  # best effort by contract
            log.exception("could not start the ollama warm-up")

    def wait_for_warm_up(self, timeout: float | None = None) -> bool:
        """Wait for a running warm-up to finish; True when none is running any more."""
        thread = self._warm_thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def _warm_up_now(self) -> None:
        # A chat with no messages is how Ollama loads a model. The same options as the real
        # calls matter: a different num_ctx would make Ollama reload the model on the first chat.
        started = time.monotonic()
        try:
            with self._new_client(read_timeout=self._read_timeout) as client:
                client.chat(
                    model=self._model,
                    messages=[],
                    options=self._options,
                    keep_alive=self._keep_alive,
                )
            log.info(
                "ollama model warmed up",
                extra={"model": self._model, "seconds": round(time.monotonic() - started, 1)},
            )
        except Exception as exc:  # best effort by contract
            log.warning(
                "ollama warm-up failed",
                extra={"reason": str(self._map_error(exc, partial_text=""))},
            )

    def health(self) -> LLMHealth:
        """Check the server and the model with `/api/tags`, bounded by the connect timeout."""
        try:
            with self._new_client(read_timeout=self._connect_timeout) as client:
                listing = client.list()
        except Exception as exc:  # reported, not raised
            mapped = self._map_error(exc, partial_text="")
            if isinstance(mapped, LLMTimeout):
                mapped = LLMUnavailable(f"Ollama at {self._host} did not answer in time")
            return LLMHealth(up=False, model_available=False, detail=str(mapped))
        names = tuple(m.model for m in listing.models if m.model)
        if any(_same_model(name, self._model) for name in names):
            detail = f"Ollama at {self._host} is running and model {self._model!r} is available"
            return LLMHealth(up=True, model_available=True, detail=detail, models=names)
        detail = str(LLMModelMissing(self._model))
        return LLMHealth(up=True, model_available=False, detail=detail, models=names)

    def _new_client(
        self, *, read_timeout: float, connection: _Connection | None = None
    ) -> ollama.Client:
        hooks: dict[str, list[Callable[..., Any]]] = {}
        if connection is not None:
            hooks["request"] = [connection.install]
        timeout = httpx.Timeout(
            connect=self._connect_timeout,
            read=read_timeout,
            write=read_timeout,
            pool=self._connect_timeout,
        )
        try:
            return ollama.Client(
                host=self._host, timeout=timeout, verify=self._ssl_context, event_hooks=hooks
            )
        except Exception as exc:  # e.g. an unparsable host
            raise LLMUnavailable(f"the Ollama host {self._host!r} is not a valid address") from exc

    def _timeout(self, *, first: bool, partial: str) -> LLMTimeout:
        if first:
            message = (
                f"model {self._model!r} at {self._host} sent no text within "
                f"{self._first_token_timeout:g} s"
            )
        else:
            message = f"Ollama stream stalled for more than {self._stall_timeout:g} s"
        log.warning("ollama chat timed out", extra={"reason": message})
        return LLMTimeout(message, partial_text=partial)

    def _map_error(self, exc: BaseException, *, partial_text: str) -> LLMError:
        """Turn what the ollama client or httpx raised into one of our typed errors."""
        host = self._host
        if isinstance(exc, LLMError):
            return exc
        if isinstance(exc, ollama.ResponseError):
            text = _first_line(str(exc.error))
            status = exc.status_code
            if _names_missing_model(text) and status in (404, -1):
                return LLMModelMissing(self._model)
            if status == 404:
                return LLMUnavailable(f"no Ollama API at {host} (HTTP 404: {text})")
            if status == 503:
                return LLMUnavailable(f"Ollama at {host} is busy (HTTP 503: {text})")
            where = "in the middle of the stream" if status == -1 else f"with HTTP {status}"
            return LLMStreamError(
                f"Ollama failed {where}: {text}",
                partial_text=partial_text,
                status_code=None if status == -1 else status,
            )
        if isinstance(exc, httpx.TimeoutException) and not isinstance(exc, httpx.ConnectTimeout):
            return LLMTimeout(
                f"Ollama at {host} timed out ({type(exc).__name__})", partial_text=partial_text
            )
        if isinstance(exc, ConnectionError) and isinstance(exc.__context__, httpx.TransportError):
            # The client's non-streaming path replaces httpx's reason with a generic message.
            exc = exc.__context__
        if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | ConnectionError):
            return LLMUnavailable(f"cannot connect to Ollama at {host} ({_brief(exc)})")
        if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
            return LLMUnavailable(f"the Ollama host {host!r} is not a valid http(s) address")
        if isinstance(exc, _IncompleteStream):
            return LLMStreamError(
                "the Ollama stream ended before the answer was complete", partial_text=partial_text
            )
        if isinstance(exc, httpx.TransportError):
            return LLMStreamError(
                f"the connection to Ollama broke ({_brief(exc)})", partial_text=partial_text
            )
        if isinstance(exc, json.JSONDecodeError | pydantic.ValidationError):
            # Their messages may quote the model's output, so only the type is reported.
            return LLMStreamError(
                f"Ollama sent a malformed chunk ({type(exc).__name__})", partial_text=partial_text
            )
        return LLMStreamError(
            f"unexpected failure talking to Ollama ({type(exc).__name__})",
            partial_text=partial_text,
        )


def ollama_from_settings(settings: Settings) -> OllamaLLM:
    """Build the Ollama adapter from the app settings."""
    return OllamaLLM(
        settings.ollama_host,
        settings.ollama_model,
        connect_timeout=settings.ollama_connect_timeout,
        read_timeout=settings.ollama_read_timeout,
        first_token_timeout=settings.ollama_first_token_timeout,
        stall_timeout=settings.ollama_stall_timeout,
        keep_alive=settings.ollama_keep_alive,
        num_ctx=settings.ollama_num_ctx,
        num_predict=settings.ollama_num_predict,
    )


def _log_stats(chunk: ollama.ChatResponse) -> None:
    ns = 1e-9
    log.debug(
        "ollama answer done",
        extra={
            "done_reason": chunk.done_reason,
            "prompt_tokens": chunk.prompt_eval_count,
            "answer_tokens": chunk.eval_count,
            "load_seconds": round((chunk.load_duration or 0) * ns, 2),
            "total_seconds": round((chunk.total_duration or 0) * ns, 2),
        },
    )
    if chunk.done_reason == "length":
        log.info("ollama answer cut at num_predict tokens")


def _same_model(listed: str, wanted: str) -> bool:
    """Ollama names without a tag mean `:latest`, and compares names case-insensitively."""

    def normal(name: str) -> str:
        name = name.strip().casefold()
        return name if ":" in name.rsplit("/", 1)[-1] else f"{name}:latest"

    return normal(listed) == normal(wanted)


def _names_missing_model(text: str) -> bool:
    # Ollama: `model "llama3.2:3b" not found, try pulling it first` (older: single quotes).
    lowered = text.casefold()
    return lowered.startswith("model ") and "not found" in lowered


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else "no error message"
    return line[:_SERVER_TEXT_LIMIT]


def _brief(exc: BaseException) -> str:
    text = _first_line(str(exc)) if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
