"""The knowledge base and its semantic index.

`open_default_index(settings)` is the one call the app needs; `Retriever` is what callers depend
on, so tests can pass a fake.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from core.knowledge.corpus import (
    TOPICS,
    KnowledgeBaseError,
    KnowledgeEntry,
    content_hash,
    load_entries,
)
from core.knowledge.embedder import Embedder, EmbeddingModelError, SentenceTransformerEmbedder
from core.knowledge.index import KnowledgeIndex, SearchHit

if TYPE_CHECKING:
    from core.config import Settings

__all__ = [
    "TOPICS",
    "Embedder",
    "EmbeddingModelError",
    "KnowledgeBaseError",
    "KnowledgeEntry",
    "KnowledgeIndex",
    "Retriever",
    "SearchHit",
    "SentenceTransformerEmbedder",
    "content_hash",
    "load_entries",
    "open_default_index",
]


class Retriever(Protocol):
    """Finds knowledge entries relevant to a piece of text."""

    def search(self, query: str, k: int) -> list[SearchHit]:
        """The `k` best entries for `query`, best first; [] for a blank query."""
        ...

    def get(self, entry_id: str) -> KnowledgeEntry | None:
        """The entry with this id, if there is one."""
        ...


def open_default_index(settings: Settings, *, force: bool = False) -> KnowledgeIndex:
    """Load (or build) the index of `settings.knowledge_dir` in `settings.index_dir` with the
    configured embedding model. Raises `KnowledgeBaseError` or `EmbeddingModelError`."""
    entries = load_entries(settings.knowledge_dir)
    embedder = SentenceTransformerEmbedder(settings.embedding_model_path)
    return KnowledgeIndex.open(settings.index_dir, entries, embedder, force=force)
