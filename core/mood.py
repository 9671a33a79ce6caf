"""Mood logging: a score, emotions from a fixed list, a person's own tags and an encrypted note.

A score is 1-10; the five faces are 2, 4, 6, 8 and 10 on the same scale (so a Daylio export's
five moods land on them too). Emotions come from `EMOTIONS` only. Activity and people tags are
the person's own words, reusable: each is a `MoodTag` row whose name is encrypted, and an entry
keeps the ids of its tags. A note is encrypted and screened by `core.safety` like a journal
entry (the crisis numbers at once for a crisis note; the entry is saved either way).

Times are stored as naive UTC; the page gives aware local times (the person's time zone), and an
entry can be back-dated but never dated in the future.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Final, Literal
from zoneinfo import ZoneInfo

from core.db.models import MoodEntry, MoodTag
from core.errors import InvalidInput
from core.lazy import Lazy
from core.ports import RiskScorer
from core.safety import Assessment, assess
from core.safety_events import record_screening
from core.store import UserStore, UserUnit
from core.textinput import replace_lone_surrogates
from core.timeutil import to_naive_utc

EMOTIONS: Final[tuple[str, ...]] = (
    "calm",
    "happy",
    "grateful",
    "hopeful",
    "content",
    "excited",
    "proud",
    "anxious",
    "sad",
    "angry",
    "lonely",
    "tired",
    "stressed",
    "overwhelmed",
    "irritable",
    "bored",
)
# (score, face, word): the five faces on the 1-10 scale.
FACES: Final[tuple[tuple[int, str, str], ...]] = (
    (2, "😞", "awful"),
    (4, "🙁", "bad"),
    (6, "😐", "okay"),
    (8, "🙂", "good"),
    (10, "😄", "great"),
)
TagKind = Literal["activity", "people"]
TAG_KINDS: Final[tuple[TagKind, ...]] = ("activity", "people")
MAX_NOTE_CHARS = 5_000
MAX_TAG_CHARS = 40
MAX_TAGS_PER_ENTRY = 20
EARLIEST = datetime(2000, 1, 1)
# The columns of the project's own mood CSV, in order: written by the export, read by the import.
MOOD_CSV_COLUMNS: Final[tuple[str, ...]] = (
    "logged_at",  # ISO-8601 with the UTC offset of the person's time zone at that moment
    "score",  # 1-10
    "emotions",  # names from EMOTIONS, separated by " | "
    "activities",  # the person's activity tags, separated by " | "
    "people",  # the person's people tags, separated by " | "
    "note",  # the decrypted note, or empty
)
LIST_SEPARATOR = " | "
_VIEW_COLUMNS = ["id", "score", "emotions", "tags", "logged_at"]
_MISSING = "That mood entry doesn't exist any more; it may have been deleted in another tab."
_FUTURE_SLACK = timedelta(minutes=1)  # a clock a few seconds ahead is not "the future"


@dataclass(frozen=True, slots=True)
class MoodDraft:
    """What a person logs. `logged_at` is an aware local time (naive means UTC); None is now."""

    score: int
    emotions: Sequence[str] = ()
    activities: Sequence[str] = ()
    people: Sequence[str] = ()
    note: str = field(default="", repr=False)  # never in a log line
    logged_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MoodView:
    """A decrypted mood entry; `logged_at` is naive UTC."""

    id: str
    score: int
    emotions: tuple[str, ...]
    activities: tuple[str, ...]
    people: tuple[str, ...]
    note: str = field(repr=False)
    logged_at: datetime


@dataclass(frozen=True, slots=True)
class MoodTagView:
    """One of the person's own tags."""

    id: str
    kind: TagKind
    name: str


@dataclass(frozen=True, slots=True)
class SavedMood:
    """What saving gives the page: the entry's id and how the note was screened (None: no note)."""

    id: str
    assessment: Assessment | None


@dataclass(frozen=True, slots=True)
class DayMood:
    """One local day: its mean score, or None when nothing was logged."""

    day: date
    mean: float | None
    entries: int


@dataclass(frozen=True, slots=True)
class TodayState:
    """What Home shows: logged today or not, the streak, and the last seven days."""

    logged_today: bool
    streak: int
    last_7_days: tuple[DayMood, ...]


def face_for(score: float) -> str:
    """The face nearest a score (a mean rounds to the nearest face)."""
    return min(FACES, key=lambda face: (abs(face[0] - score), face[0]))[1]


