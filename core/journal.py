"""The private journal: entries encrypted at rest, visible only to their author.

Every entry is screened by `core.safety.assess` when it is saved or changed, and is saved
either way: the page shows the region's crisis numbers for a crisis entry and the gentle line
for a concern. That an assessment happened is kept as a `SafetyEvent` (source "journal", the
level encrypted), in the same transaction as the entry.

An entry's kind (free writing, gratitude, thought record) is not sensitive but needs no column:
it travels inside the encrypted body as a first line starting with an ASCII record separator,
which no keyboard types, so a person's own text can never pass for one. Bodies written before
kinds existed have no such line and read as free writing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.db.models import JournalEntry
from core.errors import InvalidInput
from core.journal_forms import KINDS, Kind, local_date, pack_body, prompt_for, unpack_body
from core.journal_vectors import seal_entry_vector
from core.lazy import Lazy
from core.ports import Embedder, RiskScorer
from core.safety import Assessment, assess
from core.safety_events import record_screening
from core.sentiment import seal_sentiment
from core.store import UserStore, UserUnit
from core.textinput import replace_lone_surrogates

MAX_TITLE_CHARS = 200
# Recent entries the safety screen reads with a new or changed one (a plan told over several days).
SAFETY_CONTEXT_ENTRIES = 3
SAFETY_CONTEXT_DAYS = 14
MAX_BODY_CHARS = 50_000
_MISSING = "That entry doesn't exist any more; it may have been deleted in another tab."


@dataclass(frozen=True, slots=True)
class JournalView:
    """A decrypted journal entry."""

    id: str
    title: str
    body: str
    created_at: datetime
    updated_at: datetime
    kind: Kind = "free"


@dataclass(frozen=True, slots=True)
class SavedEntry:
    """What saving an entry gives the page: its id and how the safety screen read it."""

    id: str
    assessment: Assessment


def _validate(title: str, body: str) -> tuple[str, str]:
    if not isinstance(title, str) or not isinstance(body, str):
        raise InvalidInput("Please write some text.")
    title, body = replace_lone_surrogates(title.strip()), replace_lone_surrogates(body.strip())
    if not body:
        raise InvalidInput("Your entry is empty. Write as much or as little as you like.")
    if len(title) > MAX_TITLE_CHARS:
        raise InvalidInput(f"Titles are at most {MAX_TITLE_CHARS} characters.")
    if len(body) > MAX_BODY_CHARS:
        raise InvalidInput(
            f"Entries are at most {MAX_BODY_CHARS:,} characters; please split this one in two."
        )
    return title, body


class JournalService:
    """Create, read, update and delete journal entries of one user at a time."""

    def __init__(
        self,
        *,
        store: UserStore,
        risk_scorer: Lazy[RiskScorer | None] | None = None,
        embedder: Lazy[Embedder] | None = None,
    ) -> None:
        self._store = store
        self._risk_scorer = risk_scorer
        self._embedder = embedder

    def add(
        self,
        *,
        user_id: str,
        title: str,
        body: str,
        kind: Kind = "free",
        region: str | None = None,
    ) -> SavedEntry:
        """Screen and save a new entry (saved whatever the screen says)."""
        if kind not in KINDS:
            raise InvalidInput("Please choose a kind of entry.")
        title, body = _validate(title, body)
        assessment = self._assess(title, body, region, self._recent(user_id, exclude=None))
        with self._store.unit(user_id) as unit:
            now = unit.now()
            entry = JournalEntry(user_id=user_id, created_at=now, updated_at=now)
            seal_entry(unit, entry, title=title, body=body, kind=kind, embedder=self._model())
            unit.add(entry)
            record_screening(unit, assessment.level, source="journal")
            return SavedEntry(entry.id, assessment)

    def list(self, *, user_id: str, limit: int = 100) -> list[JournalView]:
        """The user's newest entries first."""
        with self._store.unit(user_id) as unit:
            return [_view(unit, row) for row in unit.list(JournalEntry, limit=limit)]

    def get(self, *, user_id: str, entry_id: str) -> JournalView:
        """One entry of this user; NotFound otherwise."""
        with self._store.unit(user_id) as unit:
            return _view(unit, unit.get(JournalEntry, entry_id, missing=_MISSING))

    def update(
        self, *, user_id: str, entry_id: str, title: str, body: str, region: str | None = None
    ) -> SavedEntry:
        """Screen and replace an entry's text; its kind stays."""
        title, body = _validate(title, body)
        assessment = self._assess(title, body, region, self._recent(user_id, exclude=entry_id))
        with self._store.unit(user_id) as unit:
            row = unit.get(JournalEntry, entry_id, missing=_MISSING)
            kind, _ = unpack_body(unit.open(row, "body_ct") or "")
            seal_entry(unit, row, title=title, body=body, kind=kind, embedder=self._model())
            row.updated_at = unit.now()
            unit.add(row)
            record_screening(unit, assessment.level, source="journal")
            return SavedEntry(row.id, assessment)

    def delete(self, *, user_id: str, entry_id: str) -> None:
        """Delete an entry of this user."""
        with self._store.unit(user_id) as unit:
            unit.delete(JournalEntry, entry_id, missing=_MISSING)

    def daily_prompt(self, *, timezone: str) -> str:
        """Today's writing prompt, by the date in `timezone` (the same all day)."""
        return prompt_for(local_date(self._store.clock.now(), timezone))

    def _model(self) -> Embedder | None:
        """The embedding model if it is loaded (a save never waits for it to load; an entry
        saved without a vector is embedded by the search later)."""
        return self._embedder.ready_or_start() if self._embedder else None

    def _assess(
        self, title: str, body: str, region: str | None, context: tuple[str, ...]
    ) -> Assessment:
        """Rules always; the semantic layer too once it is loaded (a save never waits on it).
        `context` (recent entries) can raise the level, never lower it."""
        scorer = self._risk_scorer.ready_or_start() if self._risk_scorer else None
        text = f"{title}\n{body}" if title else body
        return assess(text, region=region, semantic=scorer, context=context)

    def _recent(self, user_id: str, *, exclude: str | None) -> tuple[str, ...]:
        """The user's latest entries of the last SAFETY_CONTEXT_DAYS days, oldest first."""
        with self._store.unit(user_id) as unit:
            since = unit.now() - timedelta(days=SAFETY_CONTEXT_DAYS)
            rows = unit.list(JournalEntry, since=since, limit=SAFETY_CONTEXT_ENTRIES + 1)
            texts: tuple[str, ...] = ()
            for row in rows:
                if row.id == exclude:
                    continue
                _kind, body = unpack_body(unit.open(row, "body_ct") or "")
                title = unit.open(row, "title_ct") or ""
                texts = (*texts, f"{title}\n{body}" if title else body)
            return tuple(reversed(texts[:SAFETY_CONTEXT_ENTRIES]))


def seal_entry(
    unit: UserUnit,
    row: JournalEntry,
    *,
    title: str,
    body: str,
    kind: Kind,
    embedder: Embedder | None = None,
) -> None:
    """Encrypt an entry's title, its body with its kind, its sentiment score and (with an
    `embedder`) its search vector; without one the old vector is cleared (for the service,
    the demo and imports)."""
    unit.seal(row, "title_ct", title)
    unit.seal(row, "body_ct", pack_body(kind, body))
    seal_sentiment(unit, row, title=title, body=body)
    seal_entry_vector(unit, row, embedder, title, body)


def _view(unit: UserUnit, row: JournalEntry) -> JournalView:
    kind, body = unpack_body(unit.open(row, "body_ct") or "")
    return JournalView(
        id=row.id,
        title=unit.open(row, "title_ct") or "",
        body=body,
        created_at=row.created_at,
        updated_at=row.updated_at,
        kind=kind,
    )
