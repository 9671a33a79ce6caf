"""The numbers behind the mood charts, in the person's own time zone.

Entries are stored in naive UTC; `localise` converts each once with the IANA zone (zoneinfo), so
a day, a weekday and an hour are the person's own, DST included. The sums here are over at most a
few thousand entries, where plain Python is several times faster than building DataFrames (the
page has 0.5 s for everything); the insights, which compare groups, use pandas.
"""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.mood import EMOTIONS, MoodView

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = tuple(calendar.month_abbr)[1:]
_UTC = ZoneInfo("UTC")


@dataclass(frozen=True, slots=True)
class LocalMood:
    """An entry at its local time."""

    moment: datetime  # aware, in the person's zone
    score: int
    emotions: tuple[str, ...]

    @property
    def day(self) -> date:
        """The local day."""
        return self.moment.date()


@dataclass(frozen=True, slots=True)
class DayPoint:
    """One local day logged: its mean, how many entries, and the 7-day rolling mean."""

    day: date
    mean: float
    entries: int
    rolling_7: float


@dataclass(frozen=True, slots=True)
class Average:
    """The mean score of a group (a weekday, an hour) and how many entries it is over."""

    label: str
    mean: float | None
    entries: int


def localise(entries: Iterable[MoodView], timezone: str) -> list[LocalMood]:
    """Each entry at its local time in `timezone`."""
    zone = ZoneInfo(timezone)
    return [
        LocalMood(
            entry.logged_at.replace(tzinfo=_UTC).astimezone(zone), entry.score, entry.emotions
        )
        for entry in entries
    ]


def between(moods: Sequence[LocalMood], start: date, end: date) -> list[LocalMood]:
    """The entries whose local day is within `start`..`end` (both included)."""
    return [mood for mood in moods if start <= mood.day <= end]


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def daily(moods: Sequence[LocalMood]) -> list[DayPoint]:
    """Per local day logged, oldest first: mean score, entries, and the mean of the daily means
    of the 7 calendar days ending that day (days without an entry are skipped, not zero)."""
    per_day: dict[date, list[int]] = defaultdict(list)
    for mood in moods:
        per_day[mood.day].append(mood.score)
    means = {day: _mean(scores) for day, scores in per_day.items()}
    points = []
    for day in sorted(means):
        window = [means[d] for d in (day - timedelta(days=back) for back in range(7)) if d in means]
        points.append(DayPoint(day, means[day], len(per_day[day]), _mean(window)))
    return points


def pixels(moods: Sequence[LocalMood], year: int) -> list[list[float | None]]:
    """Year in pixels: 31 rows (day of month) of 12 months of daily means; None where nothing was
    logged or the date doesn't exist (30 February)."""
    grid: list[list[float | None]] = [[None] * 12 for _ in range(31)]
    for point in daily([mood for mood in moods if mood.moment.year == year]):
        grid[point.day.day - 1][point.day.month - 1] = point.mean
    return grid


def years(moods: Sequence[LocalMood]) -> list[int]:
    """The years with at least one entry, newest first."""
    return sorted({mood.moment.year for mood in moods}, reverse=True)


def emotion_counts(moods: Sequence[LocalMood]) -> list[tuple[str, int]]:
    """How often each emotion was picked, most frequent first (never-picked ones left out)."""
    counts = Counter(emotion for mood in moods for emotion in mood.emotions if emotion in EMOTIONS)
    return sorted(counts.items(), key=lambda item: (-item[1], EMOTIONS.index(item[0])))


def _averages(groups: dict[int, list[int]], labels: Sequence[str]) -> list[Average]:
    return [
        Average(label, _mean(groups[key]) if groups.get(key) else None, len(groups.get(key, [])))
        for key, label in enumerate(labels)
    ]


def by_weekday(moods: Sequence[LocalMood]) -> list[Average]:
    """Mean score and number of entries per local weekday, Monday first."""
    groups: dict[int, list[int]] = defaultdict(list)
    for mood in moods:
        groups[mood.moment.weekday()].append(mood.score)
    return _averages(groups, WEEKDAYS)


def by_hour(moods: Sequence[LocalMood]) -> list[Average]:
    """Mean score and number of entries per local hour, 0-23 (hours without entries: no mean)."""
    groups: dict[int, list[int]] = defaultdict(list)
    for mood in moods:
        groups[mood.moment.hour].append(mood.score)
    return _averages(groups, [f"{hour:02d}" for hour in range(24)])
