"""A value built on first use, once, from any thread, optionally warmed in the background."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


class Lazy(Generic[T]):
    """Calls `factory` once, on first use or in `warm_up()`; thread-safe."""

    def __init__(self, factory: Callable[[], T], name: str) -> None:
        self._factory = factory
        self._name = name
        self._lock = threading.Lock()
        self._built = False
        self._value: T | None = None

    def __call__(self) -> T:
        """The value, building it now (and waiting for a build in progress) if needed."""
        if not self._built:
            with self._lock:
                if not self._built:
                    self._value = self._factory()
                    self._built = True
        return self._value  # type: ignore[return-value]

    def if_ready(self) -> T | None:
        """The value if it is already built; never waits."""
        return self._value if self._built else None

    def warm_up(self) -> None:
        """Build on a background thread; a failure is logged and retried on next use."""

        def _build() -> None:
            try:
                self()
            except Exception:
                log.exception("background start-up failed", extra={"component": self._name})

        threading.Thread(target=_build, name=f"warm-up-{self._name}", daemon=True).start()
