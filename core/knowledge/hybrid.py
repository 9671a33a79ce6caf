"""The `Retriever` the app uses: dense (HNSW) and lexical (BM25) search fused by rank.

One search, step by step:

1. The message is screened with the safety rules (regular expressions, no model). A crisis
   message puts the best crisis entry first and is never sent to the language model.
2. Its language is detected; a message in another language becomes an English query through the
   project's lexicons (`core.knowledge.language`), offline.
3. A short or vague message may be rewritten into a query by the language model, if one is
   wired in and answers within its deadline (`core.knowledge.rewrite`).
4. The whole message, and each of its sentences when it is long, are ranked by both indexes;
   every sentence embedding is made in one batch, and the caller's embedding of the whole message
   is reused when it has one.
5. The rankings are fused by reciprocal rank fusion, and the top `k` keep at most
   `MAX_PER_TOPIC` entries of one topic, so a message that spans two topics reaches both.
   Entries unsuitable next to the best hit (`LEAVE_OUT_WITH`) are left out.

`SearchHit.score` stays the cosine similarity of the entry to the (English) query, as the port
says; the order is the fused one.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from core.knowledge.corpus import KnowledgeEntry
from core.knowledge.language import ENGLISH, LanguageRouter, normalise_words
from core.knowledge.lexical import LexicalIndex
from core.knowledge.rewrite import QueryRewriter
from core.ports import DenseIndex, Embedder, SearchHit, Vector
from core.safety.detector import assess

log = logging.getLogger(__name__)

# Longest query text read (the embedder cuts at the same length: core.adapters.embeddings
# .MAX_INPUT_CHARS; not imported, as core.adapters imports this module).
MAX_INPUT_CHARS = 4000
# Reciprocal rank fusion: score = sum of weight / (RRF_K + rank). 60 is the value from Cormack et
# al. (2009); with a corpus of a few hundred entries a smaller constant lets a first place
# count for more than a long tail of middling ranks. Measured in bench/search_bench.py.
RRF_K = 20
DENSE_WEIGHT = 1.0
LEXICAL_WEIGHT = 1.0
# Each sentence of a long message is a further, weaker vote: the whole message decides what it is
# about, a sentence can add the need it mentions in passing.
SENTENCE_WEIGHT = 0.5
REWRITE_WEIGHT = 1.0
# Per-sentence scoring applies from this many sentences, in a message at least this long.
MIN_SENTENCES = 2
MIN_SENTENCE_CHARS = 100
# Only this many sentences are scored (the first ones); a very long message is cut.
MAX_SENTENCES = 12
# How many ranks of each list count (deeper ranks add noise, not signal).
DEPTH = 30
# A message this short (in words) is "vague" and may be rewritten by the model.
VAGUE_MAX_WORDS = 10
MAX_PER_TOPIC = 2
# Topics whose entries come first for a message the safety rules rate as a crisis.
CRISIS_TOPICS = ("crisis-support", "suicidal-thoughts")

# Topics left out of the results when the best hit is of the key topic: testing thoughts against
# evidence ("ask them what they think") is the wrong step for paranoia or voices (issue #12).
LEAVE_OUT_WITH = {"psychosis-mania": frozenset({"thinking-patterns"})}

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def split_sentences(text: str) -> list[str]:
    """The message's sentences (line breaks count as ends), blank ones dropped."""
    return [part.strip() for part in _SENTENCE_END.split(text) if len(part.strip()) > 2]


def screen_level(text: str) -> str:
    """The safety rules' level for `text` ("none", "concern" or "crisis"); no model involved."""
    return assess(text).level


@dataclass(frozen=True, slots=True)
class _Query:
    """One text to rank, with the weight of its votes."""

    lexical: str
    dense: str
    weight: float


