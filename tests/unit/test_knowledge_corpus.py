"""The knowledge-base loader: validation of single files, and the shape of the shipped base."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from core.config import PROJECT_ROOT
from core.knowledge.corpus import (
    REQUIRED_KEYS,
    KnowledgeBaseError,
    KnowledgeEntry,
    content_hash,
    load_entries,
    load_topics,
)

SHIPPED_KB = PROJECT_ROOT / "data" / "knowledge"
BODY = "Slow breathing can settle the body when it is stirred up. " * 3


def write_topic(directory: Path, topic: str = "breathing", tags: str = "[breath, calm]") -> None:
    (directory / "topics").mkdir(exist_ok=True)
    (directory / "topics" / f"{topic}.yaml").write_text(
        f"id: {topic}\ntitle: Breathing\ndescription: Slow breathing.\ntags: {tags}\n",
        encoding="utf-8",
    )


def write_entry(
    directory: Path,
    stem: str,
    *,
    id_: str | None = None,
    topic: str = "breathing",
    drop: str | None = None,
    body: str = BODY,
    **overrides: str,
) -> Path:
    write_topic(directory)
    fields = {
        "id": id_ if id_ is not None else stem,
        "title": "Slow breathing",
        "topic": topic,
        "tags": "[breath, calm]",
        "basis": '"Paced breathing"',
        "sources": '["A paper (2020)"]',
        "safety_note": "Stop if you feel dizzy.",
        "people_say": '["cant calm down", "heart racing", "need to relax"]',
        "audience": "everyone",
        "region": "any",
        "reviewed": "2026-12-03",
        "reviewer": "Content team",
    }
    fields.update(overrides)
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
        basis="Paced breathing",
        body=BODY.strip(),
        sources=("A paper (2020)",),
        safety_note="Stop if you feel dizzy.",
        people_say=("cant calm down", "heart racing", "need to relax"),
        audience="everyone",
        region="any",
        reviewed=dt.date(2026, 12, 3),
        reviewer="Content team",
    )
    assert entry.text_for_embedding.startswith(
        "Slow breathing\ncant calm down; heart racing; need to relax\nSlow breathing can"
    )


def test_entries_come_back_sorted_by_id(tmp_path: Path) -> None:
    for stem in ("breathing-c", "breathing-a", "breathing-b"):
        write_entry(tmp_path, stem)

    assert [e.id for e in load_entries(tmp_path)] == ["breathing-a", "breathing-b", "breathing-c"]


@pytest.mark.parametrize("key", REQUIRED_KEYS)
def test_a_missing_front_matter_key_is_reported_with_the_file_name(
    tmp_path: Path, key: str
) -> None:
    write_entry(tmp_path, "breathing-slow", drop=key)

    with pytest.raises(KnowledgeBaseError, match=rf"breathing-slow\.md: missing .*{key}"):
        load_entries(tmp_path)


def test_an_unknown_topic_is_rejected(tmp_path: Path) -> None:
    write_entry(tmp_path, "breathing-slow", topic="breathwork")

    with pytest.raises(KnowledgeBaseError, match=r"breathing-slow\.md: field 'topic': unknown"):
        load_entries(tmp_path)


def test_an_id_that_differs_from_the_file_name_is_rejected(tmp_path: Path) -> None:
    write_entry(tmp_path, "breathing-slow", id_="breathing-fast")

    with pytest.raises(
        KnowledgeBaseError, match=r"breathing-slow\.md: field 'id': 'breathing-fast'"
    ):
        load_entries(tmp_path)


def test_an_empty_body_is_rejected(tmp_path: Path) -> None:
    write_entry(tmp_path, "breathing-slow", body="   \n")

    with pytest.raises(KnowledgeBaseError, match=r"breathing-slow\.md: body is empty"):
        load_entries(tmp_path)


def test_tags_must_be_a_list(tmp_path: Path) -> None:
    path = write_entry(tmp_path, "breathing-slow")
    path.write_text(path.read_text().replace("[breath, calm]", "breath"), encoding="utf-8")

    with pytest.raises(
        KnowledgeBaseError, match=r"breathing-slow\.md: field 'tags' must be a list"
    ):
        load_entries(tmp_path)


def test_broken_yaml_is_reported_with_the_file_name(tmp_path: Path) -> None:
    write_topic(tmp_path)
    (tmp_path / "broken.md").write_text("---\nid: [unclosed\n---\nbody\n", encoding="utf-8")

    with pytest.raises(KnowledgeBaseError, match=r"broken\.md: cannot read front matter"):
        load_entries(tmp_path)


def test_an_impossible_date_is_reported_as_a_malformed_file(tmp_path: Path) -> None:
    path = write_entry(tmp_path, "breathing-slow")
    text = path.read_text(encoding="utf-8").replace("2026-12-03", "2024-02-30")
    path.write_text(text, encoding="utf-8")

    with pytest.raises(KnowledgeBaseError, match=r"breathing-slow\.md: cannot read front matter"):
        load_entries(tmp_path)


def test_a_missing_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="does not exist"):
        load_entries(tmp_path / "nowhere")


def test_the_content_hash_ignores_order_but_sees_any_change(tmp_path: Path) -> None:
    write_entry(tmp_path, "breathing-a")
    write_entry(tmp_path, "breathing-b")
    entries = load_entries(tmp_path)
    edited = dataclasses.replace(entries[1], body=entries[1].body + " One more sentence.")

    assert content_hash(entries) == content_hash(list(reversed(entries)))
    assert content_hash(entries) != content_hash([entries[0], edited])
    assert len(content_hash(entries)) == 64


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("tags", "[breath, sleepy]", r"field 'tags': sleepy not in topic 'breathing'"),
        ("safety_note", '"' + "x" * 321 + '"', r"field 'safety_note' is 321 characters"),
        ("people_say", '["one", "two"]', r"field 'people_say' has 2 phrases"),
        ("audience", "teenagers", r"field 'audience': 'teenagers'"),
        ("region", "usa", r"field 'region': 'usa'"),
        ("reviewed", "soon", r"field 'reviewed' must be a date"),
        ("sources", "[]", r"field 'sources' must be a list"),
    ],
)
def test_each_field_is_checked_and_the_error_names_file_and_field(
    tmp_path: Path, field: str, value: str, message: str
) -> None:
    write_entry(tmp_path, "breathing-slow", **{field: value})

    with pytest.raises(KnowledgeBaseError, match=rf"breathing-slow\.md: {message}"):
        load_entries(tmp_path)


def test_the_id_must_start_with_its_topic(tmp_path: Path) -> None:
    write_entry(tmp_path, "calm-slow")

    with pytest.raises(KnowledgeBaseError, match=r"calm-slow\.md: field 'id' must start with"):
        load_entries(tmp_path)


def test_a_topic_file_is_checked_and_named(tmp_path: Path) -> None:
    write_topic(tmp_path, tags="[Breath, calm]")

    with pytest.raises(KnowledgeBaseError, match=r"breathing\.yaml: field 'tags'"):
        load_topics(tmp_path / "topics")


def test_topics_are_data_a_new_yaml_file_is_a_new_topic(tmp_path: Path) -> None:
    write_entry(tmp_path, "breathing-slow")
    (tmp_path / "topics" / "sleep.yaml").write_text(
        "id: sleep\ntitle: Sleep\ndescription: Sleep.\ntags: [insomnia]\n", encoding="utf-8"
    )
    write_entry(tmp_path, "sleep-basics", topic="sleep", tags="[insomnia]")

    assert set(load_topics(tmp_path / "topics")) == {"breathing", "sleep"}
    assert [e.topic for e in load_entries(tmp_path)] == ["breathing", "sleep"]


def test_the_content_hash_sees_the_new_fields(tmp_path: Path) -> None:
    write_entry(tmp_path, "breathing-a")
    [entry] = load_entries(tmp_path, load_topics(tmp_path / "topics"))
    for change in (
        {"safety_note": "Other note."},
        {"people_say": ("a", "b", "c")},
        {"sources": ("Other (2021)",)},
        {"reviewed": dt.date(2027, 1, 1)},
    ):
        assert content_hash([entry]) != content_hash([dataclasses.replace(entry, **change)])
    assert content_hash([entry]) == content_hash([dataclasses.replace(entry)])


def test_the_shipped_knowledge_base_is_complete_and_well_formed() -> None:
    entries = load_entries(SHIPPED_KB)  # raises on any malformed file

    assert len(entries) >= 80, f"only {len(entries)} entries in data/knowledge/"
    per_topic = Counter(e.topic for e in entries)
    topics = load_topics(SHIPPED_KB / "topics")
    thin = {topic: per_topic.get(topic, 0) for topic in topics if per_topic.get(topic, 0) < 3}
    assert not thin, f"topics with fewer than 3 entries: {thin}"
    wrong_length = {
        e.id: len(e.body.split()) for e in entries if not 120 <= len(e.body.split()) <= 550
    }
    assert not wrong_length, f"bodies outside 120-550 words: {wrong_length}"
    for entry in entries:
        assert entry.title and entry.basis and entry.tags, f"{entry.id}: empty front matter"
