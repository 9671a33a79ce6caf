"""A steady send rate: `rate` sends a second from this process, evenly spaced.

A worker is not busy all the time (it waits for the next tick, a claim, the database), and a
pacer that only ever spaced sends would lose every such pause for good: at a load equal to the
configured rate the backlog could then only grow. So a pause may be made up: after one, up to
`catch_up` seconds' worth of sends go as fast as the pool sends them, then the even spacing
resumes. Over any T seconds at most `rate * (T + catch_up) + 1` sends start; Twilio queues a
short burst, and it is the sustained rate that must stay within its limits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Pacer:
    """Spaces calls `1/rate` seconds apart across the threads of one process, letting up to
    `catch_up` seconds of missed slots be made up after a pause."""

    def __init__(
        self,
        rate: float,
        *,
        catch_up: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        if catch_up < 0:
            raise ValueError("catch_up must not be negative")
        self._interval = 1.0 / rate
        self._catch_up = catch_up
        self._monotonic = monotonic
        self._sleep = sleep
        self._next = float("-inf")  # the next free slot on the even schedule
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until this caller's slot comes."""
        with self._lock:
            now = self._monotonic()
            slot = max(self._next, now - self._catch_up)
            self._next = slot + self._interval
        if slot > now:
            self._sleep(slot - now)
