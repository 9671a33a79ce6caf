"""The breathing coach: patterns, custom patterns checked, sessions saved with stress ratings.

Patterns live in `data/breathing_patterns.yaml`; a custom pattern is four phases in seconds
(in, hold, out, hold). The browser pacer keeps time itself; a completed session is saved here
with its pattern, length and the stress ratings (1-10) before and after.
`breathing_sessions_by_day(unit, tz)` is the plain function insights use.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Literal

import yaml

from core.db.models import BreathingSession
from core.errors import InvalidInput
from core.journal_forms import local_date, local_time
from core.store import UserStore, UserUnit

PATTERNS_FILE = Path(__file__).resolve().parents[1] / "data" / "breathing_patterns.yaml"
CUSTOM = "custom"
MAX_PHASE_SECONDS = 20.0
MAX_CYCLE_SECONDS = 60.0  # one breath longer than a minute is not a breathing pattern
MIN_SESSION_SECONDS = 30
MAX_SESSION_SECONDS = 30 * 60
PhaseKind = Literal["in", "hold", "out"]
LABELS: dict[str, str] = {"in": "Breathe in", "hold": "Hold", "out": "Breathe out"}


@dataclass(frozen=True, slots=True)
class Phase:
    """One step of a breath: in, hold or out, for `seconds`."""

    kind: PhaseKind
    seconds: float
    label: str = ""

    @property
    def shown(self) -> str:
        """What the pacer says during this phase."""
        return self.label or LABELS[self.kind]


@dataclass(frozen=True, slots=True)
class Pattern:
    """A breathing pattern the pacer can lead."""

    id: str
    name: str
    summary: str
    phases: tuple[Phase, ...]
    guide: str = ""

    @property
    def cycle_seconds(self) -> float:
        """Length of one breath."""
        return sum(phase.seconds for phase in self.phases)

    @property
    def breaths_per_minute(self) -> float:
        """The pace this pattern sets."""
        return 60 / self.cycle_seconds

    @property
    def phases_label(self) -> str:
        """'4-7-8' style, for the stored session."""
        return "-".join(f"{phase.seconds:g}" for phase in self.phases)


@dataclass(frozen=True, slots=True)
class PatternStats:
    """One pattern's history: sessions, minutes, and the average change in stress."""

    pattern_id: str
    name: str
    sessions: int
    minutes: float
    average_change: float | None  # after minus before; negative is calmer
    measured_sessions: int = 0  # sessions with a pace measured by the microphone
    average_measured_bpm: float | None = None


@dataclass(frozen=True, slots=True)
class SessionView:
    """A saved session; `breaths_per_minute` is the pace the microphone measured, if it did."""

    id: str
    pattern_id: str
    phases: str
    started_at: datetime
    duration_seconds: int
    stress_before: int | None
    stress_after: int | None
    breaths_per_minute: float | None = field(default=None)

    @property
    def target_breaths_per_minute(self) -> float | None:
        """The pace the pattern set, from its phases ('4-7-8' is 60/19); None if unreadable."""
        try:
            cycle = sum(float(part) for part in self.phases.split("-"))
        except ValueError:
            return None
        return 60 / cycle if cycle > 0 else None


def _phase(raw: dict[str, object]) -> Phase:
    kind = raw["kind"]
    if kind not in LABELS:
        raise ValueError(f"unknown phase kind {kind!r}")
    return Phase(kind, float(raw["seconds"]), str(raw.get("label", "")))  # type: ignore[arg-type]


@cache
def patterns() -> tuple[Pattern, ...]:
    """The shipped patterns, in the file's order."""
    raw = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))
    return tuple(
        Pattern(
            id=str(item["id"]),
            name=str(item["name"]),
            summary=str(item["summary"]),
            phases=tuple(_phase(phase) for phase in item["phases"]),
            guide=str(item.get("guide", "")),
        )
        for item in raw
    )


def pattern(pattern_id: str) -> Pattern:
    """A shipped pattern by id; `InvalidInput` if there is none."""
    for known in patterns():
        if known.id == pattern_id:
            return known
    raise InvalidInput("Please choose one of the breathing patterns.")


def custom_pattern(inhale: float, hold_in: float, exhale: float, hold_out: float) -> Pattern:
    """A pattern of four phases in seconds; `InvalidInput` for a breath that can't be followed."""
    values = (inhale, hold_in, exhale, hold_out)
    if any(isinstance(v, bool) or not isinstance(v, int | float) for v in values):
        raise InvalidInput("Give each phase in seconds, as a number.")
    if any(v != v or v < 0 for v in values):  # v != v: NaN
        raise InvalidInput("Phases can't be negative.")
    if inhale < 1 or exhale < 1:
        raise InvalidInput("Breathing in and out each need at least 1 second.")
    if any(v > MAX_PHASE_SECONDS for v in values):
        raise InvalidInput(f"Each phase is at most {MAX_PHASE_SECONDS:g} seconds.")
    total = sum(values)
    if total > MAX_CYCLE_SECONDS:
        raise InvalidInput(f"One breath is at most {MAX_CYCLE_SECONDS:g} seconds in all.")
    kinds: tuple[PhaseKind, ...] = ("in", "hold", "out", "hold")
    phases = tuple(Phase(kind, float(v)) for kind, v in zip(kinds, values, strict=True) if v)
    label = "-".join(f"{v:g}" for v in values)
    return Pattern(CUSTOM, f"Custom ({label})", "Your own pattern.", phases)


