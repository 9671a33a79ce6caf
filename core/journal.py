"""The private journal: entries encrypted at rest, visible only to their author."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.db.models import JournalEntry
from core.errors import InvalidInput
from core.store import UserStore, UserUnit
from core.textinput import replace_lone_surrogates

MAX_TITLE_CHARS = 200
MAX_BODY_CHARS = 50_000
_MISSING = "That entry doesn't exist."


@dataclass(frozen=True, slots=True)
class JournalView:
    """A decrypted journal entry."""

    id: str
    title: str
    body: str
    created_at: datetime
    updated_at: datetime


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

    def __init__(self, *, store: UserStore) -> None:
        self._store = store

    def add(self, *, user_id: str, title: str, body: str) -> str:
        """Save a new entry; returns its id."""
        title, body = _validate(title, body)
        with self._store.unit(user_id) as unit:
            now = unit.now()
            entry = JournalEntry(user_id=user_id, created_at=now, updated_at=now)
            unit.seal(entry, "title_ct", title)
            unit.seal(entry, "body_ct", body)
            return unit.add(entry).id

    def list(self, *, user_id: str, limit: int = 100) -> list[JournalView]:
        """The user's newest entries first."""
        with self._store.unit(user_id) as unit:
            return [_view(unit, row) for row in unit.list(JournalEntry, limit=limit)]

    def get(self, *, user_id: str, entry_id: str) -> JournalView:
        """One entry of this user; NotFound otherwise."""
        with self._store.unit(user_id) as unit:
            return _view(unit, unit.get(JournalEntry, entry_id, missing=_MISSING))

    def update(self, *, user_id: str, entry_id: str, title: str, body: str) -> None:
        """Replace an entry's text."""
        title, body = _validate(title, body)
        with self._store.unit(user_id) as unit:
            row = unit.get(JournalEntry, entry_id, missing=_MISSING)
            unit.seal(row, "title_ct", title)
            unit.seal(row, "body_ct", body)
            row.updated_at = unit.now()
            unit.add(row)

    def delete(self, *, user_id: str, entry_id: str) -> None:
        """Delete an entry of this user."""
        with self._store.unit(user_id) as unit:
            unit.delete(JournalEntry, entry_id, missing=_MISSING)


def _view(unit: UserUnit, row: JournalEntry) -> JournalView:
    return JournalView(
        id=row.id,
        title=unit.open(row, "title_ct") or "",
        body=unit.open(row, "body_ct") or "",
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
