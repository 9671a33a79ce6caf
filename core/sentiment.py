"""How positive or negative a journal entry reads, with VADER, and the series beside mood.

VADER (Hutto & Gilbert 2014, `vaderSentiment`) scores text from a fixed, human-rated lexicon of
about 7,500 English words, emoticons and slang, with rules for negation ("not good"), boosters
("very"), capitals and punctuation. It runs offline in microseconds, needs no model, and gives
a "compound" score from -1 (most negative) to +1 (most positive). Its limits, shown in the UI
(`LIMITS`): it reads words, not meaning; it was built on short English social-media text; it
misses sarcasm, most other languages and context ("I finally said no" can read as negative);
and a score describes the words of one entry, never the person.

An entry's score is computed when it is saved and sealed with it (`sentiment_ct`); entries
written before scores existed are scored when read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, Final

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from core.db.models import JournalEntry, MoodEntry
from core.journal_forms import unpack_body
from core.store import UserStore, UserUnit

METHOD: Final = "VADER 3.3.2 compound score (-1 to +1) of the title and body"
LIMITS: Final = (
    "The score comes from VADER, a word list with rules, run on this computer. It reads words, "
    "not meaning: it was built for short English posts, misses sarcasm and most other "
    'languages, and can read a hard but healthy step ("I finally said no") as negative. It '
    "describes the words of one entry, never you."
)
_MAX_SCORED_CHARS = 20_000  # VADER's cost grows with length; the start says enough of the tone


@lru_cache(maxsize=1)
def _analyser() -> SentimentIntensityAnalyzer:
    """VADER's analyser; it reads its lexicon from the installed package (no network)."""
    return SentimentIntensityAnalyzer()


def sentiment_of(text: str) -> float:
    """VADER's compound score of `text`, -1 to +1; 0.0 for text with no rated words."""
    if not text.strip():
        return 0.0
    scores = _analyser().polarity_scores(text[:_MAX_SCORED_CHARS])
    return round(float(scores["compound"]), 4)


def seal_sentiment(unit: UserUnit, row: JournalEntry, *, title: str, body: str) -> float:
    """Score an entry's text and seal the score into the row; returns it."""
    value = sentiment_of(f"{title}\n{body}" if title else body)
    unit.seal(row, "sentiment_ct", f"{value:.4f}")
    return value


def entry_sentiment(unit: UserUnit, row: JournalEntry) -> float:
    """The sealed score, or (for an entry written before scores) one computed now."""
    sealed = unit.open(row, "sentiment_ct")
    if sealed is not None:
        return float(sealed)
    title = unit.open(row, "title_ct") or ""
    _, body = unpack_body(unit.open(row, "body_ct") or "")
    return sentiment_of(f"{title}\n{body}" if title else body)


@dataclass(frozen=True, slots=True)
class Point:
    """One value at one moment (naive UTC)."""

    at: datetime
    value: float


@dataclass(frozen=True, slots=True)
class SentimentSeries:
    """Journal sentiment and mood scores over the same period, for one chart."""

    journal: tuple[Point, ...]
    mood: tuple[Point, ...]


class SentimentService:
    """Reads one user's journal sentiment beside their mood scores."""

    def __init__(self, *, store: UserStore) -> None:
        self._store = store

    def series(self, *, user_id: str, since: datetime | None = None) -> SentimentSeries:
        """Every entry's score and every mood score since `since`, oldest first."""
        with self._store.unit(user_id) as unit:
            # Only the columns the chart needs (not the bodies); an entry older than its score
            # is read in full and scored.
            entries = unit.values(
                JournalEntry, ("id", "created_at", "sentiment_ct"), since=since, newest_first=False
            )
            moods = unit.values(
                MoodEntry,
                ("logged_at", "score"),
                time_column="logged_at",
                since=since,
                newest_first=False,
            )
            return SentimentSeries(
                journal=tuple(Point(row["created_at"], _sealed(unit, row)) for row in entries),
                mood=tuple(Point(row["logged_at"], float(row["score"])) for row in moods),
            )


def _sealed(unit: UserUnit, row: Any) -> float:
    """An entry's sealed score from its stored columns, or computed from the entry."""
    sealed = unit.open_stored(JournalEntry, "sentiment_ct", row["sentiment_ct"], row_id=row["id"])
    if sealed is not None:
        return float(sealed)
    return entry_sentiment(unit, unit.get(JournalEntry, row["id"]))