def local_day(moment: datetime, timezone: str) -> date:
    """The date in `timezone` of a naive-UTC moment (DST-correct)."""
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(timezone)).date()


def local_time(moment: datetime, timezone: str) -> datetime:
    """A naive-UTC moment as an aware time in `timezone`."""
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(timezone))


def utc_range(start: date, end: date, timezone: str) -> tuple[datetime, datetime]:
    """The naive-UTC bounds of the local days `start`..`end` (both included), DST-correct."""
    zone = ZoneInfo(timezone)
    first = datetime.combine(start, datetime.min.time(), zone)
    after = datetime.combine(end + timedelta(days=1), datetime.min.time(), zone)
    return to_naive_utc(first), to_naive_utc(after)


def clean_tag(name: object) -> str:
    """A tag as stored: trimmed, NFC, one space between words; InvalidInput if unusable."""
    if not isinstance(name, str):
        raise InvalidInput("Tags are short words, like 'walk' or 'Sam'.")
    text = " ".join(unicodedata.normalize("NFC", replace_lone_surrogates(name)).split())
    if not text:
        raise InvalidInput("A tag can't be empty.")
    if len(text) > MAX_TAG_CHARS:
        raise InvalidInput(f"Tags are at most {MAX_TAG_CHARS} characters.")
    if "|" in text or any(unicodedata.category(ch) == "Cc" for ch in text):
        raise InvalidInput("Tags can't contain '|' or control characters.")
    return text


def clean_draft(draft: MoodDraft, *, now: datetime) -> tuple[MoodDraft, datetime]:
    """Validate a draft; returns it cleaned and its time as naive UTC. Raises InvalidInput."""
    score = draft.score
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 10:
        raise InvalidInput("A mood score is a whole number from 1 (lowest) to 10 (best).")
    emotions = _unique(draft.emotions, what="emotion")
    unknown = [emotion for emotion in emotions if emotion not in EMOTIONS]
    if unknown:
        raise InvalidInput("Please pick emotions from the list.")
    activities = _unique([clean_tag(tag) for tag in _sequence(draft.activities)], what="tag")
    people = _unique([clean_tag(tag) for tag in _sequence(draft.people)], what="tag")
    if len(activities) + len(people) > MAX_TAGS_PER_ENTRY:
        raise InvalidInput(f"An entry holds at most {MAX_TAGS_PER_ENTRY} tags.")
    if not isinstance(draft.note, str):
        raise InvalidInput("A note is text.")
    note = replace_lone_surrogates(draft.note.strip())
    if len(note) > MAX_NOTE_CHARS:
        raise InvalidInput(
            f"Notes are at most {MAX_NOTE_CHARS:,} characters; the journal has room for more."
        )
    moment = now if draft.logged_at is None else to_naive_utc(draft.logged_at)
    if moment > now + _FUTURE_SLACK:
        raise InvalidInput("A mood can't be logged in the future; pick a time up to now.")
    if moment < EARLIEST:
        raise InvalidInput("That date is too far back; pick one from 2000 on.")
    cleaned = MoodDraft(score, tuple(emotions), tuple(activities), tuple(people), note, None)
    return cleaned, moment


def _sequence(values: object) -> list[object]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise InvalidInput("Tags and emotions are given as a list.")
    return list(values)


def _unique(values: Iterable[object], *, what: str) -> list[str]:
    """In order, each once (tags compared case-insensitively)."""
    seen: set[str] = set()
    kept: list[str] = []
    for value in _sequence(values):
        if not isinstance(value, str):
            raise InvalidInput(f"Please pick each {what} from the list.")
        if value.casefold() not in seen:
            seen.add(value.casefold())
            kept.append(value)
    return kept


