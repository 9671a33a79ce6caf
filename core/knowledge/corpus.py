"""The knowledge base: markdown files with YAML front matter in `data/knowledge/<id>.md`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import yaml

TOPICS: tuple[str, ...] = (
    "anxiety",
    "low-mood",
    "stress",
    "sleep",
    "breathing",
    "grounding",
    "thinking-patterns",
    "activity",
    "mindfulness",
    "self-compassion",
    "relationships",
    "grief",
    "anger",
    "crisis-support",
)

REQUIRED_KEYS: tuple[str, ...] = ("id", "title", "topic", "tags", "basis")


class KnowledgeBaseError(ValueError):
    """A knowledge file is malformed; the message names the file and the reason."""


@dataclass(frozen=True, slots=True)
class KnowledgeEntry:
    """One article of the knowledge base."""

    id: str
    title: str
    topic: str
    tags: tuple[str, ...]
    basis: str
    body: str

    @property
    def text_for_embedding(self) -> str:
        """Title and tags first (the model truncates long input), then the body."""
        return f"{self.title}\n{', '.join(self.tags)}\n{self.body}"


def load_entries(directory: Path) -> list[KnowledgeEntry]:
    """Load every `*.md` file in `directory`, validated and sorted by id.

    Raises `KnowledgeBaseError` naming the first malformed file, and if the directory is missing.
    """
    if not directory.is_dir():
        raise KnowledgeBaseError(f"{directory}: knowledge directory does not exist")
    files = sorted(p for p in directory.glob("*.md") if not p.name.startswith("."))
    return sorted((parse_entry(p) for p in files), key=lambda entry: entry.id)


def parse_entry(path: Path) -> KnowledgeEntry:
    """Parse and validate one knowledge file."""
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    # ValueError: YAML's own types can fail to build, e.g. an impossible date (2024-02-30).
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError(f"{path.name}: cannot read front matter ({exc})") from exc
    meta: dict[str, Any] = dict(post.metadata)
    missing = [key for key in REQUIRED_KEYS if key not in meta or meta[key] is None]
    if missing:
        raise KnowledgeBaseError(f"{path.name}: missing front-matter key(s): {', '.join(missing)}")
    for key in ("id", "title", "topic", "basis"):
        if not isinstance(meta[key], str) or not meta[key].strip():
            raise KnowledgeBaseError(f"{path.name}: '{key}' must be a non-empty string")
    entry_id = meta["id"].strip()
    if entry_id != path.stem:
        raise KnowledgeBaseError(f"{path.name}: id '{entry_id}' does not match the file name")
    topic = meta["topic"].strip()
    if topic not in TOPICS:
        raise KnowledgeBaseError(
            f"{path.name}: unknown topic '{topic}' (expected one of: {', '.join(TOPICS)})"
        )
    tags = meta["tags"]
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        raise KnowledgeBaseError(f"{path.name}: 'tags' must be a list of non-empty strings")
    body = post.content.replace("\r\n", "\n").strip()
    if not body:
        raise KnowledgeBaseError(f"{path.name}: body is empty")
    return KnowledgeEntry(
        id=entry_id,
        title=meta["title"].strip(),
        topic=topic,
        tags=tuple(t.strip() for t in tags),
        basis=meta["basis"].strip(),
        body=body,
    )


def content_hash(entries: Iterable[KnowledgeEntry]) -> str:
    """SHA-256 over the canonical JSON of the entries (sorted by id); order-independent."""
    canonical = [
        {
            "id": e.id,
            "title": e.title,
            "topic": e.topic,
            "tags": list(e.tags),
            "basis": e.basis,
            "body": e.body,
        }
        for e in sorted(entries, key=lambda entry: entry.id)
    ]
    payload = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
