"""The knowledge index with the real MiniLM model: persistence, rebuilds, threads, CLI, quality."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from core.adapters.embeddings import SentenceTransformerEmbedder
from core.adapters.hnsw import MANIFEST_NAME, KnowledgeIndex
from core.config import PROJECT_ROOT
from core.knowledge import KnowledgeBaseError, KnowledgeEntry, load_entries, load_topics
from core.ports import Retriever

pytestmark = pytest.mark.slow

SHIPPED_KB = PROJECT_ROOT / "data" / "knowledge"

_BODIES = {
    "anxiety": "Worry and fear can make your heart race and your thoughts spiral about what "
    "might go wrong.",
    "low-mood": "Feeling down, flat and unmotivated for days, with little interest in things.",
    "stress": "Too many demands at work and at home can leave you tense and overloaded.",
    "sleep": "Trouble falling asleep or waking in the night; a steady bedtime routine helps.",
    "breathing": "Slow breathing out for longer than you breathe in calms the body.",
    "grounding": "Name five things you can see and four you can touch to come back to now.",
    "thinking-patterns": "Catastrophising and mind reading are thinking traps you can question.",
    "activity": "Planning small enjoyable activities lifts mood even before motivation returns.",
    "mindfulness": "Paying attention to the present moment on purpose, without judging it.",
    "self-compassion": "Talk to yourself as kindly as you would talk to a good friend.",
    "relationships": "Loneliness and conflict with people close to you hurt; reaching out helps.",
    "grief": "Grief after someone dies comes in waves of sadness, longing and tears.",
    "anger": "Anger rises fast; notice the early signs and take a time out before you snap.",
    "crisis-support": "If you might act on thoughts of suicide, call emergency services now.",
}
SMALL_KB = tuple(
    KnowledgeEntry(
        id=f"{topic}-basics",
        title=f"About {topic.replace('-', ' ')}",
        topic=topic,
        tags=(topic,),
        basis="test fixture",
        body=body,
    )
    for topic, body in _BODIES.items()
)
QUERIES = (
    "I can't sleep at night",
    "I am so angry I could scream",
    "my grandfather passed away",
    "I feel alone and nobody calls me",
)


@pytest.fixture(scope="module")
def embedder() -> SentenceTransformerEmbedder:
    model = SentenceTransformerEmbedder()
    model.warm_up()
    return model


def open_index(
    directory: Path, entries: Sequence[KnowledgeEntry], embedder: SentenceTransformerEmbedder
) -> KnowledgeIndex:
    return KnowledgeIndex.open(directory, entries, embedder)


def test_the_first_open_builds_and_the_second_loads_without_rebuilding(
    tmp_path: Path, embedder: SentenceTransformerEmbedder, caplog: pytest.LogCaptureFixture
) -> None:
    first = open_index(tmp_path, SMALL_KB, embedder)
    assert first.build_reason == "no saved index"
    assert (tmp_path / MANIFEST_NAME).exists()

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="core.knowledge"):
        second = open_index(tmp_path, SMALL_KB, embedder)

    assert second.build_reason is None
    assert not [r for r in caplog.records if "building" in r.getMessage()]
    assert [h.id for h in second.search("I can't sleep", k=3)] == [
        h.id for h in first.search("I can't sleep", k=3)
    ]


def test_the_manifest_records_what_the_index_was_built_from(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    index = open_index(tmp_path, SMALL_KB, embedder)

    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())

    assert manifest["model"] == embedder.name
    assert manifest["dimension"] == 384
    assert manifest["content_hash"] == index.content_hash
    assert manifest["count"] == len(SMALL_KB)
    assert manifest["ids"] == sorted(e.id for e in SMALL_KB)
    assert manifest["hnsw"]["ef"] >= len(SMALL_KB)  # small base: ef >= count, exact search
    assert (tmp_path / manifest["index_file"]).exists()
    assert not list(tmp_path.glob(".tmp-*"))


def _flip_bytes_in_index(directory: Path) -> None:
    path = directory / json.loads((directory / MANIFEST_NAME).read_text())["index_file"]
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 16] = bytes(b ^ 0xFF for b in data[middle : middle + 16])
    path.write_bytes(bytes(data))


def _truncate_manifest(directory: Path) -> None:
    manifest = directory / MANIFEST_NAME
    manifest.write_text(manifest.read_text()[:40])


def _delete_index_file(directory: Path) -> None:
    for path in directory.glob("knowledge-*.bin"):
        path.unlink()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (_flip_bytes_in_index, "index file checksum mismatch"),
        (_truncate_manifest, "manifest unreadable"),
        (_delete_index_file, "index file missing"),
    ],
    ids=["corrupted-index", "truncated-manifest", "missing-index"],
)
def test_a_damaged_index_is_detected_and_rebuilt(
    tmp_path: Path, embedder: SentenceTransformerEmbedder, damage: object, reason: str
) -> None:
    open_index(tmp_path, SMALL_KB, embedder)
    assert callable(damage)
    damage(tmp_path)

    rebuilt = open_index(tmp_path, SMALL_KB, embedder)

    assert rebuilt.build_reason == reason
    assert rebuilt.search("I can't sleep at night", k=1)[0].topic == "sleep"
    assert open_index(tmp_path, SMALL_KB, embedder).build_reason is None


def test_a_changed_entry_changes_the_hash_and_forces_a_rebuild(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    before = open_index(tmp_path, SMALL_KB, embedder)
    edited = [
        dataclasses.replace(e, body=e.body + " Keep a worry notebook.") if e.topic == "sleep" else e
        for e in SMALL_KB
    ]

    after = open_index(tmp_path, edited, embedder)

    assert after.content_hash != before.content_hash
    assert after.build_reason == "knowledge content changed"
    assert after.get("sleep-basics") is not None
    assert "worry notebook" in after.get("sleep-basics").body  # type: ignore[union-attr]


def test_a_different_embedding_model_forces_a_rebuild(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    class RenamedModel:
        name = "some-other-model@0000"
        dimension = embedder.dimension

        def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
            return embedder.embed(texts)

    open_index(tmp_path, SMALL_KB, embedder)

    assert KnowledgeIndex.open(tmp_path, SMALL_KB, RenamedModel()).build_reason == (
        "embedding model changed"
    )


def test_two_openers_racing_on_an_empty_directory_build_only_once(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    reasons: list[str | None] = []
    barrier = threading.Barrier(2)

    def opener() -> None:
        barrier.wait()
        reasons.append(open_index(tmp_path, SMALL_KB, embedder).build_reason)

    threads = [threading.Thread(target=opener) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(reasons, key=str) == [None, "no saved index"]


def test_searches_from_eight_threads_stay_consistent_while_the_index_is_rebuilt(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    without_some = [e for e in SMALL_KB if e.topic not in {"sleep", "anger", "grief"}]
    index = open_index(tmp_path, SMALL_KB, embedder)
    full_results = {q: [h.id for h in index.search(q, k=3)] for q in QUERIES}
    index.rebuild(without_some)
    partial_results = {q: [h.id for h in index.search(q, k=3)] for q in QUERIES}
    assert full_results != partial_results
    index.rebuild(SMALL_KB)

    stop = threading.Event()
    problems: list[str] = []
    searches = [0] * 8

    def searcher(worker: int) -> None:
        while not stop.is_set():
            query = QUERIES[searches[worker] % len(QUERIES)]
            try:
                hits = index.search(query, k=3)
            except Exception as exc:  # any crash is the failure being tested
                problems.append(f"{type(exc).__name__}: {exc}")
                return
            ids = [h.id for h in hits]
            if ids not in (full_results[query], partial_results[query]):
                problems.append(f"{query!r} -> {ids}")
            scores = [h.score for h in hits]
            if any(h.entry.id != h.id for h in hits) or scores != sorted(scores, reverse=True):
                problems.append(f"inconsistent hits for {query!r}")
            searches[worker] += 1

    threads = [threading.Thread(target=searcher, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    try:
        for entries in (without_some, SMALL_KB, without_some, SMALL_KB):
            index.rebuild(entries)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    assert not problems, problems[:5]
    assert all(count > 0 for count in searches)
    assert [h.id for h in index.search(QUERIES[0], k=3)] == full_results[QUERIES[0]]


def test_blank_queries_return_nothing_and_k_is_clamped_to_the_entry_count(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    index: Retriever = open_index(tmp_path, SMALL_KB, embedder)

    assert index.search("", k=3) == []
    assert index.search("   \n\t", k=3) == []
    hits = index.search("I feel anxious", k=100)
    assert len(hits) == len(SMALL_KB)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len(index.search("I can't sleep. " * 5000, k=3)) == 3


def test_an_empty_knowledge_base_is_refused(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    with pytest.raises(KnowledgeBaseError, match="no entries"):
        open_index(tmp_path, [], embedder)


# --- CLI ------------------------------------------------------------------------------------------


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core.knowledge", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_the_cli_builds_and_search_json_prints_only_a_list_of_hits(tmp_path: Path) -> None:
    env = {"RUNTIME_DIR": str(tmp_path)}

    build = run_cli("build", env=env)
    assert build.returncode == 0, build.stderr
    assert build.stdout.startswith("built: ") and str(tmp_path / "index") in build.stdout

    search = run_cli("search", "I can't fall asleep at night", "--json", "-k", "2", env=env)
    assert search.returncode == 0, search.stderr
    hits = json.loads(search.stdout)
    topics = load_topics(SHIPPED_KB / "topics")
    assert isinstance(hits, list) and len(hits) == 2
    for hit in hits:
        assert {"id", "title", "topic", "score"} <= hit.keys()
        assert isinstance(hit["score"], float) and hit["topic"] in topics
    assert "building" not in search.stderr  # the second run loads the saved index


def test_the_cli_exits_with_code_2_on_a_malformed_knowledge_base(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    (kb / "topics").mkdir(parents=True)
    (kb / "topics" / "oops.yaml").write_text(
        "id: oops\ntitle: Oops\ndescription: A topic.\ntags: [oops]\n", encoding="utf-8"
    )
    (kb / "oops.md").write_text("---\nid: oops\ntitle: Oops\n---\nBody.\n", encoding="utf-8")

    result = run_cli(
        "search", "hello", "--json", env={"RUNTIME_DIR": str(tmp_path), "KNOWLEDGE_DIR": str(kb)}
    )

    assert result.returncode == 2
    assert result.stdout == ""
    assert "oops.md" in result.stderr and "missing" in result.stderr


# --- retrieval quality on the shipped knowledge base ----------------------------------------------


@pytest.fixture(scope="module")
def shipped_index(
    tmp_path_factory: pytest.TempPathFactory, embedder: SentenceTransformerEmbedder
) -> Iterator[KnowledgeIndex]:
    entries = load_entries(SHIPPED_KB)
    yield KnowledgeIndex.open(tmp_path_factory.mktemp("shipped-index"), entries, embedder)


@pytest.mark.parametrize(
    ("query", "topics"),
    [
        ("I can't fall asleep, my mind keeps racing at night", {"sleep"}),
        ("my heart is pounding and I can't breathe properly", {"anxiety", "breathing"}),
        ("my mum died last month and I can't stop crying", {"grief"}),
        ("I snapped at my partner again and feel furious", {"anger"}),
        ("I keep thinking everyone at work hates me", {"thinking-patterns", "anxiety"}),
        ("I feel so lonely since I moved", {"relationships", "low-mood"}),
    ],
)
def test_everyday_questions_find_the_right_topic_in_the_top_three(
    shipped_index: KnowledgeIndex, query: str, topics: set[str]
) -> None:
    hits = shipped_index.search(query, k=3)

    assert {h.topic for h in hits} & topics, [(h.topic, h.id, round(h.score, 3)) for h in hits]


def test_search_on_the_shipped_base_matches_exact_cosine_search(
    shipped_index: KnowledgeIndex, embedder: SentenceTransformerEmbedder
) -> None:
    entries = shipped_index.entries
    vectors = embedder.embed([e.text_for_embedding for e in entries])
    queries = embedder.embed(["I feel anxious all the time", "how do I calm down", "I'm tired"])

    for query in queries:
        exact = np.argsort(-(vectors @ query))[:10]
        hits = shipped_index.search_vector(query, k=10)
        assert [h.id for h in hits] == [entries[i].id for i in exact]
        assert hits[0].score == pytest.approx(float(vectors[exact[0]] @ query), abs=1e-4)