class TagBook:
    """A unit's tags, decrypted once: resolves names to ids, creating new tags as needed."""

    def __init__(self, unit: UserUnit) -> None:
        self._unit = unit
        self.by_id: dict[str, MoodTagView] = {}
        self._by_name: dict[tuple[str, str], str] = {}
        for row in unit.list(MoodTag, newest_first=False):
            view = MoodTagView(row.id, _kind(row.kind), unit.open(row, "name_ct") or "")
            self._remember(view)

    def ids_for(self, kind: TagKind, names: Iterable[str]) -> list[str]:
        """The ids of these tags, new ones added to the unit."""
        ids = []
        for name in names:
            known = self._by_name.get((kind, name.casefold()))
            if known is None:
                row = MoodTag(user_id=self._unit.user_id, kind=kind, created_at=self._unit.now())
                self._unit.seal(row, "name_ct", name)
                self._unit.add(row)
                known = row.id
                self._remember(MoodTagView(row.id, kind, name))
            ids.append(known)
        return ids

    def names(self, joined_ids: str, kind: TagKind) -> tuple[str, ...]:
        """The names of an entry's tags of one kind (a deleted tag is left out)."""
        tags = (self.by_id.get(tag_id) for tag_id in joined_ids.split(",") if tag_id)
        return tuple(tag.name for tag in tags if tag is not None and tag.kind == kind)

    def _remember(self, view: MoodTagView) -> None:
        self.by_id[view.id] = view
        self._by_name[(view.kind, view.name.casefold())] = view.id


def _kind(value: str) -> TagKind:
    return "people" if value == "people" else "activity"


def fill_entry(unit: UserUnit, tags: TagBook, row: MoodEntry, draft: MoodDraft) -> None:
    """Write a cleaned draft into a row: score, emotions, tag ids and the sealed note."""
    row.score = draft.score
    row.emotions = ",".join(draft.emotions)
    row.tags = ",".join(
        tags.ids_for("activity", draft.activities) + tags.ids_for("people", draft.people)
    )
    unit.seal(row, "note_ct", draft.note or None)


def view_of(unit: UserUnit, tags: TagBook, row: MoodEntry, *, note: bool = True) -> MoodView:
    """A row as the page sees it (the note decrypted only when asked for)."""
    return MoodView(
        id=row.id,
        score=row.score,
        emotions=tuple(emotion for emotion in row.emotions.split(",") if emotion),
        activities=tags.names(row.tags, "activity"),
        people=tags.names(row.tags, "people"),
        note=(unit.open(row, "note_ct") or "") if note else "",
        logged_at=row.logged_at,
    )


