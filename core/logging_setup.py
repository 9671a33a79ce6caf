"""Structured (JSON) logs carrying request and user ids; never message text or secrets."""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

_request_id: ContextVar[str] = ContextVar("request_id", default="")
_user_id: ContextVar[str] = ContextVar("user_id", default="")


def current_request_id() -> str:
    """The id of the request (Streamlit rerun, webhook call, worker tick) being handled."""
    return _request_id.get()


def new_error_id() -> str:
    """A short id a person can quote to support; it appears in the matching log line."""
    return uuid.uuid4().hex[:10]


@contextmanager
def log_context(*, user_id: str | None = None, request_id: str | None = None) -> Iterator[str]:
    """Tag every log line inside the block with a request id (new if not given) and user id."""
    rid = request_id or uuid.uuid4().hex[:16]
    request_token = _request_id.set(rid)
    user_token = _user_id.set(user_id or "")
    try:
        yield rid
    finally:
        _request_id.reset(request_token)
        _user_id.reset(user_token)


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = _request_id.get()
        if not getattr(record, "user_id", None):
            record.user_id = _user_id.get()
        return True


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    """Send logs to stderr, as JSON lines (default) or plain text; safe to call twice."""
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "_companion", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler._companion = True  # type: ignore[attr-defined]
    handler.addFilter(_ContextFilter())
    if fmt == "json":
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s",
                rename_fields={"levelname": "level", "asctime": "time"},
            )
        )
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
    root.addHandler(handler)
    root.setLevel(level.upper())
    # Third-party request logs can echo URLs and bodies; keep them quiet.
    for noisy in ("httpx", "httpcore", "urllib3", "twilio.http_client", "sentence_transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
