"""Time helpers: the database stores naive UTC; the app converts at the edges."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Now, as naive UTC with microseconds (the form every table stores)."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_naive_utc(moment: datetime) -> datetime:
    """Convert an aware datetime to naive UTC; naive values are taken as UTC already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def from_timestamp(seconds: float) -> datetime:
    """A POSIX timestamp as naive UTC."""
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)
