"""A value built on first use, once, from any thread, optionally warmed in the background.

A build that fails is not retried on every use: `warm_up()` waits out a backoff that doubles
after each failure (up to `max_backoff` seconds), the first failure of a run of failures is
logged as an error and the rest quietly, and `status` tells what happened, so a missing model
becomes a visible health state instead of a log line on every chat turn.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

State = Literal["not started", "loading", "ready", "failed"]


def keep_for_good() -> None:
    """Move every object alive now out of the garbage collector's view, after a model loads.

    A loaded model is hundreds of thousands of objects that live as long as the process; a full
    collection walks them all (about a second here, holding the GIL), which stalls the live
    video and every page. Frozen, they are never walked again. What is garbage already is
    collected first, so only live objects are kept.
    """
    gc.collect()
    gc.freeze()


@dataclass(frozen=True, slots=True)
class LazyStatus:
    """Where a lazily built component stands; `detail` is the last failure, safe to show."""

    name: str
    state: State
    detail: str = ""
    failures: int = 0


class Lazy(Generic[T]):
    """Calls `factory` once, on first use or in `warm_up()`; thread-safe."""

    def __init__(
        self,
        factory: Callable[[], T],
        name: str,
        *,
        first_backoff: float = 5.0,
        max_backoff: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._factory = factory
        self._name = name
        self._lock = threading.Lock()
        self._built = False
        self._value: T | None = None
        self._loading = False
        self._failures = 0
        self._detail = ""
        self._retry_at = 0.0
        self._first_backoff = first_backoff
        self._max_backoff = max_backoff
        self._clock = clock

    def __call__(self) -> T:
        """The value, building it now (and waiting for a build in progress) if needed.

        Raises what the factory raised; the failure is recorded for `status` and the backoff.
        """
        if not self._built:
            with self._lock:
                if not self._built:
                    self._build()
        return self._value  # type: ignore[return-value]

    def _build(self) -> None:
        self._loading = True
        try:
            self._value = self._factory()
        except Exception as exc:
            self._record_failure(exc)
            raise
        finally:
            self._loading = False
        self._built = True
        keep_for_good()
        if self._failures:
            log.warning("component recovered", extra={"component": self._name})
        self._failures, self._detail = 0, ""

    def _record_failure(self, exc: Exception) -> None:
        self._failures += 1
        self._detail = str(exc)[:300] or type(exc).__name__
        backoff = min(self._max_backoff, self._first_backoff * 2 ** (self._failures - 1))
        self._retry_at = self._clock() + backoff
        extra = {"component": self._name, "error_type": type(exc).__name__, "retry_in": backoff}
        if self._failures == 1:
            log.error("component failed to start", extra={**extra, "reason": self._detail})
        else:
            log.debug("component still failing", extra=extra)

    def if_ready(self) -> T | None:
        """The value if it is already built; never waits."""
        return self._value if self._built else None

    def ready_or_start(self) -> T | None:
        """The value if it is built; otherwise start building it in the background (unless it
        is backing off) and return None at once. For callers that must never wait on it."""
        value = self.if_ready()
        if value is None and not self._built:
            self.warm_up()
        return value

    @property
    def status(self) -> LazyStatus:
        """Not started, loading, ready, or failed (with the reason)."""
        if self._built:
            return LazyStatus(self._name, "ready")
        if self._loading:
            return LazyStatus(self._name, "loading", self._detail, self._failures)
        if self._failures:
            return LazyStatus(self._name, "failed", self._detail, self._failures)
        return LazyStatus(self._name, "not started")

    def warm_up(self) -> None:
        """Build on a background thread, unless built, building, or backing off after a failure."""
        if self._built or self._loading or self._clock() < self._retry_at:
            return

        def _build() -> None:
            try:
                self()
            except Exception:  # recorded (and logged once) by _build
                pass

        threading.Thread(target=_build, name=f"warm-up-{self._name}", daemon=True).start()
