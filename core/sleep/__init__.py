"""The sleep coach: a diary of nights (typed or imported), their metrics, and coaching.

`SleepService` keeps one row per night and person (`SleepLog`), the note sealed. A note is
screened by `core.safety` like a journal entry (saved either way). Imported nights from Apple
Health or a Fitbit/Google CSV land in the same table, so typed and imported nights never
duplicate each other (see `core.sleep.importers`).

`sleep_hours_by_night(unit, tz)` is the plain function insights use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import IO, Literal

from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from core.db.models import SleepLog
from core.errors import InvalidInput
from core.journal_forms import local_date
from core.knowledge.corpus import KnowledgeEntry
from core.lazy import Lazy
from core.ports import Retriever, RiskScorer
from core.safety import Assessment, assess
from core.safety_events import record_screening
from core.sleep.coaching import WINDOW_DAYS, Advice, SleepWindow, advise, sleep_window
from core.sleep.diary import DiaryInput, Night, zone_of
from core.sleep.importers import Progress, apple_health_nights, fitbit_nights
from core.sleep.metrics import NightMetrics, PeriodSummary, by_week, night_metrics
from core.store import UserStore, UserUnit

__all__ = [
    "DiaryInput",
    "ImportResult",
    "Night",
    "NightView",
    "SleepOverview",
    "SleepService",
    "sleep_hours_by_night",
]

HISTORY_DAYS = 120  # what the page charts
_MISSING = "That night isn't in your diary any more; it may have been deleted in another tab."


@dataclass(frozen=True, slots=True)
class NightView:
    """A stored night, its note opened, and its metrics."""

    id: str
    night: Night
    note: str
    metrics: NightMetrics


@dataclass(frozen=True, slots=True)
class SavedNight:
    """What saving a night gives the page: its id, and how the note's safety screen read it."""

    id: str
    assessment: Assessment | None


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did: nights found in the file, added, and already in the diary."""

    found: int
    added: int
    already: int


ImportKind = Literal["apple_health", "fitbit"]


@dataclass(frozen=True, slots=True)
class SleepOverview:
    """What the page shows: nights and weeks to chart, and coaching from the last two weeks."""

    nights: list[NightMetrics]  # oldest first
    weeks: list[PeriodSummary]
    recent_nights: int
    advice: list[Advice]
    window: SleepWindow | None
    guides: dict[str, KnowledgeEntry]


def night_of_row(row: SleepLog) -> Night:
    """The stored row as a `Night` (every diary field is set on every row this code writes)."""
    assert row.bed_time and row.lights_out and row.wake_time and row.out_of_bed
    return Night(
        night_of=row.night_of,
        timezone=row.timezone,
        bed_time=row.bed_time,
        lights_out=row.lights_out,
        sleep_latency_minutes=row.sleep_latency_minutes or 0,
        awakenings=row.awakenings or 0,
        wake_minutes=row.wake_minutes or 0,
        wake_time=row.wake_time,
        out_of_bed=row.out_of_bed,
        quality=row.quality,
        naps=row.naps,
        nap_minutes=row.nap_minutes,
        caffeine_drinks=row.caffeine_drinks,
        caffeine_last=row.caffeine_last,
        alcohol_drinks=row.alcohol_drinks,
        alcohol_last=row.alcohol_last,
        source=row.source,
    )


def fill_row(row: SleepLog, night: Night) -> None:
    """Copy a night's fields onto a row (new or edited)."""
    for name in Night.__slots__:
        setattr(row, name, getattr(night, name))


def _nights_since(unit: UserUnit, since: date) -> list[SleepLog]:
    return unit.list(
        SleepLog,
        time_column="night_of",
        newest_first=False,
        where=[col(SleepLog.night_of) >= since],
    )


def sleep_hours_by_night(unit: UserUnit, tz: str) -> dict[date, float]:
    """Total sleep time in hours per night (keyed by the local date the night began).

    For insights: every night of this unit's user, typed or imported. `tz` names the zone whose
    "today" ends the range; nights keep the zone they were lived in.
    """
    today = local_date(unit.now(), tz)
    rows = _nights_since(unit, today - timedelta(days=3650))
    return {row.night_of: night_metrics(night_of_row(row)).total_sleep / 60 for row in rows}


