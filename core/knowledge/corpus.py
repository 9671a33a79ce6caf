"""The knowledge base: markdown files with YAML front matter in `data/knowledge/<id>.md`, and the
topics they belong to in `data/knowledge/topics/<topic>.yaml` (each with its controlled tag list).

The topic list is data: a new topic is a new yaml file, never an edit here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import yaml

TOPICS_DIRNAME = "topics"
REQUIRED_KEYS: tuple[str, ...] = (
    "id",
    "title",
    "topic",
    "tags",
    "basis",
    "sources",
    "safety_note",
    "people_say",
    "audience",
    "region",
    "reviewed",
    "reviewer",
)
AUDIENCES: tuple[str, ...] = ("adults", "young-people", "carers", "everyone")
SAFETY_NOTE_MAX = 320
PEOPLE_SAY_RANGE = (3, 8)
_REGION = re.compile(r"^(any|[A-Z]{2}(-[A-Z0-9]{1,3})?)$")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class KnowledgeBaseError(ValueError):
    """A knowledge file is malformed; the message names the file, the field and the reason."""


@dataclass(frozen=True, slots=True)
class Topic:
    """One topic of the knowledge base, with the tags its entries may use."""

    id: str
    title: str
    description: str
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class KnowledgeEntry:
    """One article of the knowledge base.

    `safety_note` is always shown with the entry (the offline answer included); `people_say`
    holds short phrases in the words people use, which the search reads alongside the title.
    """

    id: str
    title: str
    topic: str
    tags: tuple[str, ...]
    basis: str
    body: str
    sources: tuple[str, ...] = ()
    safety_note: str = ""
    people_say: tuple[str, ...] = ()
    audience: str = "everyone"
    region: str = "any"
    reviewed: dt.date | None = None
    reviewer: str = ""

    @property
    def first_paragraph(self) -> str:
        """The opening paragraph: the gist and the must-keep safety sentence."""
        return self.body.split("\n\n", 1)[0].strip()

    @property
    def text_for_embedding(self) -> str:
        """Title, the words people use, then the body (whose first paragraph is the gist); the
        model truncates long input, so what matters most comes first."""
        said = "; ".join(self.people_say)
        return "\n".join(part for part in (self.title, said, self.body) if part)


def load_topics(directory: Path) -> dict[str, Topic]:
    """Load every `<topic>.yaml` in `directory`, keyed by id.

    Raises `KnowledgeBaseError` naming the file and field at fault.
    """
    if not directory.is_dir():
        raise KnowledgeBaseError(f"{directory}: topics directory does not exist")
    topics: dict[str, Topic] = {}
    for path in sorted(directory.glob("*.yaml")):
        topic = parse_topic(path)
        topics[topic.id] = topic
    if not topics:
        raise KnowledgeBaseError(f"{directory}: no topic files (*.yaml)")
    return topics


def parse_topic(path: Path) -> Topic:
    """Parse and validate one topic file."""
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError(f"{path.name}: cannot read topic file ({exc})") from exc
    if not isinstance(meta, dict):
        raise KnowledgeBaseError(f"{path.name}: a topic file must be a mapping")
    for key in ("id", "title", "description"):
        _text(path, meta, key)
    topic_id = meta["id"].strip()
    if topic_id != path.stem:
        raise KnowledgeBaseError(f"{path.name}: field 'id': '{topic_id}' is not the file name")
    tags = _strings(path, meta, "tags")
    bad = [t for t in tags if not _SLUG.match(t)]
    if bad or len(set(tags)) != len(tags):
        raise KnowledgeBaseError(
            f"{path.name}: field 'tags': lowercase-hyphenated and unique ({bad})"
        )
    return Topic(topic_id, meta["title"].strip(), meta["description"].strip(), tags)


def load_entries(
    directory: Path, topics: Mapping[str, Topic] | None = None
) -> list[KnowledgeEntry]:
    """Load every `*.md` file in `directory`, validated and sorted by id.

    Topics come from `directory/topics/*.yaml` unless given. Raises `KnowledgeBaseError` naming
    the first malformed file and field, and if the directory is missing.
    """
    if not directory.is_dir():
        raise KnowledgeBaseError(f"{directory}: knowledge directory does not exist")
    known = topics if topics is not None else load_topics(directory / TOPICS_DIRNAME)
    files = sorted(p for p in directory.glob("*.md") if not p.name.startswith("."))
    entries = sorted((parse_entry(p, known) for p in files), key=lambda entry: entry.id)
    return entries


def parse_entry(path: Path, topics: Mapping[str, Topic]) -> KnowledgeEntry:
    """Parse and validate one knowledge file against the known topics."""
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    # ValueError: YAML's own types can fail to build, e.g. an impossible date (2024-02-30).
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError(f"{path.name}: cannot read front matter ({exc})") from exc
    meta: dict[str, Any] = dict(post.metadata)
    missing = [key for key in REQUIRED_KEYS if key not in meta or meta[key] is None]
    if missing:
        raise KnowledgeBaseError(f"{path.name}: missing front-matter key(s): {', '.join(missing)}")
    entry_id = _text(path, meta, "id")
    if entry_id != path.stem:
        raise KnowledgeBaseError(
            f"{path.name}: field 'id': '{entry_id}' does not match the file name"
        )
    topic = _topic(path, meta, topics)
    if not entry_id.startswith(f"{topic.id}-"):
        raise KnowledgeBaseError(f"{path.name}: field 'id' must start with the topic '{topic.id}-'")
    body = post.content.replace("\r\n", "\n").strip()
    if not body:
        raise KnowledgeBaseError(f"{path.name}: body is empty")
    return KnowledgeEntry(
        id=entry_id,
        title=_text(path, meta, "title"),
        topic=topic.id,
        tags=_tags(path, meta, topic),
        basis=_text(path, meta, "basis"),
        body=body,
        sources=_strings(path, meta, "sources"),
        safety_note=_safety_note(path, meta),
        people_say=_people_say(path, meta),
        audience=_choice(path, meta, "audience", AUDIENCES),
        region=_region(path, meta),
        reviewed=_date(path, meta, "reviewed"),
        reviewer=_text(path, meta, "reviewer"),
    )


def _text(path: Path, meta: Mapping[str, Any], key: str) -> str:
    value = meta.get(key)
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeBaseError(f"{path.name}: field '{key}' must be a non-empty string")
    return " ".join(value.split())


def _strings(path: Path, meta: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = meta.get(key)
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        raise KnowledgeBaseError(f"{path.name}: field '{key}' must be a list of non-empty strings")
    return tuple(" ".join(v.split()) for v in value)


def _topic(path: Path, meta: Mapping[str, Any], topics: Mapping[str, Topic]) -> Topic:
    topic_id = _text(path, meta, "topic")
    if topic_id not in topics:
        raise KnowledgeBaseError(
            f"{path.name}: field 'topic': unknown topic '{topic_id}' "
            f"(expected one of: {', '.join(sorted(topics))})"
        )
    return topics[topic_id]


def _tags(path: Path, meta: Mapping[str, Any], topic: Topic) -> tuple[str, ...]:
    tags = _strings(path, meta, "tags")
    unknown = [t for t in tags if t not in topic.tags]
    if unknown:
        raise KnowledgeBaseError(
            f"{path.name}: field 'tags': {', '.join(unknown)} not in topic '{topic.id}' tag list"
        )
    return tags


def _safety_note(path: Path, meta: Mapping[str, Any]) -> str:
    note = _text(path, meta, "safety_note")
    if len(note) > SAFETY_NOTE_MAX:
        raise KnowledgeBaseError(
            f"{path.name}: field 'safety_note' is {len(note)} characters "
            f"(at most {SAFETY_NOTE_MAX})"
        )
    return note


def _people_say(path: Path, meta: Mapping[str, Any]) -> tuple[str, ...]:
    said = _strings(path, meta, "people_say")
    low, high = PEOPLE_SAY_RANGE
    if not low <= len(said) <= high:
        raise KnowledgeBaseError(
            f"{path.name}: field 'people_say' has {len(said)} phrases (expected {low}-{high})"
        )
    return said


def _choice(path: Path, meta: Mapping[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    value = _text(path, meta, key)
    if value not in allowed:
        raise KnowledgeBaseError(
            f"{path.name}: field '{key}': '{value}' is not one of {', '.join(allowed)}"
        )
    return value


def _region(path: Path, meta: Mapping[str, Any]) -> str:
    value = _text(path, meta, "region")
    if not _REGION.match(value):
        raise KnowledgeBaseError(
            f"{path.name}: field 'region': '{value}' is not 'any' or a region code such as US"
        )
    return value


def _date(path: Path, meta: Mapping[str, Any], key: str) -> dt.date:
    value = meta.get(key)
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise KnowledgeBaseError(f"{path.name}: field '{key}' must be a date (YYYY-MM-DD)")
    return value


def content_hash(entries: Iterable[KnowledgeEntry]) -> str:
    """SHA-256 over the canonical JSON of the entries (sorted by id); order-independent, and it
    changes exactly when something an entry shows or is searched by changes."""
    canonical = [_canonical(e) for e in sorted(entries, key=lambda entry: entry.id)]
    payload = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _canonical(entry: KnowledgeEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "title": entry.title,
        "topic": entry.topic,
        "tags": list(entry.tags),
        "basis": entry.basis,
        "body": entry.body,
        "sources": list(entry.sources),
        "safety_note": entry.safety_note,
        "people_say": list(entry.people_say),
        "audience": entry.audience,
        "region": entry.region,
        "reviewed": entry.reviewed.isoformat() if entry.reviewed else None,
        "reviewer": entry.reviewer,
    }
