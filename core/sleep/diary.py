"""The sleep diary's entry: Consensus Sleep Diary fields as a person types them, checked.

A person types clock times in their own time zone. `from_clock_times` places each one at its
next occurrence after the one before (a bedtime before noon is taken as after midnight), and
`DiaryInput.night()` turns the local moments into UTC with zoneinfo, so a night that crosses
midnight or a DST change has its true length. Every rule is checked before anything is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.errors import InvalidInput
from core.textinput import replace_lone_surrogates

MAX_HOURS_IN_BED = 16  # a longer "night" is almost surely a typo (wrong AM/PM, wrong day)
MAX_MINUTES = 16 * 60
MAX_AWAKENINGS = 60
MAX_NAPS = 10
MAX_DRINKS = 30
MAX_NOTE_CHARS = 2_000
_NOON = time(12, 0)


@dataclass(frozen=True, slots=True)
class Night:
    """One night as stored: moments in naive UTC, the zone it was lived in, the counts."""

    night_of: date
    timezone: str
    bed_time: datetime
    lights_out: datetime
    sleep_latency_minutes: int
    awakenings: int
    wake_minutes: int
    wake_time: datetime
    out_of_bed: datetime
    quality: int | None = None
    naps: int = 0
    nap_minutes: int = 0
    caffeine_drinks: int = 0
    caffeine_last: datetime | None = None
    alcohol_drinks: int = 0
    alcohol_last: datetime | None = None
    source: str = "diary"


@dataclass(frozen=True, slots=True)
class DiaryInput:
    """What the diary form gives: local wall-clock moments (naive) in `timezone`, and counts."""

    night_of: date
    timezone: str
    bed_time: datetime
    lights_out: datetime
    sleep_latency_minutes: int
    awakenings: int
    wake_minutes: int
    wake_time: datetime
    out_of_bed: datetime
    quality: int
    naps: int = 0
    nap_minutes: int = 0
    caffeine_drinks: int = 0
    caffeine_last: datetime | None = None
    alcohol_drinks: int = 0
    alcohol_last: datetime | None = None
    note: str = ""

    def night(self) -> Night:
        """The checked night in UTC; `InvalidInput` with a kind message for any broken rule."""
        zone = zone_of(self.timezone)
        _check_counts(self)
        moments = [_utc(moment, zone) for moment in self._moments()]
        bed, lights, wake, up = moments
        _check_order(bed, lights, wake, up)
        _check_minutes(self, lights, wake)
        return Night(
            night_of=self.night_of,
            timezone=self.timezone,
            bed_time=bed,
            lights_out=lights,
            sleep_latency_minutes=self.sleep_latency_minutes,
            awakenings=self.awakenings,
            wake_minutes=self.wake_minutes,
            wake_time=wake,
            out_of_bed=up,
            quality=self.quality,
            naps=self.naps,
            nap_minutes=self.nap_minutes if self.naps else 0,
            caffeine_drinks=self.caffeine_drinks,
            caffeine_last=_drink_time(self.caffeine_drinks, self.caffeine_last, zone),
            alcohol_drinks=self.alcohol_drinks,
            alcohol_last=_drink_time(self.alcohol_drinks, self.alcohol_last, zone),
        )

    def clean_note(self) -> str:
        """The note, trimmed and checked for length."""
        if not isinstance(self.note, str):
            raise InvalidInput("The note must be text.")
        note = replace_lone_surrogates(self.note.strip())
        if len(note) > MAX_NOTE_CHARS:
            raise InvalidInput(f"Notes are at most {MAX_NOTE_CHARS:,} characters.")
        return note

    def _moments(self) -> list[datetime]:
        moments = [self.bed_time, self.lights_out, self.wake_time, self.out_of_bed]
        if not all(isinstance(moment, datetime) for moment in moments):
            raise InvalidInput("Please give the four times of the night.")
        return moments


def zone_of(name: str) -> ZoneInfo:
    """The IANA time zone `name`; `InvalidInput` if there is none by that name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as unknown:
        raise InvalidInput("That time zone isn't known; choose yours in Settings.") from unknown


