"""Search one's own journal by meaning, by date and by kind, in memory only.

Each entry's vector is computed when it is saved and sealed with it (core.journal_vectors), so a
search only decrypts vectors; an entry saved before vectors existed (or while the model was still
loading) is embedded at its first search, or by `warm_up` in the background, and its vector is
stored then. Decrypted vectors and kinds (never the text) are kept in this process's memory, per
user, keyed by entry id and `updated_at`, so an edited entry is read again and a warm search
embeds only the query and decrypts only the hits it shows. Nothing decrypted is written to disk.
A query is text the person writes, so it passes `core.safety.assess` before the model sees it;
the page shows the crisis numbers for a crisis query. The cache holds at most `max_users` people
(least recently searched leave) and a person's vectors leave it when they log out (`forget`).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlmodel import col

from core.db.models import JournalEntry
from core.errors import InvalidInput
from core.journal_forms import KINDS, Kind, unpack_body
from core.journal_vectors import open_vector, seal_vector, text_to_embed
from core.lazy import Lazy
from core.ports import Embedder, Vector
from core.safety import Assessment, assess
from core.store import UserStore, UserUnit

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 500
MAX_RESULTS = 100
_BATCH = 64  # texts per call to the model
_CHUNK = 500  # entries read (and, in the warm-up, stored) per query


@dataclass(frozen=True, slots=True)
class JournalHit:
    """An entry found: when, its kind and title, the text, and how close it is to the query."""

    id: str
    created_at: datetime
    kind: Kind
    title: str
    body: str
    score: float | None  # cosine similarity; None for a search without words


@dataclass(frozen=True, slots=True)
class JournalSearchResult:
    """The hits, best (or newest) first, and how the safety screen read the query."""

    hits: tuple[JournalHit, ...]
    assessment: Assessment | None
    by_meaning: bool = False  # False when there were no words, or the model could not load


@dataclass(frozen=True, slots=True)
class _Cached:
    updated_at: datetime
    kind: Kind
    vector: Vector | None


class JournalSearchService:
    """Finds a user's own entries; the only state is the in-memory vector cache."""

    def __init__(self, *, store: UserStore, embedder: Lazy[Embedder], max_users: int = 32) -> None:
        self._store = store
        self._embedder = embedder
        self._max_users = max_users
        self._cache: OrderedDict[str, dict[str, _Cached]] = OrderedDict()
        self._lock = threading.Lock()
        self._warming: set[str] = set()
        # Bumped by `forget`: a warm-up or search that started before it keeps nothing.
        self._generation: dict[str, int] = {}

    def search(
        self,
        *,
        user_id: str,
        query: str = "",
        kind: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        region: str | None = None,
        limit: int = 20,
    ) -> JournalSearchResult:
        """Entries of this user within [since, until) of `kind` (any when None), closest to
        `query` first, or newest first when there is no query."""
        query = _check(query, kind, limit)
        assessment = assess(query, region=region) if query else None
        with self._store.unit(user_id) as unit:
            rows = _stamps(unit, since=since, until=until)
            by_meaning = bool(query)
            try:
                known, _ = self._known(unit, rows, with_vectors=by_meaning)
            except Exception as failure:  # no model: still search by kind and date
                log.error("journal search without meaning", extra={"error": type(failure).__name__})
                by_meaning = False
                known, _ = self._known(unit, rows, with_vectors=False)
            chosen = [row["id"] for row in rows if kind is None or known[row["id"]].kind == kind]
            scores: list[float | None] = [None] * len(chosen)
            if by_meaning and chosen:
                ranked = self._rank(query, [known[entry_id].vector for entry_id in chosen])
                order = np.argsort(-ranked, kind="stable")[:limit]
                chosen = [chosen[i] for i in order]
                scores = [float(ranked[i]) for i in order]
            shown = _rows(unit, chosen[:limit])
            hits = tuple(
                _hit(unit, shown[entry_id], known[entry_id].kind, score)
                for entry_id, score in zip(chosen[:limit], scores[:limit], strict=True)
                if entry_id in shown
            )
        return JournalSearchResult(hits, assessment, by_meaning)

    def warm_up(self, *, user_id: str) -> bool:
        """Read (and, for entries without one, compute and store) this user's vectors on a
        background thread, so their first search is warm; True when a warm-up started. Never
        waits: without a loaded model it only starts loading it, and a later call warms."""
        with self._lock:
            if user_id in self._cache or user_id in self._warming:
                return False
        if self._embedder.ready_or_start() is None:
            return False
        with self._lock:
            if user_id in self._warming:
                return False
            self._warming.add(user_id)
        threading.Thread(
            target=self._warm, args=(user_id,), name="journal-search-warm-up", daemon=True
        ).start()
        return True

    def backfill(self, *, user_id: str) -> int:
        """Compute and store the vectors of this user's entries that have none (or one of
        another model), a chunk per transaction; returns how many were computed."""
        with self._lock:
            generation = self._generation.get(user_id, 0)
        with self._store.unit(user_id) as unit:
            rows = _stamps(unit)
        done = 0
        for start in range(0, len(rows), _CHUNK):
            if self._generation.get(user_id, 0) != generation:
                break  # logged out meanwhile: keep nothing more of theirs in memory
            with self._store.unit(user_id) as unit:
                chunk = rows[start : start + _CHUNK]
                done += self._known(unit, chunk, with_vectors=True, generation=generation)[1]
        return done

    def forget(self, *, user_id: str) -> None:
        """Drop this user's vectors from memory (log out, account deleted)."""
        with self._lock:
            self._cache.pop(user_id, None)
            self._generation[user_id] = self._generation.get(user_id, 0) + 1

    def _warm(self, user_id: str) -> None:
        try:
            self.backfill(user_id=user_id)
        except Exception as failure:  # a warm-up is an optimisation: the search still works
            log.warning("journal warm-up failed", extra={"error": type(failure).__name__})
        finally:
            with self._lock:
                self._warming.discard(user_id)

    def _known(
        self,
        unit: UserUnit,
        rows: Sequence[Any],
        *,
        with_vectors: bool,
        generation: int | None = None,
    ) -> tuple[dict[str, _Cached], int]:
        """Each row's kind (and vector when asked): from memory, else decrypted from the entry
        (its stored vector when it has one of this model, else embedded now and stored); and
        how many entries were embedded."""
        with self._lock:
            cached = dict(self._cache.get(unit.user_id, {}))
            if generation is None:
                generation = self._generation.get(unit.user_id, 0)
        stale = [
            row["id"]
            for row in rows
            if (hit := cached.get(row["id"])) is None
            or hit.updated_at != row["updated_at"]
            or (with_vectors and hit.vector is None)
        ]
        embedded = 0
        if stale:
            model = self._embedder() if with_vectors else None
            for start in range(0, len(stale), _CHUNK):
                found, count = self._read(unit, stale[start : start + _CHUNK], model)
                cached.update(found)
                embedded += count
        with self._lock:
            if self._generation.get(unit.user_id, 0) == generation:
                self._cache[unit.user_id] = cached
                self._cache.move_to_end(unit.user_id)
                while len(self._cache) > self._max_users:
                    self._cache.popitem(last=False)
        return cached, embedded

    def _read(
        self, unit: UserUnit, entry_ids: Sequence[str], model: Embedder | None
    ) -> tuple[dict[str, _Cached], int]:
        """Decrypt these entries' kinds and vectors; embed and store the missing vectors (and
        say how many)."""
        found: dict[str, _Cached] = {}
        missing: list[tuple[JournalEntry, Kind, str]] = []
        for row in unit.list(JournalEntry, where=[col(JournalEntry.id).in_(entry_ids)]):
            kind, body = unpack_body(unit.open(row, "body_ct") or "")
            vector = open_vector(unit, row, model) if model is not None else None
            if model is not None and vector is None:
                missing.append((row, kind, body))
            found[row.id] = _Cached(row.updated_at, kind, vector)
        if model is not None and missing:
            texts = [
                text_to_embed(unit.open(row, "title_ct") or "", body) for row, _, body in missing
            ]
            for (row, kind, _), vector in zip(missing, self._embed(model, texts), strict=True):
                _store_vector(unit, row, model.name, vector)
                found[row.id] = _Cached(row.updated_at, kind, vector)
        return found, len(missing) if model is not None else 0

    def _embed(self, model: Embedder, texts: Sequence[str]) -> list[Vector]:
        out: list[Vector] = []
        for start in range(0, len(texts), _BATCH):
            out.extend(model.embed(texts[start : start + _BATCH]))
        return out

    def _rank(self, query: str, vectors: Sequence[Vector | None]) -> Vector:
        model = self._embedder()
        empty = np.zeros(model.dimension, dtype=np.float32)
        matrix = np.vstack([vector if vector is not None else empty for vector in vectors])
        wanted = model.embed([query])[0]
        ranked: Vector = matrix @ wanted
        return ranked