class HybridRetriever:
    """`Retriever` port: HNSW + BM25 with rank fusion, other languages, sentences and diversity.

    `index` is the dense index (a `core.adapters.hnsw.KnowledgeIndex`); the lexical index is
    rebuilt in memory if the dense one was refreshed to other entries.
    """

    def __init__(
        self,
        index: DenseIndex,
        lexical: LexicalIndex,
        router: LanguageRouter,
        *,
        rewriter: QueryRewriter | None = None,
        screen: Callable[[str], str] = screen_level,
    ) -> None:
        self._index = index
        self._lexical = lexical
        self._router = router
        self._rewriter = rewriter
        self._screen = screen
        self._lock = threading.Lock()

    @property
    def index(self) -> DenseIndex:
        """The dense index (its entries, embedder, directory and build reason)."""
        return self._index

    @property
    def embedder(self) -> Embedder:
        """The embedding model behind the dense index."""
        return self._index.embedder

    @property
    def entries(self) -> tuple[KnowledgeEntry, ...]:
        """All entries, sorted by id."""
        return self._index.entries

    def __len__(self) -> int:
        return len(self._index.entries)

    def get(self, entry_id: str) -> KnowledgeEntry | None:
        """The entry with this id, or None."""
        return self._index.get(entry_id)

    def search(self, query: str, k: int = 3, *, embedding: Vector | None = None) -> list[SearchHit]:
        """The `k` best entries for `query`, best first; [] for a blank query or k <= 0."""
        text = query.strip()[:MAX_INPUT_CHARS]
        if not text or k <= 0:
            return []
        entries = self._index.entries
        lexical = self._lexical_for(entries)
        level = self._screen(text)
        english = self._router.english_query(text)
        # The embedding reads English as written (the caller's vector is reused); BM25 also gets
        # the plain terms of any idiom; another language is embedded as its English query.
        dense_text = english.text if english.translated else text
        queries = [_Query(english.text, dense_text, 1.0)]
        sentences = split_sentences(text) if len(text) >= MIN_SENTENCE_CHARS else []
        if len(sentences) >= MIN_SENTENCES:
            for sentence in sentences[:MAX_SENTENCES]:
                part = self._router.english_query(sentence, language=english.language)
                said = part.text if part.translated else sentence
                queries.append(_Query(part.text, said, SENTENCE_WEIGHT))
        if self._wants_rewrite(text, level, english.language, bool(english.terms)):
            rewritten = self._rewriter.rewrite(text) if self._rewriter else None
            if rewritten:
                queries.append(_Query(rewritten, rewritten, REWRITE_WEIGHT))
        vectors = self._embed(queries, None if english.translated else embedding)
        fused: dict[int, float] = defaultdict(float)
        cosine: dict[int, float] = {}
        by_id = {entry.id: row for row, entry in enumerate(entries)}
        for position, item in enumerate(queries):
            dense = self._index.search_vector(vectors[position], k=min(DEPTH, len(entries)))
            for rank, hit in enumerate(dense):
                row = by_id[hit.id]
                fused[row] += item.weight * DENSE_WEIGHT / (RRF_K + rank + 1)
                if position == 0:
                    cosine[row] = hit.score
            scores = lexical.scores(item.lexical)
            order = np.argsort(-scores, kind="stable")[:DEPTH]
            for rank, row in enumerate(int(r) for r in order if scores[r] > 0):
                fused[row] += item.weight * LEXICAL_WEIGHT / (RRF_K + rank + 1)
        ranked = sorted(fused, key=lambda row: (-fused[row], entries[row].id))
        if level == "crisis":
            ranked = _crisis_first(ranked, entries)
        ranked = _leave_out_unsuitable(ranked, entries)
        chosen = _diverse(ranked, entries, k)
        whole = vectors[0]
        return [
            SearchHit(
                id=entries[row].id,
                title=entries[row].title,
                topic=entries[row].topic,
                score=cosine.get(row, self._cosine(whole, entries[row])),
                entry=entries[row],
            )
            for row in chosen
        ]

    def _wants_rewrite(self, text: str, level: str, language: str, found: bool) -> bool:
        """Only for a message with no risk that the offline path may not understand."""
        if self._rewriter is None or level != "none":
            return False
        if language != ENGLISH and not found:
            return True
        return len(normalise_words(text)) <= VAGUE_MAX_WORDS

    def _embed(self, queries: Sequence[_Query], whole: Vector | None) -> list[Vector]:
        """One vector per query, in one batch; the caller's vector of the whole is reused."""
        texts = [q.dense[:MAX_INPUT_CHARS] for q in queries]
        if whole is not None:
            rest: list[Vector] = list(self.embedder.embed(texts[1:])) if len(texts) > 1 else []
            return [np.asarray(whole, dtype=np.float32), *rest]
        return list(self.embedder.embed(texts))

    def _cosine(self, vector: Vector, entry: KnowledgeEntry) -> float:
        """Cosine of an entry beyond the dense list's depth (found by BM25 alone)."""
        for hit in self._index.search_vector(vector, k=len(self._index.entries)):
            if hit.id == entry.id:
                return hit.score
        return 0.0

    def _lexical_for(self, entries: Sequence[KnowledgeEntry]) -> LexicalIndex:
        """The lexical index matching the dense index's current entries."""
        digest = self._index.content_hash
        with self._lock:
            if self._lexical.content_hash != digest:
                self._lexical = LexicalIndex.build(entries, digest)
            return self._lexical


def _crisis_first(ranked: list[int], entries: Sequence[KnowledgeEntry]) -> list[int]:
    """The best-ranked crisis entry moved to the front (the rest keep their order)."""
    crisis = [row for row in ranked if entries[row].topic in CRISIS_TOPICS]
    if not crisis:
        crisis = [row for row, e in enumerate(entries) if e.topic in CRISIS_TOPICS][:1]
    if not crisis:
        return ranked
    first = crisis[0]
    return [first, *(row for row in ranked if row != first)]


def _leave_out_unsuitable(ranked: list[int], entries: Sequence[KnowledgeEntry]) -> list[int]:
    """Without the topics LEAVE_OUT_WITH names for the best hit's topic."""
    if not ranked:
        return ranked
    unsuitable = LEAVE_OUT_WITH.get(entries[ranked[0]].topic, frozenset())
    return [row for row in ranked if entries[row].topic not in unsuitable]


def _diverse(ranked: Sequence[int], entries: Sequence[KnowledgeEntry], k: int) -> list[int]:
    """The first `k` of `ranked` with at most MAX_PER_TOPIC of one topic (topped up if short)."""
    chosen: list[int] = []
    per_topic: dict[str, int] = defaultdict(int)
    for row in ranked:
        topic = entries[row].topic
        if per_topic[topic] < MAX_PER_TOPIC:
            chosen.append(row)
            per_topic[topic] += 1
        if len(chosen) == k:
            return chosen
    for row in ranked:
        if len(chosen) == k:
            break
        if row not in chosen:
            chosen.append(row)
    return chosen
