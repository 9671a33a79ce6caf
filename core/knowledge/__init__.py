"""The knowledge base the project writes: markdown entries with front matter, and their topics
(data files in `data/knowledge/topics/`, each with its controlled tag list).

Search over it goes through the `Retriever` port (`core.ports`); its HNSW adapter lives in
`core.adapters.hnsw`, and `python -m core.knowledge build|search` drives it from the shell.
"""

from __future__ import annotations

from core.knowledge.corpus import (
    KnowledgeBaseError,
    KnowledgeEntry,
    Topic,
    content_hash,
    load_entries,
    load_topics,
)

__all__ = [
    "KnowledgeBaseError",
    "KnowledgeEntry",
    "Topic",
    "content_hash",
    "load_entries",
    "load_topics",
]
