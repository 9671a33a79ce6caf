"""When a schedule fires: local wall-clock times turned into UTC instants, DST-safe.

A schedule says "09:00 on Mondays and Thursdays in Europe/London". Each matching *local date*
gives exactly one occurrence, so a DST change can neither skip nor double it:
- a time that does not exist that day (the spring gap, e.g. 01:30 when clocks jump 01:00->02:00)
  is read with the offset before the change (PEP 495 fold=0), i.e. it fires the same amount of
  time after the gap starts (02:30 local);
- a time that happens twice (the autumn overlap) fires at its first occurrence (fold=0).
Quiet hours hold an occurrence until they end, in the same zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from core.errors import InvalidInput

ALL_DAYS = "0123456"  # Monday = 0, as datetime.weekday()
_MAX_SCAN_DAYS = 8  # any non-empty day set matches within a week


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A schedule's timing: local time of day, weekdays, zone and optional quiet hours."""

    time_of_day: time
    days: frozenset[int]
    zone: ZoneInfo
    quiet_start: time | None = None
    quiet_end: time | None = None

    @classmethod
    def parse(
        cls,
        *,
        time_of_day: str,
        days_of_week: str,
        timezone: str,
        quiet_start: str | None = None,
        quiet_end: str | None = None,
    ) -> Recurrence:
        """Validate the stored strings; `InvalidInput` with a kind message when one is wrong."""
        days = frozenset(int(d) for d in days_of_week if d in ALL_DAYS)
        if (
            not days
            or len(days_of_week) != len(set(days_of_week))
            or len(days) != len(days_of_week)
        ):
            raise InvalidInput("Choose at least one day of the week.")
        if (quiet_start is None) != (quiet_end is None):
            raise InvalidInput("Quiet hours need both a start and an end.")
        start = parse_clock(quiet_start) if quiet_start else None
        end = parse_clock(quiet_end) if quiet_end else None
        if start is not None and start == end:
            raise InvalidInput("Quiet hours must start and end at different times.")
        return cls(parse_clock(time_of_day), days, zone_named(timezone), start, end)

    def occurrences(self, after: datetime, until: datetime) -> Iterator[datetime]:
        """Occurrences (naive UTC) with `after < t <= until`, in order."""
        day = _local_date(after, self.zone) - timedelta(days=1)
        last = _local_date(until, self.zone) + timedelta(days=1)
        while day <= last:
            if day.weekday() in self.days:
                moment = to_utc(day, self.time_of_day, self.zone)
                if after < moment <= until:
                    yield moment
            day += timedelta(days=1)

    def next_after(self, after: datetime) -> datetime:
        """The first occurrence (naive UTC) strictly after `after`."""
        horizon = after + timedelta(days=_MAX_SCAN_DAYS + 1)
        return next(self.occurrences(after, horizon))

    def due_at(self, occurrence: datetime) -> datetime:
        """When an occurrence may be sent: itself, or the end of the quiet hours it falls in."""
        if self.quiet_start is None or self.quiet_end is None:
            return occurrence
        local = occurrence.replace(tzinfo=UTC).astimezone(self.zone)
        clock = local.time().replace(tzinfo=None)
        start, end = self.quiet_start, self.quiet_end
        inside = start <= clock < end if start < end else clock >= start or clock < end
        if not inside:
            return occurrence
        end_day = local.date() if clock < end else local.date() + timedelta(days=1)
        return to_utc(end_day, end, self.zone)


def parse_clock(value: str) -> time:
    """ "HH:MM" (24-hour) as a time; `InvalidInput` otherwise."""
    try:
        parsed = datetime.strptime(value.strip(), "%H:%M")
    except (ValueError, AttributeError) as exc:
        raise InvalidInput("Times are written as HH:MM, for example 08:30.") from exc
    return parsed.time()


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone `name`; `InvalidInput` for an unknown one."""
    if not name or name not in _zones():
        raise InvalidInput("Choose a time zone from the list.")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput("Choose a time zone from the list.") from exc


def to_utc(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """The naive-UTC instant of local `day` at `clock` in `zone` (fold=0: see the module doc)."""
    local = datetime.combine(day, clock, tzinfo=zone)
    return local.astimezone(UTC).replace(tzinfo=None)


def _local_date(moment: datetime, zone: ZoneInfo) -> date:
    return moment.replace(tzinfo=UTC).astimezone(zone).date()


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())  # read once: it walks the tz database