class SleepService:
    """The diary of one user at a time: add, edit, delete, list, and the coaching overview."""

    def __init__(
        self,
        *,
        store: UserStore,
        knowledge: Lazy[Retriever] | None = None,
        risk_scorer: Lazy[RiskScorer | None] | None = None,
    ) -> None:
        self._store = store
        self._knowledge = knowledge
        self._risk_scorer = risk_scorer

    def add(self, *, user_id: str, entry: DiaryInput, region: str | None = None) -> SavedNight:
        """Save a new night; `InvalidInput` if it breaks a rule or the night is already there."""
        night, note = entry.night(), entry.clean_note()
        assessment = self._screen(note, region)
        try:
            with self._store.unit(user_id) as unit:
                if _nights_on(unit, night.night_of):
                    raise _already(night.night_of)
                now = unit.now()
                row = SleepLog(user_id=user_id, night_of=night.night_of, created_at=now)
                row.updated_at = now
                fill_row(row, night)
                unit.seal(row, "note_ct", note or None)
                unit.add(row)
                _record(unit, assessment)
                return SavedNight(row.id, assessment)
        except IntegrityError as clash:  # another tab saved the same night a moment ago
            raise _already(night.night_of) from clash

    def update(
        self, *, user_id: str, night_id: str, entry: DiaryInput, region: str | None = None
    ) -> SavedNight:
        """Replace a night's fields and note (it becomes a diary night)."""
        night, note = entry.night(), entry.clean_note()
        assessment = self._screen(note, region)
        try:
            with self._store.unit(user_id) as unit:
                row = unit.get(SleepLog, night_id, missing=_MISSING)
                if any(other.id != row.id for other in _nights_on(unit, night.night_of)):
                    raise _already(night.night_of)
                fill_row(row, night)
                row.updated_at = unit.now()
                unit.seal(row, "note_ct", note or None)
                unit.add(row)
                _record(unit, assessment)
                return SavedNight(row.id, assessment)
        except IntegrityError as clash:
            raise _already(night.night_of) from clash

    def delete(self, *, user_id: str, night_id: str) -> None:
        """Delete one night of this user."""
        with self._store.unit(user_id) as unit:
            unit.delete(SleepLog, night_id, missing=_MISSING)

    def get(self, *, user_id: str, night_id: str) -> NightView:
        """One night of this user; `NotFound` otherwise."""
        with self._store.unit(user_id) as unit:
            return _view(unit, unit.get(SleepLog, night_id, missing=_MISSING))

    def list(self, *, user_id: str, limit: int = 60) -> list[NightView]:
        """The user's latest nights, newest first."""
        with self._store.unit(user_id) as unit:
            rows = unit.list(SleepLog, time_column="night_of", limit=limit)
            return [_view(unit, row) for row in rows]

    def overview(self, *, user_id: str, timezone: str) -> SleepOverview:
        """Charts' data and the coaching of the last two weeks (ending today in `timezone`)."""
        zone_of(timezone)
        with self._store.unit(user_id) as unit:
            today = local_date(unit.now(), timezone)
            rows = _nights_since(unit, today - timedelta(days=HISTORY_DAYS))
        nights = [night_metrics(night_of_row(row)) for row in rows]
        recent = [n for n in nights if n.night_of >= today - timedelta(days=WINDOW_DAYS)]
        advice = advise(recent)
        return SleepOverview(
            nights=nights,
            weeks=by_week(nights),
            recent_nights=len(recent),
            advice=advice,
            window=sleep_window(recent),
            guides=self._guides(advice),
        )

    def import_file(
        self,
        *,
        user_id: str,
        kind: ImportKind,
        source: IO[bytes],
        timezone: str,
        progress: Progress | None = None,
    ) -> ImportResult:
        """Read a wearable export and add the nights the diary doesn't have yet.

        The whole file is read before anything is saved, so a broken file saves nothing; a
        night already in the diary (typed or imported before) is left as it is, so importing
        the same file twice adds nothing.
        """
        if kind == "apple_health":
            nights = apple_health_nights(source, timezone, progress)
        elif kind == "fitbit":
            nights = fitbit_nights(source, timezone, progress)
        else:
            raise InvalidInput("Choose Apple Health or Fitbit / Google.")
        try:
            with self._store.unit(user_id) as unit:
                known = {row.night_of for row in unit.list(SleepLog, time_column="night_of")}
                fresh = [night for night in nights if night.night_of not in known]
                now = unit.now()
                for night in fresh:
                    row = SleepLog(user_id=user_id, night_of=night.night_of, created_at=now)
                    row.updated_at = now
                    fill_row(row, night)
                    unit.add(row)
        except IntegrityError as clash:  # a night typed in another tab meanwhile
            changed = "Your diary changed while importing; please import again."
            raise InvalidInput(changed) from clash
        return ImportResult(len(nights), len(fresh), len(nights) - len(fresh))

    def _guides(self, advice: Sequence[Advice]) -> dict[str, KnowledgeEntry]:
        """The knowledge-base entries the advice points to, once the index is loaded."""
        retriever = self._knowledge.ready_or_start() if self._knowledge else None
        if retriever is None:
            return {}
        found = {item.guide_id: retriever.get(item.guide_id) for item in advice}
        return {key: entry for key, entry in found.items() if entry is not None}

    def _screen(self, note: str, region: str | None) -> Assessment | None:
        if not note:
            return None
        scorer = self._risk_scorer.ready_or_start() if self._risk_scorer else None
        return assess(note, region=region, semantic=scorer)


def _nights_on(unit: UserUnit, night_of: date) -> list[SleepLog]:
    return unit.list(SleepLog, time_column="night_of", where=[col(SleepLog.night_of) == night_of])


def _already(night_of: date) -> InvalidInput:
    return InvalidInput(
        f"Your diary already has the night of {night_of:%a %d %b %Y}; edit that one instead."
    )


def _record(unit: UserUnit, assessment: Assessment | None) -> None:
    if assessment is not None:
        record_screening(unit, assessment.level, source="sleep")


def _view(unit: UserUnit, row: SleepLog) -> NightView:
    night = night_of_row(row)
    return NightView(row.id, night, unit.open(row, "note_ct") or "", night_metrics(night))
