"""The hybrid retriever's parts with small hand-made entries and the hashing embedder: BM25 and its
saved, signed files; lexicons; fusion, topic cap, crisis-first; the rewrite's deadline."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.adapters.hnsw import KnowledgeIndex
from core.knowledge.corpus import KnowledgeEntry, content_hash
from core.knowledge.hybrid import HybridRetriever, split_sentences
from core.knowledge.language import ENGLISH, LanguageRouter, Lexicon
from core.knowledge.lexical import MANIFEST_NAME, LexicalIndex, open_lexical_index, tokenize
from core.knowledge.rewrite import QueryRewriter
from core.ports import LLMUnavailable
from tests.fakes.adapters import fake_llm
from tests.fakes.embeddings import HashingEmbedder
from tests.fakes.ollama_server import FakeOllama

KEY = b"k" * 32


def _entry(
    entry_id: str, topic: str, title: str, said: tuple[str, ...], body: str
) -> KnowledgeEntry:
    return KnowledgeEntry(
        id=entry_id,
        title=title,
        topic=topic,
        tags=(topic,),
        basis="test fixture",
        body=body,
        people_say=said,
    )


ENTRIES = (
    _entry("anger-time-out", "anger", "Taking a time out", ("I lost my temper",), "Step away."),
    _entry("anger-cycle", "anger", "The anger cycle", ("I shout at my kids",), "Notice it."),
    _entry("anger-signs", "anger", "Early signs of anger", ("I snap",), "Jaw, fists, heat."),
    _entry("grief-waves", "grief", "Waves of grief", ("my mum died",), "Grief comes in waves."),
    _entry("grief-pets", "grief", "When a pet dies", ("we put our dog down",), "It is a loss."),
    _entry("sleep-basics", "sleep", "Sleep basics", ("I can't sleep",), "Keep regular hours."),
    _entry(
        "crisis-support-now",
        "crisis-support",
        "The next few minutes",
        ("I want to end my life",),
        "Call emergency services now if you might act on it.",
    ),
)


@pytest.fixture
def dense(tmp_path: Path) -> KnowledgeIndex:
    return KnowledgeIndex.open(tmp_path / "dense", ENTRIES, HashingEmbedder())


def _retriever(dense: KnowledgeIndex, **kwargs: object) -> HybridRetriever:
    lexical = LexicalIndex.build(dense.entries, dense.content_hash)
    router = LanguageRouter({"es": Lexicon("es", {"no puedo dormir": "can't sleep insomnia"})})
    return HybridRetriever(dense, lexical, router, **kwargs)  # type: ignore[arg-type]


# --- BM25 ----------------------------------------------------------------------------------------


def test_tokenize_stems_and_drops_stop_words() -> None:
    assert tokenize("I can't stop worrying about the worries") == ["stop", "worri", "worri"]


def test_bm25_ranks_the_entry_whose_people_say_matches_first() -> None:
    index = LexicalIndex.build(ENTRIES, content_hash(ENTRIES))

    scores = index.scores("we had to put our dog down")

    assert ENTRIES[int(scores.argmax())].id == "grief-pets"
    assert not index.scores("the of and").any()


def test_bm25_index_is_saved_signed_and_loaded_without_rebuilding(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    digest = content_hash(ENTRIES)
    first = open_lexical_index(tmp_path, ENTRIES, digest, signing_key=KEY)
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())
    assert manifest["signature"] and manifest["content_hash"] == digest

    with caplog.at_level("INFO"):
        second = open_lexical_index(tmp_path, ENTRIES, digest, signing_key=KEY)

    assert "building BM25 index" not in caplog.text
    assert (second.scores("dog down") == first.scores("dog down")).all()


@pytest.mark.parametrize("damage", ["signature", "file", "content"])
def test_a_tampered_or_outdated_bm25_index_is_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: str
) -> None:
    digest = content_hash(ENTRIES)
    open_lexical_index(tmp_path, ENTRIES, digest, signing_key=KEY)
    manifest_path = tmp_path / MANIFEST_NAME
    manifest = json.loads(manifest_path.read_text())
    if damage == "signature":
        manifest["ids"] = list(reversed(manifest["ids"]))
        manifest_path.write_text(json.dumps(manifest))
    elif damage == "file":
        next((tmp_path / manifest["folder"]).glob("*.json")).write_text("{}")
    entries = ENTRIES[:-1] if damage == "content" else ENTRIES

    with caplog.at_level("INFO"):
        index = open_lexical_index(tmp_path, entries, content_hash(entries), signing_key=KEY)

    assert "building BM25 index" in caplog.text
    assert len(index.ids) == len(entries)
    assert index.scores("dog down").any()


# --- lexicons ------------------------------------------------------------------------------------


def test_lexicon_matches_longest_phrase_prefixes_wildcards_and_ignores_accents() -> None:
    lexicon = Lexicon(
        "es",
        {
            "dormir": "sleep",
            "no puedo dormir": "can't sleep insomnia",
            "deprimid*": "depressed low mood",
            "pierdo ? nervios": "lose my temper anger",
            "pánico": "panic",
        },
    )

    terms, covered = lexicon.translate(
        "No puedo DORMIR, estoy deprimida; panico; pierdo los nervios"
    )

    assert terms == ["can't sleep insomnia", "depressed low mood", "panic", "lose my temper anger"]
    assert covered == 3 + 1 + 1 + 3


def test_router_keeps_english_and_adds_the_plain_words_of_idioms() -> None:
    router = LanguageRouter({"en": Lexicon("en", {"put ? down": "pet died grief"})})

    plain = router.english_query("hello there", language=ENGLISH)
    idiom = router.english_query("we had to put Rex down", language=ENGLISH)

    assert plain.text == "hello there" and not plain.translated
    assert idiom.text == "we had to put Rex down pet died grief" and not idiom.translated


def test_router_recognises_hinglish_by_its_function_words() -> None:
    router = LanguageRouter({"hi-en": Lexicon("hi-en", {"neend nahi": "can't sleep insomnia"})})

    query = router.english_query("raat ko neend nahi aati, bas sochta rehta hoon")

    assert query.language == "hi-en" and query.text == "can't sleep insomnia"


def test_every_shipped_lexicon_loads_with_terms() -> None:
    router = LanguageRouter.load(Path("data/knowledge/lexicon"))

    assert {"es", "fr", "de", "pt", "it", "nl", "hi-en", "pl", "tr", "id"} <= set(router.languages)


# --- fusion, diversity, crisis -------------------------------------------------------------------


def test_sentences_split_on_ends_and_line_breaks() -> None:
    assert split_sentences("I can't sleep. My mum died!\nWhat now?") == [
        "I can't sleep.",
        "My mum died!",
        "What now?",
    ]


def test_search_keeps_at_most_two_entries_of_one_topic_in_the_top_three(
    dense: KnowledgeIndex,
) -> None:
    hits = _retriever(dense, screen=lambda _: "none").search("anger temper shout snap angry", 3)

    assert [h.topic for h in hits].count("anger") == 2
    assert len(hits) == 3


def test_blank_queries_and_zero_k_find_nothing(dense: KnowledgeIndex) -> None:
    retriever = _retriever(dense)

    assert retriever.search("   ", 3) == [] and retriever.search("sleep", 0) == []
    assert len(retriever.search("sleep", 50)) == len(ENTRIES)


def test_a_crisis_message_puts_a_crisis_entry_first(dense: KnowledgeIndex) -> None:
    hits = _retriever(dense, screen=lambda _: "crisis").search("I can't sleep", 3)

    assert hits[0].topic == "crisis-support"


def test_the_callers_embedding_is_reused_for_the_whole_message(dense: KnowledgeIndex) -> None:
    embedder = HashingEmbedder()
    retriever = _retriever(dense, screen=lambda _: "none")
    vector = embedder.embed(["I can't sleep"])[0]
    calls_before = list(dense.embedder.calls)  # type: ignore[attr-defined]

    hits = retriever.search("I can't sleep", 3, embedding=vector)

    assert hits[0].id == "sleep-basics"
    assert dense.embedder.calls == calls_before  # type: ignore[attr-defined]


def test_a_message_in_another_language_is_searched_as_its_english_query(
    dense: KnowledgeIndex,
) -> None:
    retriever = _retriever(dense, screen=lambda _: "none")
    retriever._router = LanguageRouter(  # one lexicon, detection skipped for the unit test
        {"es": Lexicon("es", {"no puedo dormir": "can't sleep insomnia"})}
    )
    retriever._router.detect = lambda _text: "es"  # type: ignore[method-assign]

    hits = retriever.search("no puedo dormir nada", 3)

    assert hits[0].id == "sleep-basics"


def test_the_lexical_index_follows_a_dense_index_refreshed_to_other_entries(
    dense: KnowledgeIndex,
) -> None:
    retriever = _retriever(dense, screen=lambda _: "none")
    dense.refresh(ENTRIES[:3])

    hits = retriever.search("dog down", 3)

    assert {h.id for h in hits} <= {e.id for e in ENTRIES[:3]}


# --- the language model's rewrite ----------------------------------------------------------------


@pytest.fixture
def fake_ollama() -> Iterator[FakeOllama]:
    with FakeOllama(reply_tokens=["pet ", "died ", "grief"]) as fake:
        yield fake


def test_a_vague_message_is_rewritten_by_the_model_and_its_query_counts(
    dense: KnowledgeIndex, fake_ollama: FakeOllama
) -> None:
    rewriter = QueryRewriter(fake_llm(fake_ollama.url), timeout=5)
    retriever = _retriever(dense, rewriter=rewriter, screen=lambda _: "none")

    hits = retriever.search("rex is gone", 3)

    assert len(fake_ollama.requests_to("/api/chat")) == 1
    assert "grief-pets" in [h.id for h in hits]


def test_a_crisis_or_concern_message_is_never_sent_to_the_model(
    dense: KnowledgeIndex, fake_ollama: FakeOllama
) -> None:
    rewriter = QueryRewriter(fake_llm(fake_ollama.url), timeout=5)
    for level in ("crisis", "concern"):
        retriever = _retriever(dense, rewriter=rewriter, screen=lambda _, lv=level: lv)
        retriever.search("whats the point", 3)

    assert fake_ollama.requests_to("/api/chat") == []


def test_a_slow_model_costs_at_most_the_rewrite_timeout(
    dense: KnowledgeIndex, fake_ollama: FakeOllama
) -> None:
    fake_ollama.first_token_delay = 3.0
    rewriter = QueryRewriter(fake_llm(fake_ollama.url), timeout=0.3)
    retriever = _retriever(dense, rewriter=rewriter, screen=lambda _: "none")

    started = time.monotonic()
    hits = retriever.search("cant sleep", 3)

    assert time.monotonic() - started < 1.5
    assert hits[0].id == "sleep-basics"


def test_a_stopped_model_is_not_asked_again_for_a_while(dense: KnowledgeIndex) -> None:
    now = [100.0]
    rewriter = QueryRewriter(
        fake_llm(FakeOllama.down_url()),
        timeout=2,
        clock=lambda: now[0],
    )

    assert rewriter.rewrite("meh") is None
    asked: list[str] = []
    rewriter._llm = type(  # a model that records, to see it is not called
        "Recorder", (), {"stream_chat": lambda self, m: asked.append("x") or iter(["q"])}
    )()
    assert rewriter.rewrite("meh") is None and asked == []
    now[0] += 61
    assert rewriter.rewrite("meh") == "q" and asked == ["x"]


def test_model_errors_only_cost_the_rewrite(dense: KnowledgeIndex) -> None:
    class Failing:
        def stream_chat(self, _messages: object) -> Iterator[str]:
            raise LLMUnavailable("down")

    rewriter = QueryRewriter(Failing(), timeout=2)  # type: ignore[arg-type]
    retriever = _retriever(dense, rewriter=rewriter, screen=lambda _: "none")

    assert retriever.search("cant sleep", 3)[0].id == "sleep-basics"


def test_thought_challenging_is_left_out_when_the_best_hit_is_about_psychosis(
    tmp_path: Path,
) -> None:
    entries = (
        *ENTRIES,
        _entry("psychosis-mania-voices", "psychosis-mania", "Hearing voices", ("voices",), "GP."),
        _entry(
            "thinking-patterns-mind-reading", "thinking-patterns", "Mind reading", (), "Ask them."
        ),
    )
    dense = KnowledgeIndex.open(tmp_path, entries, HashingEmbedder())

    hits = _retriever(dense, screen=lambda _: "none").search("voices mind reading voices", 7)

    assert hits[0].topic == "psychosis-mania"
    assert "thinking-patterns-mind-reading" not in [h.id for h in hits]


def test_shipped_lexicons_have_no_duplicate_or_empty_keys() -> None:
    for path in sorted(Path("data/knowledge/lexicon").glob("*.yaml")):
        keys = [
            line.split(":", 1)[0].strip()
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("  ") and ":" in line
        ]
        duplicates = {key for key in keys if keys.count(key) > 1}
        assert not duplicates, (path.name, duplicates)
        lexicon = Lexicon.load(path)
        assert len(lexicon) == len(keys) >= 100, path.name