def session_seconds(minutes: float) -> int:
    """A session length chosen in minutes, checked (30 seconds to 30 minutes)."""
    if isinstance(minutes, bool) or not isinstance(minutes, int | float) or minutes != minutes:
        raise InvalidInput("Choose how many minutes the session lasts.")
    seconds = round(minutes * 60)
    if not MIN_SESSION_SECONDS <= seconds <= MAX_SESSION_SECONDS:
        raise InvalidInput("A session lasts from half a minute to 30 minutes.")
    return seconds


def _rating(value: int | None, when: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10:
        raise InvalidInput(f"Rate your stress {when} from 1 (calm) to 10 (very stressed).")
    return value


def _measured(rate: float | None) -> float | None:
    """A measured pace rounded to 0.1, checked: a finite number of breaths a minute, 1-60."""
    if rate is None:
        return None
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not 1 <= rate <= 60:
        raise InvalidInput("That breathing rate can't be saved.")
    return round(float(rate), 1)


class BreathingService:
    """Saved sessions of one user at a time, and their stats per pattern."""

    def __init__(self, *, store: UserStore) -> None:
        self._store = store

    def record(
        self,
        *,
        user_id: str,
        pattern_id: str,
        phases: str,
        duration_seconds: int,
        stress_before: int,
        stress_after: int,
        breaths_per_minute: float | None = None,
    ) -> str:
        """Save a completed session; `InvalidInput` (nothing saved) for a broken rule."""
        if pattern_id != CUSTOM:
            pattern(pattern_id)
        if not isinstance(phases, str) or len(phases) > 64:
            raise InvalidInput("That pattern can't be saved.")
        if isinstance(duration_seconds, bool) or not isinstance(duration_seconds, int):
            raise InvalidInput("That session length can't be saved.")
        if not 1 <= duration_seconds <= MAX_SESSION_SECONDS:
            raise InvalidInput("A session lasts at most 30 minutes.")
        before, after = _rating(stress_before, "before"), _rating(stress_after, "after")
        rate = _measured(breaths_per_minute)
        with self._store.unit(user_id) as unit:
            now = unit.now()
            row = BreathingSession(
                user_id=user_id,
                pattern_id=pattern_id,
                phases=phases,
                started_at=now - timedelta(seconds=duration_seconds),
                duration_seconds=duration_seconds,
                completed=True,
                stress_before=before,
                stress_after=after,
                breaths_per_minute=rate,
            )
            unit.add(row)
            return row.id

    def recent(self, *, user_id: str, limit: int = 20) -> list[SessionView]:
        """The latest sessions, newest first."""
        with self._store.unit(user_id) as unit:
            rows = unit.list(BreathingSession, time_column="started_at", limit=limit)
            return [_view(row) for row in rows]

    def delete(self, *, user_id: str, session_id: str) -> None:
        """Delete one session of this user."""
        with self._store.unit(user_id) as unit:
            unit.delete(BreathingSession, session_id, missing="That session is already gone.")

    def stats(self, *, user_id: str) -> list[PatternStats]:
        """Per pattern (shipped order, then custom): sessions, minutes, average change."""
        with self._store.unit(user_id) as unit:
            rows = unit.list(BreathingSession, time_column="started_at", newest_first=False)
        return pattern_stats(rows)


def pattern_stats(rows: Sequence[BreathingSession]) -> list[PatternStats]:
    """Group sessions by pattern; patterns with no session are left out."""
    names = {known.id: known.name for known in patterns()} | {CUSTOM: "Custom"}
    found = []
    for pattern_id, name in names.items():
        mine = [row for row in rows if row.pattern_id == pattern_id]
        if not mine:
            continue
        changes = [
            row.stress_after - row.stress_before
            for row in mine
            if row.stress_after is not None and row.stress_before is not None
        ]
        measured = [row.breaths_per_minute for row in mine if row.breaths_per_minute is not None]
        found.append(
            PatternStats(
                pattern_id,
                name,
                len(mine),
                sum(row.duration_seconds for row in mine) / 60,
                statistics.fmean(changes) if changes else None,
                len(measured),
                statistics.fmean(measured) if measured else None,
            )
        )
    return found


def breathing_sessions_by_day(unit: UserUnit, tz: str) -> dict[date, int]:
    """Completed breathing sessions per local day (in `tz`) of this unit's user.

    For insights: every session the user has, keyed by the date it started in `tz`.
    """
    today = local_date(unit.now(), tz)
    counts: dict[date, int] = {}
    for row in unit.list(BreathingSession, time_column="started_at", newest_first=False):
        if not row.completed:
            continue
        day = local_time(row.started_at, tz).date()
        if day <= today:
            counts[day] = counts.get(day, 0) + 1
    return counts


def _view(row: BreathingSession) -> SessionView:
    return SessionView(
        row.id,
        row.pattern_id,
        row.phases,
        row.started_at,
        row.duration_seconds,
        row.stress_before,
        row.stress_after,
        row.breaths_per_minute,
    )
