"""The private journal: entries encrypted at rest, visible only to their author."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from core.db.engine import session_scope
from core.db.models import JournalEntry
from core.keyring import KeyRing
from core.passwords import PolicyError
from core.timeutil import utcnow

MAX_TITLE_CHARS = 200
MAX_BODY_CHARS = 50_000
_TITLE = "journal_entries.title"
_BODY = "journal_entries.body"


class NotFound(LookupError):
    """No such row for this user (it may exist for someone else; we don't say)."""


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
        raise PolicyError("Please write some text.")
    title, body = title.strip(), body.strip()
    if not body:
        raise PolicyError("Your entry is empty. Write as much or as little as you like.")
    if len(title) > MAX_TITLE_CHARS:
        raise PolicyError(f"Titles are at most {MAX_TITLE_CHARS} characters.")
    if len(body) > MAX_BODY_CHARS:
        raise PolicyError(
            f"Entries are at most {MAX_BODY_CHARS:,} characters; please split this one in two."
        )
    return title, body


class JournalService:
    """Create, read, update and delete journal entries of one user at a time."""

    def __init__(self, *, engine: Engine, keyring: KeyRing) -> None:
        self._engine = engine
        self._keyring = keyring

    def add(self, *, user_id: str, title: str, body: str) -> str:
        """Save a new entry; returns its id."""
        title, body = _validate(title, body)
        with session_scope(self._engine) as session:
            cipher = self._keyring.cipher_for(session=session, user_id=user_id)
            entry = JournalEntry(
                user_id=user_id,
                title_ct=cipher.encrypt(_TITLE, title),
                body_ct=cipher.encrypt(_BODY, body),
            )
            session.add(entry)
            return entry.id

    def list(self, *, user_id: str, limit: int = 100) -> list[JournalView]:
        """The user's newest entries first."""
        with session_scope(self._engine) as session:
            rows = session.exec(
                select(JournalEntry)
                .where(JournalEntry.user_id == user_id)
                .order_by(col(JournalEntry.created_at).desc())
                .limit(limit)
            ).all()
            return [self._view(session, row) for row in rows]

    def get(self, *, user_id: str, entry_id: str) -> JournalView:
        """One entry of this user; NotFound otherwise."""
        with session_scope(self._engine) as session:
            return self._view(session, _owned(session, user_id, entry_id))

    def update(self, *, user_id: str, entry_id: str, title: str, body: str) -> None:
        """Replace an entry's text."""
        title, body = _validate(title, body)
        with session_scope(self._engine) as session:
            row = _owned(session, user_id, entry_id)
            cipher = self._keyring.cipher_for(session=session, user_id=user_id)
            row.title_ct, row.body_ct = cipher.encrypt(_TITLE, title), cipher.encrypt(_BODY, body)
            row.updated_at = utcnow()
            session.add(row)

    def delete(self, *, user_id: str, entry_id: str) -> None:
        """Delete an entry of this user."""
        with session_scope(self._engine) as session:
            session.delete(_owned(session, user_id, entry_id))

    def _view(self, session: Session, row: JournalEntry) -> JournalView:
        cipher = self._keyring.cipher_for(session=session, user_id=row.user_id)
        return JournalView(
            id=row.id,
            title=cipher.decrypt_optional(_TITLE, row.title_ct) or "",
            body=cipher.decrypt_optional(_BODY, row.body_ct) or "",
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


def _owned(session: Session, user_id: str, entry_id: str) -> JournalEntry:
    row = session.exec(
        select(JournalEntry).where(JournalEntry.id == entry_id, JournalEntry.user_id == user_id)
    ).first()
    if row is None:
        raise NotFound("That entry doesn't exist.")
    return row
