"""Search one's own journal by meaning, by date and by kind, in memory only.

Entries are decrypted inside the person's unit of work and embedded with the app's embedding
model; the vectors (never the text) are kept in this process's memory, per user, keyed by entry
id and `updated_at`, so an edited entry is embedded again and a warm search embeds only the
query. Nothing decrypted or derived is written to disk. A query is text the person writes, so
it passes `core.safety.assess` before the model sees it; the page shows the crisis numbers for
a crisis query. The cache holds at most `max_users` people (least recently searched leave).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from core.db.models import JournalEntry
from core.errors import InvalidInput
from core.journal_forms import KINDS, Kind, unpack_body
from core.lazy import Lazy
from core.ports import Embedder, Vector
from core.safety import Assessment, assess
from core.store import UserStore, UserUnit

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 500
MAX_RESULTS = 100
_EMBED_CHARS = 2_000  # MiniLM reads 256 word pieces; the start of an entry carries its topic
_BATCH = 64


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
            rows = unit.list(JournalEntry, since=since, until=until)
            by_meaning = bool(query)
            try:
                known = self._known(unit, rows, with_vectors=by_meaning)
            except Exception as failure:  # no model: still search by kind and date
                log.error("journal search without meaning", extra={"error": type(failure).__name__})
                by_meaning = False
                known = self._known(unit, rows, with_vectors=False)
            chosen = [row for row in rows if kind is None or known[row.id].kind == kind]
            scores: list[float | None] = [None] * len(chosen)
            if by_meaning and chosen:
                ranked = self._rank(query, [known[row.id].vector for row in chosen])
                order = np.argsort(-ranked, kind="stable")[:limit]
                chosen = [chosen[i] for i in order]
                scores = [float(ranked[i]) for i in order]
            hits = tuple(
                _hit(unit, row, known[row.id].kind, score)
                for row, score in zip(chosen[:limit], scores[:limit], strict=True)
            )
        return JournalSearchResult(hits, assessment, by_meaning)

    def forget(self, *, user_id: str) -> None:
        """Drop this user's vectors from memory (log out, account deleted)."""
        with self._lock:
            self._cache.pop(user_id, None)

    def _known(
        self, unit: UserUnit, rows: Sequence[JournalEntry], *, with_vectors: bool
    ) -> dict[str, _Cached]:
        """Each row's kind (and vector when asked), from the cache or decrypted and embedded."""
        with self._lock:
            cached = dict(self._cache.get(unit.user_id, {}))
        stale = [
            row
            for row in rows
            if (hit := cached.get(row.id)) is None
            or hit.updated_at != row.updated_at
            or (with_vectors and hit.vector is None)
        ]
        if stale:
            texts = {row.id: unit.open(row, "body_ct") or "" for row in stale}
            kinds = {row_id: unpack_body(text) for row_id, text in texts.items()}
            vectors = (
                self._embed(
                    [
                        f"{unit.open(row, 'title_ct') or ''}\n{kinds[row.id][1]}"[:_EMBED_CHARS]
                        for row in stale
                    ]
                )
                if with_vectors
                else [None] * len(stale)
            )
            for row, vector in zip(stale, vectors, strict=True):
                cached[row.id] = _Cached(row.updated_at, kinds[row.id][0], vector)
            self._keep(unit.user_id, cached)
        else:
            with self._lock:
                if unit.user_id in self._cache:
                    self._cache.move_to_end(unit.user_id)
        return cached

    def _keep(self, user_id: str, cached: dict[str, _Cached]) -> None:
        with self._lock:
            self._cache[user_id] = cached
            self._cache.move_to_end(user_id)
            while len(self._cache) > self._max_users:
                self._cache.popitem(last=False)

    def _embed(self, texts: Sequence[str]) -> list[Vector | None]:
        model = self._embedder()
        out: list[Vector | None] = []
        for start in range(0, len(texts), _BATCH):
            out.extend(model.embed(texts[start : start + _BATCH]))
        return out

    def _rank(self, query: str, vectors: Sequence[Vector | None]) -> Vector:
        matrix = np.vstack([vector for vector in vectors if vector is not None])
        wanted = self._embedder().embed([query])[0]
        ranked: Vector = matrix @ wanted
        return ranked


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
