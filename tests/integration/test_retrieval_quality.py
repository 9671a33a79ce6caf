"""The app's retriever (HNSW + BM25 + lexicons) on the shipped knowledge base with the real model:
the misses named in issue #12 reach the entries they should. The messages here are written for
these tests, apart from the development set bench/search_bench.py reports on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.adapters.embeddings import SentenceTransformerEmbedder
from core.adapters.hnsw import KnowledgeIndex
from core.config import PROJECT_ROOT
from core.knowledge import load_entries
from core.knowledge.hybrid import HybridRetriever
from core.knowledge.language import LanguageRouter
from core.knowledge.lexical import open_lexical_index
from core.ports import SearchHit

pytestmark = pytest.mark.slow

SHIPPED_KB = PROJECT_ROOT / "data" / "knowledge"


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HybridRetriever]:
    directory = tmp_path_factory.mktemp("hybrid-index")
    embedder = SentenceTransformerEmbedder()
    dense = KnowledgeIndex.open(directory, load_entries(SHIPPED_KB), embedder)
    lexical = open_lexical_index(directory, dense.entries, dense.content_hash)
    yield HybridRetriever(dense, lexical, LanguageRouter.load(SHIPPED_KB / "lexicon"))


def _shown(hits: list[SearchHit]) -> list[str]:
    return [h.id for h in hits]


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        (
            "This morning my daughter spilled juice everywhere and I completely lost it, I "
            "yelled so loudly she hid under the table. I feel like a monster.",
            "anger",
        ),
        (
            "Our old rabbit was so ill the vet said it was time, so we had him put down on "
            "Saturday. I keep looking at his empty hutch.",
            "grief",
        ),
        (
            "My father has been on a hospital ward for two weeks after a stroke. I'm juggling "
            "visits, his paperwork and my own job and I'm barely holding it together.",
            "caring",
        ),
        (
            "I can hear people talking about me through the walls and I think the neighbours "
            "are putting thoughts in my head.",
            "psychosis-mania",
        ),
    ],
)
def test_the_issues_misses_reach_the_right_topic(
    retriever: HybridRetriever, message: str, topic: str
) -> None:
    hits = retriever.search(message, 3)

    assert topic in [h.topic for h in hits], _shown(hits)


def test_paranoia_and_voices_do_not_bring_up_the_mind_reading_exercise(
    retriever: HybridRetriever,
) -> None:
    hits = retriever.search("everyone is watching me and the voices say they can read my mind", 3)

    assert "psychosis-mania" in [h.topic for h in hits], _shown(hits)
    assert "thinking-patterns-mind-reading" not in _shown(hits)


def test_thoughts_of_ending_my_life_put_crisis_or_suicidal_thoughts_first(
    retriever: HybridRetriever,
) -> None:
    hits = retriever.search("I keep thinking about ending my life", 3)

    assert hits[0].topic in {"crisis-support", "suicidal-thoughts"}, _shown(hits)
    assert all(h.topic != "mindfulness" for h in hits[:2]), _shown(hits)


def test_snoring_and_gasping_reach_the_sleep_doctor_entry_not_4_7_8(
    retriever: HybridRetriever,
) -> None:
    hits = retriever.search("I snore and wake up gasping for air, I'm exhausted every day", 3)

    sleep_doctor = [
        h for h in hits if h.topic == "sleep" and ("doctor" in h.id or "apnoea" in h.id)
    ]
    assert sleep_doctor, _shown(hits)
    assert hits[0].id != "breathing-4-7-8", _shown(hits)


def test_a_message_spanning_two_topics_reaches_both(retriever: HybridRetriever) -> None:
    hits = retriever.search(
        "My nan died last month and since then I lie awake every night until 4am", 3
    )

    assert {"grief", "sleep"} <= {h.topic for h in hits}, _shown(hits)


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("tengo mucha ansiedad y me tiemblan las manos", "anxiety"),
        ("ich bin so traurig und habe zu nichts Lust", "low-mood"),
        ("yaar mujhe raat bhar neend nahi aati", "sleep"),
    ],
)
def test_messages_in_other_languages_are_searched_offline(
    retriever: HybridRetriever, message: str, topic: str
) -> None:
    hits = retriever.search(message, 3)

    assert topic in [h.topic for h in hits], _shown(hits)


def test_scores_are_cosine_similarities_and_hits_carry_their_entries(
    retriever: HybridRetriever,
) -> None:
    hits = retriever.search("how do I calm a panic attack", 3)

    assert len(hits) == 3
    for hit in hits:
        assert -1.0 <= hit.score <= 1.0
        assert hit.entry.id == hit.id and retriever.get(hit.id) == hit.entry


def test_the_dev_set_file_is_well_formed_and_covers_every_topic() -> None:
    path = Path(PROJECT_ROOT / "tests" / "data" / "retrieval_dev.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    assert len(rows) >= 150
    assert all(1 <= len(r["topics"]) <= 2 for r in rows)
    assert len({t for r in rows for t in r["topics"]}) == 30
    assert {r["style"] for r in rows} == {"direct", "crossed", "long", "vague", "other"}


def test_the_third_blind_set_stays_at_its_measured_level(retriever: HybridRetriever) -> None:
    """A regression floor, not a target: the set was measured once before and once after the
    work it was written for (0.883 -> 0.900 hit@3); nothing was tuned on it."""
    path = PROJECT_ROOT / "tests" / "data" / "retrieval_blind3.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    hits = sum(
        bool(set(row["topics"]) & {hit.topic for hit in retriever.search(row["text"], 3)})
        for row in rows
    )
    assert len(rows) >= 250 and hits / len(rows) >= 0.87