def _stamps(
    unit: UserUnit, *, since: datetime | None = None, until: datetime | None = None
) -> list[Any]:
    """Id and `updated_at` of the user's entries in [since, until), newest first: all a warm
    search reads of the entries it does not show."""
    return unit.values(JournalEntry, ("id", "updated_at"), since=since, until=until)


def _rows(unit: UserUnit, entry_ids: Sequence[str]) -> dict[str, JournalEntry]:
    """The entries to show, by id."""
    if not entry_ids:
        return {}
    return {
        row.id: row for row in unit.list(JournalEntry, where=[col(JournalEntry.id).in_(entry_ids)])
    }


def _store_vector(unit: UserUnit, row: JournalEntry, model_name: str, vector: Vector) -> None:
    """Store a vector computed at search time, unless the entry changed meanwhile (another tab's
    edit keeps the vector of its own text)."""
    seal_vector(unit, row, model_name, vector)
    blob = row.embedding_ct
    unit.session.expire(row, ["embedding_ct"])  # the guarded UPDATE below writes it, not the ORM
    unit.session.execute(
        sa.update(JournalEntry)
        .where(
            col(JournalEntry.id) == row.id,
            col(JournalEntry.user_id) == unit.user_id,
            col(JournalEntry.updated_at) == row.updated_at,
        )
        .values(embedding_ct=blob)
    )


def _check(query: object, kind: object, limit: object) -> str:
    if not isinstance(query, str):
        raise InvalidInput("Please type a few words to search for.")
    query = query.strip()
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidInput(f"Please keep a search under {MAX_QUERY_CHARS} characters.")
    if kind is not None and kind not in KINDS:
        raise InvalidInput("Please choose a kind of entry.")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_RESULTS:
        raise InvalidInput(f"Up to {MAX_RESULTS} results can be shown at once.")
    return query


def _hit(unit: UserUnit, row: JournalEntry, kind: Kind, score: float | None) -> JournalHit:
    _, body = unpack_body(unit.open(row, "body_ct") or "")
    return JournalHit(row.id, row.created_at, kind, unit.open(row, "title_ct") or "", body, score)
