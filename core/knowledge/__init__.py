"""The knowledge base the project writes: markdown entries with front matter, and their topics.

Search over it goes through the `Retriever` port (`core.ports`); its HNSW adapter lives in
`core.adapters.hnsw`, and `python -m core.knowledge build|search` drives it from the shell.
"""

from __future__ import annotations

from core.knowledge.corpus import (
    TOPICS,
    KnowledgeBaseError,
    KnowledgeEntry,
    content_hash,
    load_entries,
)

__all__ = ["TOPICS", "KnowledgeBaseError", "KnowledgeEntry", "content_hash", "load_entries"]
