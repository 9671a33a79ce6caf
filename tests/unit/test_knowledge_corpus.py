"""The knowledge-base loader: validation of single files, and the shape of the shipped base."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest

from core.config import PROJECT_ROOT
from core.knowledge.corpus import (
    REQUIRED_KEYS,
    TOPICS,
    KnowledgeBaseError,
    KnowledgeEntry,
    content_hash,
    load_entries,
)

SHIPPED_KB = PROJECT_ROOT / "data" / "knowledge"
BODY = "Slow breathing can settle the body when it is stirred up. " * 3


def write_entry(
    directory: Path,
    stem: str,
    *,
    id_: str | None = None,
    topic: str = "breathing",
    drop: str | None = None,
    body: str = BODY,
) -> Path:
    fields = {
        "id": id_ if id_ is not None else stem,
        "title": "Slow breathing",
        "topic": topic,
        "tags": "[breath, calm]",
        "basis": '"NHS: breathing exercises for stress"',
    }
    if drop is not None:
        del fields[drop]
    front = "\n".join(f"{key}: {value}" for key, value in fields.items())
    path = directory / f"{stem}.md"
    path.write_text(f"---\n{front}\n---\n{body}\n", encoding="utf-8")
    return path


def test_a_well_formed_file_loads_into_an_entry(tmp_path: Path) -> None:
    write_entry(tmp_path, "breathing-slow")

    [entry] = load_entries(tmp_path)

    assert entry == KnowledgeEntry(
        id="breathing-slow",
        title="Slow breathing",
        topic="breathing",
        tags=("breath", "calm"),
        basis="NHS: breathing exercises for stress",
        body=BODY.strip(),
    )
    assert entry.text_for_embedding.startswith("Slow breathing\nbreath, calm\nSlow breathing can")


def test_entries_come_back_sorted_by_id(tmp_path: Path) -> None:
    for stem in ("c-entry", "a-entry", "b-entry"):
        write_entry(tmp_path, stem)

    assert [e.id for e in load_entries(tmp_path)] == ["a-entry", "b-entry", "c-entry"]


@pytest.mark.parametrize("key", REQUIRED_KEYS)
def test_a_missing_front_matter_key_is_reported_with_the_file_name(
    tmp_path: Path, key: str
) -> None:
    write_entry(tmp_path, "breathing-slow", drop=key)

    with pytest.raises(KnowledgeBaseError, match=rf"breathing-slow\.md: missing .*{key}"):
        load_entries(tmp_path)


def test_an_unknown_topic_is_rejected(tmp_path: Path) -> None:
    write_entry(tmp_path, "breathing-slow", topic="breathwork")

    with pytest.raises(KnowledgeBaseError, match=r"breathing-slow\.md: unknown topic 'breathwork'"):
        load_entries(tmp_path)


def test_an_id_that_differs_from_the_file_name_is_rejected(tmp_path: Path) -> None:
    write_entry(tmp_path, "breathing-slow", id_="breathing-fast")

    with pytest.raises(KnowledgeBaseError, match=r"breathing-slow\.md: id 'breathing-fast'"):
        load_entries(tmp_path)


def test_an_empty_body_is_rejected(tmp_path: Path) -> None:
    write_entry(tmp_path, "breathing-slow", body="   \n")

    with pytest.raises(KnowledgeBaseError, match=r"breathing-slow\.md: body is empty"):
        load_entries(tmp_path)


def test_tags_must_be_a_list(tmp_path: Path) -> None:
    path = write_entry(tmp_path, "breathing-slow")
    path.write_text(path.read_text().replace("[breath, calm]", "breath"), encoding="utf-8")

    with pytest.raises(KnowledgeBaseError, match=r"breathing-slow\.md: 'tags' must be a list"):
        load_entries(tmp_path)


def test_broken_yaml_is_reported_with_the_file_name(tmp_path: Path) -> None:
    (tmp_path / "broken.md").write_text("---\nid: [unclosed\n---\nbody\n", encoding="utf-8")

    with pytest.raises(KnowledgeBaseError, match=r"broken\.md: cannot read front matter"):
        load_entries(tmp_path)


def test_an_impossible_date_is_reported_as_a_malformed_file(tmp_path: Path) -> None:
    path = write_entry(tmp_path, "breathing-slow")
    text = path.read_text(encoding="utf-8").replace("---\n", "---\nreviewed: 2024-02-30\n", 1)
    path.write_text(text, encoding="utf-8")

    with pytest.raises(KnowledgeBaseError, match=r"breathing-slow\.md: cannot read front matter"):
        load_entries(tmp_path)


def test_a_missing_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="does not exist"):
        load_entries(tmp_path / "nowhere")


def test_the_content_hash_ignores_order_but_sees_any_change(tmp_path: Path) -> None:
    write_entry(tmp_path, "a-entry")
    write_entry(tmp_path, "b-entry")
    entries = load_entries(tmp_path)
    edited = dataclasses.replace(entries[1], body=entries[1].body + " One more sentence.")

    assert content_hash(entries) == content_hash(list(reversed(entries)))
    assert content_hash(entries) != content_hash([entries[0], edited])
    assert len(content_hash(entries)) == 64


def test_the_shipped_knowledge_base_is_complete_and_well_formed() -> None:
    entries = load_entries(SHIPPED_KB)  # raises on any malformed file

    assert len(entries) >= 80, f"only {len(entries)} entries in data/knowledge/"
    per_topic = Counter(e.topic for e in entries)
    thin = {topic: per_topic.get(topic, 0) for topic in TOPICS if per_topic.get(topic, 0) < 4}
    assert not thin, f"topics with fewer than 4 entries: {thin}"
    wrong_length = {
        e.id: len(e.body.split()) for e in entries if not 150 <= len(e.body.split()) <= 400
    }
    assert not wrong_length, f"bodies outside 150-400 words: {wrong_length}"
    for entry in entries:
        assert entry.title and entry.basis and entry.tags, f"{entry.id}: empty front matter"
