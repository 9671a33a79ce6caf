"""A clock the test moves by hand."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.timeutil import utcnow


class FakeClock:
    """`Clock` port: stands still until `advance` or `set` moves it."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or utcnow()

    def now(self) -> datetime:
        """The time the test set, naive UTC."""
        return self._now

    def advance(self, **delta: float) -> None:
        """Move forward by `timedelta(**delta)`."""
        self._now += timedelta(**delta)

    def set(self, moment: datetime) -> None:
        """Jump to `moment` (naive UTC)."""
        self._now = moment
