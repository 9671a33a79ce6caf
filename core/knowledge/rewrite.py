"""Asking the language model to turn a vague message into a search query, within a deadline.

"its all too much today i cant" names no topic a search can match; a model can say "overwhelm,
stress, low mood". This is a bonus on top of the offline search, never a dependency: the call
runs in a daemon thread and the search waits at most `timeout` seconds for it, so a slow or
stopped Ollama costs at most that much (and nothing once it has been seen down). The caller
never sends a crisis message here (`core.knowledge.hybrid` checks first).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from core.ports import LLM, ChatMessage, LLMError

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 200
# After a failure the model is not asked again for this long, so a stopped server costs one
# connection attempt, not one per message.
RETRY_AFTER_SECONDS = 60.0

INSTRUCTION = (
    "You turn a message someone wrote to a mental-health companion into a short English search "
    "query for a library of self-help guides. Name the problems or needs the person has, in "
    "plain English words (for example: 'panic attack', 'grief after a pet died', 'caring for "
    "a parent in hospital', 'losing temper with my child'). Reply with the query only, at most "
    "twelve words, no quotes, no advice."
)


class QueryRewriter:
    """Rewrites a message into a search query with the LLM, or gives up after `timeout`."""

    def __init__(
        self,
        llm: LLM,
        *,
        timeout: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._llm = llm
        self._timeout = timeout
        self._clock = clock
        self._failed_at: float | None = None

    def rewrite(self, message: str) -> str | None:
        """The model's query for `message`, or None if it failed or was not back in time."""
        if self._failed_at is not None and self._clock() - self._failed_at < RETRY_AFTER_SECONDS:
            return None
        result: list[str] = []
        failed = threading.Event()
        done = threading.Event()
        cancelled = threading.Event()

        def run() -> None:
            try:
                result.append(self._ask(message, cancelled))
            except LLMError:
                failed.set()
            except Exception:  # any failure here must only cost the rewrite
                log.warning("query rewrite failed", exc_info=True)
                failed.set()
            finally:
                done.set()

        threading.Thread(target=run, name="query-rewrite", daemon=True).start()
        if not done.wait(self._timeout):
            cancelled.set()
            log.info("query rewrite timed out", extra={"timeout_s": self._timeout})
            return None
        if failed.is_set() or not result:
            self._failed_at = self._clock()
            return None
        self._failed_at = None
        return _clean(result[0])

    def _ask(self, message: str, cancelled: threading.Event) -> str:
        prompt = [
            ChatMessage(role="system", content=INSTRUCTION),
            ChatMessage(role="user", content=message),
        ]
        pieces: list[str] = []
        stream = self._llm.stream_chat(prompt)
        try:
            for piece in stream:
                pieces.append(piece)
                if cancelled.is_set() or sum(map(len, pieces)) > MAX_QUERY_CHARS:
                    break
        finally:
            close = getattr(stream, "close", None)
            if callable(close):
                close()
        return "".join(pieces)


def _clean(text: str) -> str | None:
    """The first line of the reply, without quotes, cut to MAX_QUERY_CHARS; None if empty."""
    lines = [line.strip().strip("\"'`") for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return None
    first = lines[0]
    if first.lower().startswith("query:"):
        first = first[len("query:") :].strip()
    return first[:MAX_QUERY_CHARS] or None
