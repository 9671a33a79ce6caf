"""Insights: a weekly summary, and how mood goes with a factor (a tag, journaling, sleep…).

For each factor, the local days the person logged a mood are split into days *with* the factor
and days *without* it, and the mean of the daily mean moods is compared (pandas). A difference
is shown only with at least `MIN_DAYS` days on each side (as Bearable does), always with the
number of days and both means, and it is called a correlation: a factor and a mood can move
together for reasons neither of them causes.

Factors come from `FACTOR_SOURCES`: functions that, given a user's unit of work and the window,
return `FactorDays` (which days had the factor, and on which days it was known at all). A new
feature (sleep duration, breathing sessions) plugs in by appending one such function.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy.engine import RowMapping

from core.breathing import breathing_sessions_by_day
from core.db.models import JournalEntry, MoodEntry
from core.mood import TagBook, local_day
from core.sleep import sleep_hours_by_night
from core.store import UserStore, UserUnit

MIN_DAYS = 3
WINDOW_DAYS = 90
RULE = (
    f"A difference is shown once there are at least {MIN_DAYS} days with the factor and "
    f"{MIN_DAYS} days without it, among the days you logged a mood in the last {WINDOW_DAYS} days. "
    "It is a correlation, not proof that one causes the other."
)


@dataclass(frozen=True, slots=True)
class Window:
    """The local days looked at (`start`..`end`, both included) and their UTC bounds."""

    start: date
    end: date
    timezone: str
    since: datetime  # naive UTC, included
    until: datetime  # naive UTC, excluded
    # The window's mood rows (id, score, emotions, tags, logged_at), read once for every source.
    moods: tuple[RowMapping, ...] = ()

    @classmethod
    def ending(cls, now: datetime, timezone: str, days: int = WINDOW_DAYS) -> Window:
        """The `days` local days ending today (in `timezone`)."""
        zone = ZoneInfo(timezone)
        end = local_day(now, timezone)
        start = end - timedelta(days=days - 1)
        return cls(start, end, timezone, _utc_midnight(start, zone), _utc_midnight(end, zone, 1))

    def day_of(self, moment: datetime) -> date:
        """The local day of a naive-UTC moment."""
        return local_day(moment, self.timezone)


def _utc_midnight(day: date, zone: ZoneInfo, plus_days: int = 0) -> datetime:
    local = datetime.combine(day + timedelta(days=plus_days), datetime.min.time(), zone)
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


@dataclass(frozen=True, slots=True)
class FactorDays:
    """One factor: the days it was present, and the days it was known (None: every day)."""

    key: str
    label: str  # may be the person's own words (a tag): show it escaped
    present: frozenset[date]
    known: frozenset[date] | None = None


FactorSource = Callable[[UserUnit, Window], Iterable[FactorDays]]


@dataclass(frozen=True, slots=True)
class FactorEffect:
    """Mean mood on days with and without a factor, and how many days each mean is over."""

    key: str
    label: str
    mean_with: float
    mean_without: float
    days_with: int
    days_without: int

    @property
    def difference(self) -> float:
        """Mean with minus mean without, in points of the 1-10 scale."""
        return self.mean_with - self.mean_without

    def sentence(self, label: str | None = None) -> str:
        """The finding in words, with its numbers; `label` replaces the label (e.g. escaped)."""
        name = label if label is not None else self.label
        gap = abs(round(self.difference, 1))
        if gap == 0:
            direction = "about the same as"
        else:
            direction = f"{gap:.1f} points {'higher' if self.difference > 0 else 'lower'} than"
        return (
            f"On days with {name}, your mood averaged {self.mean_with:.1f} "
            f"({self.days_with} days), {direction} on days without it: {self.mean_without:.1f} "
            f"({self.days_without} days). A correlation, not a cause."
        )


@dataclass(frozen=True, slots=True)
class NotEnoughData:
    """A factor seen too rarely (or too often) to compare yet."""

    key: str
    label: str
    days_with: int
    days_without: int


@dataclass(frozen=True, slots=True)
class WeeklySummary:
    """The last seven local days against the seven before."""

    start: date
    end: date
    days_logged: int
    entries: int
    mean: float | None
    lowest: int | None
    highest: int | None
    previous_mean: float | None
    top_emotions: tuple[tuple[str, int], ...]

    def sentences(self) -> list[str]:
        """The summary in words, with its numbers."""
        span = f"{self.start:%a %d %b} – {self.end:%a %d %b}"
        if not self.entries or self.mean is None:
            return [f"No moods logged this week ({span}). One tap on a face is enough."]
        lines = [
            f"This week ({span}) you logged {self.entries} "
            f"{'entry' if self.entries == 1 else 'entries'} on {self.days_logged} of 7 days; "
            f"your mood averaged {self.mean:.1f} (lowest {self.lowest}, highest {self.highest})."
        ]
        if self.previous_mean is not None:
            change = self.mean - self.previous_mean
            trend = (
                "about the same as"
                if abs(change) < 0.05
                else f"{abs(change):.1f} points {'up on' if change > 0 else 'down on'}"
            )
            lines.append(f"That is {trend} the week before ({self.previous_mean:.1f}).")
        if self.top_emotions:
            named = ", ".join(f"{emotion} ({count})" for emotion, count in self.top_emotions)
            lines.append(f"Emotions you picked most: {named}.")
        return lines


@dataclass(frozen=True, slots=True)
class Insights:
    """Everything the insight panel shows."""

    summary: WeeklySummary
    effects: tuple[FactorEffect, ...]
    not_enough: tuple[NotEnoughData, ...]
    days_logged: int
    rule: str = RULE


def daily_means(days: Sequence[date], scores: Sequence[int]) -> pd.Series:
    """The mean score of each local day (index: day)."""
    if not days:
        return pd.Series(dtype=float)
    return pd.Series(list(scores), index=list(days), dtype=float).groupby(level=0).mean()


def compare(
    means: pd.Series, factors: Iterable[FactorDays], min_days: int = MIN_DAYS
) -> tuple[list[FactorEffect], list[NotEnoughData]]:
    """For each factor, mean mood with and without it over the days in `means`; a factor with
    fewer than `min_days` on either side goes to the second list. Largest differences first."""
    effects: list[FactorEffect] = []
    lacking: list[NotEnoughData] = []
    logged = set(means.index)
    for factor in factors:
        known = logged if factor.known is None else logged & factor.known
        with_days = sorted(known & factor.present)
        without_days = sorted(known - factor.present)
        if len(with_days) < min_days or len(without_days) < min_days:
            lacking.append(
                NotEnoughData(factor.key, factor.label, len(with_days), len(without_days))
            )
            continue
        effects.append(
            FactorEffect(
                key=factor.key,
                label=factor.label,
                mean_with=float(means.loc[with_days].mean()),
                mean_without=float(means.loc[without_days].mean()),
                days_with=len(with_days),
                days_without=len(without_days),
            )
        )
    effects.sort(key=lambda effect: (-abs(effect.difference), effect.label.casefold()))
    return effects, lacking


def weekly_summary(
    entries: Sequence[tuple[date, int, Sequence[str]]], today: date
) -> WeeklySummary:
    """The 7 local days ending `today` (day, score, emotions per entry) vs the 7 before."""
    start, before = today - timedelta(days=6), today - timedelta(days=13)
    week = [entry for entry in entries if start <= entry[0] <= today]
    previous = [entry for entry in entries if before <= entry[0] < start]
    scores = [score for _, score, _ in week]
    emotions = Counter(emotion for _, _, picked in week for emotion in picked)
    return WeeklySummary(
        start=start,
        end=today,
        days_logged=len({day for day, _, _ in week}),
        entries=len(week),
        mean=_mean_of_days(week),
        lowest=min(scores) if scores else None,
        highest=max(scores) if scores else None,
        previous_mean=_mean_of_days(previous),
        top_emotions=tuple(emotions.most_common(3)),
    )


def _mean_of_days(entries: Sequence[tuple[date, int, Sequence[str]]]) -> float | None:
    """The mean of daily means (a day logged three times weighs as much as a day logged once)."""
    if not entries:
        return None
    means = daily_means([day for day, _, _ in entries], [score for _, score, _ in entries])
    return float(means.mean())


# --- factor sources ------------------------------------------------------------------------------


def tag_factors(unit: UserUnit, window: Window) -> list[FactorDays]:
    """Each activity or people tag used in the window: the days an entry carried it."""
    tags = TagBook(unit)
    present: dict[str, set[date]] = {}
    for row in window.moods:
        for tag_id in filter(None, row["tags"].split(",")):
            present.setdefault(tag_id, set()).add(window.day_of(row["logged_at"]))
    return [
        FactorDays(f"tag:{tag_id}", tags.by_id[tag_id].name, frozenset(days))
        for tag_id, days in present.items()
        if tag_id in tags.by_id
    ]


def journaling_factor(unit: UserUnit, window: Window) -> list[FactorDays]:
    """The days the person wrote in their journal."""
    rows = unit.values(JournalEntry, ["id", "created_at"], since=window.since, until=window.until)
    days = frozenset(window.day_of(row["created_at"]) for row in rows)
    return [FactorDays("journal", "journaling", days)]


GOOD_SLEEP_HOURS = 7.0


def sleep_factor(unit: UserUnit, window: Window) -> list[FactorDays]:
    """The days after a night of at least GOOD_SLEEP_HOURS of sleep; known on days after a
    night in the diary (typed or imported), so days without a diary night don't count."""
    hours = sleep_hours_by_night(unit, window.timezone)
    known = frozenset(night + timedelta(days=1) for night in hours)
    present = frozenset(
        night + timedelta(days=1) for night, slept in hours.items() if slept >= GOOD_SLEEP_HOURS
    )
    label = f"{GOOD_SLEEP_HOURS:g} hours of sleep or more the night before"
    return [FactorDays("sleep", label, present, known)]