class MoodService:
    """Log, read, edit and delete one user's mood entries; their tags; today's state."""

    def __init__(
        self, *, store: UserStore, risk_scorer: Lazy[RiskScorer | None] | None = None
    ) -> None:
        self._store = store
        self._risk_scorer = risk_scorer

    def log(self, *, user_id: str, mood: MoodDraft, region: str | None = None) -> SavedMood:
        """Validate, screen the note and save a new entry."""
        draft, moment = clean_draft(mood, now=self._store.clock.now())
        assessment = self._assess(draft.note, region)
        with self._store.unit(user_id) as unit:
            row = MoodEntry(user_id=user_id, score=draft.score, logged_at=moment)
            fill_entry(unit, TagBook(unit), row, draft)
            unit.add(row)
            if assessment is not None:
                record_screening(unit, assessment.level, source="mood")
            return SavedMood(row.id, assessment)

    def update(
        self, *, user_id: str, mood_id: str, mood: MoodDraft, region: str | None = None
    ) -> SavedMood:
        """Replace an entry's score, emotions, tags, note and time."""
        draft, moment = clean_draft(mood, now=self._store.clock.now())
        assessment = self._assess(draft.note, region)
        with self._store.unit(user_id) as unit:
            row = unit.get(MoodEntry, mood_id, missing=_MISSING)
            fill_entry(unit, TagBook(unit), row, draft)
            row.logged_at = moment
            unit.add(row)
            if assessment is not None:
                record_screening(unit, assessment.level, source="mood")
            return SavedMood(row.id, assessment)

    def delete(self, *, user_id: str, mood_id: str) -> None:
        """Delete one entry of this user."""
        with self._store.unit(user_id) as unit:
            unit.delete(MoodEntry, mood_id, missing=_MISSING)

    def get(self, *, user_id: str, mood_id: str) -> MoodView:
        """One entry of this user, note decrypted; NotFound otherwise."""
        with self._store.unit(user_id) as unit:
            return view_of(unit, TagBook(unit), unit.get(MoodEntry, mood_id, missing=_MISSING))

    def history(
        self,
        *,
        user_id: str,
        since: datetime | None = None,
        until: datetime | None = None,
        notes: bool = False,
        tags: bool = True,
    ) -> list[MoodView]:
        """Entries with `since <= logged_at < until` (naive UTC), oldest first; without notes
        unless asked, and without tag names when `tags` is False (a chart needs neither)."""
        return self._read(
            user_id, since=since, until=until, notes=notes, tags=tags, newest_first=False
        )

    def earliest(self, *, user_id: str, limit: int = 2) -> list[MoodView]:
        """The oldest entries (notes decrypted): is the history empty, one entry, or more?"""
        return self._read(user_id, notes=True, newest_first=False, limit=limit)

    def recent(self, *, user_id: str, limit: int = 20) -> list[MoodView]:
        """The newest entries first, notes decrypted (the list to edit and delete from)."""
        return self._read(user_id, notes=True, newest_first=True, limit=limit)

    def _read(
        self,
        user_id: str,
        *,
        notes: bool,
        newest_first: bool,
        tags: bool = True,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
    ) -> list[MoodView]:
        """Entries as plain column values (no ORM objects: a chart reads thousands)."""
        columns = [*_VIEW_COLUMNS, "note_ct"] if notes else _VIEW_COLUMNS
        with self._store.unit(user_id) as unit:
            book = TagBook(unit) if tags else None
            rows = unit.values(
                MoodEntry,
                columns,
                time_column="logged_at",
                since=since,
                until=until,
                newest_first=newest_first,
                limit=limit,
            )
            return [
                MoodView(
                    id=row["id"],
                    score=row["score"],
                    emotions=tuple(emotion for emotion in row["emotions"].split(",") if emotion),
                    activities=book.names(row["tags"], "activity") if book else (),
                    people=book.names(row["tags"], "people") if book else (),
                    note=(
                        unit.open_stored(MoodEntry, "note_ct", row["note_ct"], row_id=row["id"])
                        or ""
                    )
                    if notes
                    else "",
                    logged_at=row["logged_at"],
                )
                for row in rows
            ]

    def tags(self, *, user_id: str) -> list[MoodTagView]:
        """The person's own tags, by kind then name."""
        with self._store.unit(user_id) as unit:
            views = TagBook(unit).by_id.values()
            return sorted(views, key=lambda tag: (tag.kind, tag.name.casefold()))

    def csv_rows(self, *, user_id: str, timezone: str) -> list[dict[str, str]]:
        """Every entry as a row of the mood CSV (`MOOD_CSV_COLUMNS`), oldest first, times in
        `timezone` with their offset. Cells are raw: the writer guards against formulas."""
        zone = ZoneInfo(timezone)
        return [
            {
                "logged_at": view.logged_at.replace(tzinfo=ZoneInfo("UTC"))
                .astimezone(zone)
                .isoformat(timespec="seconds"),
                "score": str(view.score),
                "emotions": LIST_SEPARATOR.join(view.emotions),
                "activities": LIST_SEPARATOR.join(view.activities),
                "people": LIST_SEPARATOR.join(view.people),
                "note": view.note,
            }
            for view in self.history(user_id=user_id, notes=True)
        ]

    def today(self, *, user_id: str, timezone: str) -> TodayState:
        """Logged today (in `timezone`) or not, the streak of days logged, the last 7 days."""
        now = self._store.clock.now()
        today = local_day(now, timezone)
        with self._store.unit(user_id) as unit:
            # The streak is counted over the last year at most: enough to show, and bounded.
            rows = unit.values(
                MoodEntry,
                ["id", "score", "logged_at"],
                time_column="logged_at",
                since=now - timedelta(days=367),
            )
            days: dict[date, list[int]] = {}
            for row in rows:
                days.setdefault(local_day(row["logged_at"], timezone), []).append(row["score"])
        return TodayState(
            logged_today=today in days,
            streak=streak(set(days), today),
            last_7_days=tuple(
                _day_mood(day, days.get(day, []))
                for day in (today - timedelta(days=back) for back in range(6, -1, -1))
            ),
        )

    def _assess(self, note: str, region: str | None) -> Assessment | None:
        """Screen a note (rules always; the semantic layer once loaded, never waited on)."""
        if not note:
            return None
        scorer = self._risk_scorer.ready_or_start() if self._risk_scorer else None
        return assess(note, region=region, semantic=scorer)


def _day_mood(day: date, scores: list[int]) -> DayMood:
    return DayMood(day, sum(scores) / len(scores) if scores else None, len(scores))


def streak(days: set[date], today: date) -> int:
    """Consecutive days logged up to today; a streak still counts until today is over."""
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count