def from_clock_times(night_of: date, clocks: list[time]) -> list[datetime]:
    """Local moments for clock times typed in order (bed, lights out, wake, out of bed).

    The first is on `night_of`, or the next day when before noon (going to bed at 00:30); each
    next one is its first occurrence at or after the one before.
    """
    first = clocks[0]
    start = night_of + timedelta(days=1) if first < _NOON else night_of
    moments = [datetime.combine(start, first)]
    for clock in clocks[1:]:
        moment = datetime.combine(moments[-1].date(), clock)
        if moment < moments[-1]:
            moment += timedelta(days=1)
        moments.append(moment)
    return moments


def last_before(moment: datetime, clock: time) -> datetime:
    """The latest local moment at `clock` no later than `moment` (a drink's last time)."""
    candidate = datetime.combine(moment.date(), clock)
    return candidate if candidate <= moment else candidate - timedelta(days=1)


def local(moment: datetime, timezone: str) -> datetime:
    """A stored naive-UTC moment as naive wall-clock time in `timezone`."""
    return moment.replace(tzinfo=UTC).astimezone(zone_of(timezone)).replace(tzinfo=None)


def _utc(moment: datetime, zone: ZoneInfo) -> datetime:
    # A wall time in the spring-forward gap or the fall-back hour takes fold=0 (the earlier
    # offset); durations between UTC moments are then the real elapsed time.
    return moment.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def _drink_time(drinks: int, moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    return _utc(moment, zone) if drinks and moment is not None else None


def _check_counts(entry: DiaryInput) -> None:
    ranges = (
        (entry.sleep_latency_minutes, MAX_MINUTES, "Minutes to fall asleep"),
        (entry.wake_minutes, MAX_MINUTES, "Minutes awake in the night"),
        (entry.awakenings, MAX_AWAKENINGS, "Times you woke up"),
        (entry.naps, MAX_NAPS, "Naps"),
        (entry.nap_minutes, MAX_MINUTES, "Minutes napping"),
        (entry.caffeine_drinks, MAX_DRINKS, "Caffeinated drinks"),
        (entry.alcohol_drinks, MAX_DRINKS, "Alcoholic drinks"),
    )
    for value, most, label in ranges:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(f"{label}: please give a whole number.")
        if value < 0:
            raise InvalidInput(f"{label} can't be negative.")
        if value > most:
            raise InvalidInput(f"{label}: at most {most}, please check the number.")
    if isinstance(entry.quality, bool) or entry.quality not in range(1, 6):
        raise InvalidInput("Rate the quality of your sleep from 1 (very poor) to 5 (very good).")


def _check_order(bed: datetime, lights: datetime, wake: datetime, up: datetime) -> None:
    if wake <= bed:
        raise InvalidInput("Your wake time is before your bedtime. Please check both times.")
    if lights < bed:
        raise InvalidInput("Lights out comes before getting into bed. Please check the times.")
    if wake < lights:
        raise InvalidInput("Your wake time is before lights out. Please check the times.")
    if up < wake:
        raise InvalidInput("Getting out of bed comes before waking up. Please check the times.")
    hours = (up - bed).total_seconds() / 3600
    if hours > MAX_HOURS_IN_BED:
        raise InvalidInput(
            f"That is {hours:.0f} hours in bed, more than {MAX_HOURS_IN_BED}: please check the "
            "times (is the wake time after the bedtime, AM and PM right?)."
        )


def _check_minutes(entry: DiaryInput, lights: datetime, wake: datetime) -> None:
    window = (wake - lights).total_seconds() / 60
    if entry.sleep_latency_minutes + entry.wake_minutes > window:
        raise InvalidInput(
            "The minutes to fall asleep and awake in the night add up to more than the time "
            f"from lights out to waking ({window:.0f} minutes). Please check them."
        )