def breathing_factor(unit: UserUnit, window: Window) -> list[FactorDays]:
    """The days with at least one completed breathing session."""
    days = breathing_sessions_by_day(unit, window.timezone)
    present = frozenset(day for day, count in days.items() if count > 0)
    return [FactorDays("breathing", "a breathing session", present)]


# One function per factor family.
FACTOR_SOURCES: tuple[FactorSource, ...] = (
    tag_factors,
    journaling_factor,
    sleep_factor,
    breathing_factor,
)


class InsightsService:
    """The weekly summary and the factor comparisons of one user."""

    def __init__(self, *, store: UserStore, sources: Sequence[FactorSource] | None = None) -> None:
        self._store = store
        self._sources = tuple(sources) if sources is not None else None

    def for_user(self, *, user_id: str, timezone: str) -> Insights:
        """Insights over the last `WINDOW_DAYS` local days in `timezone`."""
        window = Window.ending(self._store.clock.now(), timezone)
        with self._store.unit(user_id) as unit:
            rows = unit.values(
                MoodEntry,
                ["id", "score", "emotions", "tags", "logged_at"],
                time_column="logged_at",
                since=window.since,
                until=window.until,
            )
            window = replace(window, moods=tuple(rows))
            entries = [
                (
                    window.day_of(row["logged_at"]),
                    row["score"],
                    [emotion for emotion in row["emotions"].split(",") if emotion],
                )
                for row in rows
            ]
            factors = [
                factor
                for source in (self._sources if self._sources is not None else FACTOR_SOURCES)
                for factor in source(unit, window)
            ]
        means = daily_means([day for day, _, _ in entries], [score for _, score, _ in entries])
        effects, lacking = compare(means, factors)
        return Insights(
            summary=weekly_summary(entries, window.end),
            effects=tuple(effects),
            not_enough=tuple(lacking),
            days_logged=len(means),
        )
