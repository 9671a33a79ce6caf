"""The semantic safety layer with the real MiniLM model: escalation only, fallbacks, quality.

The paraphrases and idioms below were written for these tests; none is in the model's training
data (`core.safety.train_semantic.TRAINING_FILES`) or in the blind set. They pin behaviour, they
do not measure quality: `bench/safety_eval.py --semantic` does.
"""

from __future__ import annotations

import logging
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from core.adapters.embeddings import SentenceTransformerEmbedder, model_fingerprint
from core.safety import SEMANTIC_RISK, Assessment, RiskScore, assess
from core.safety.evaluation import LabeledExample, load_labeled
from core.safety.semantic import (
    DEFAULT_PATH,
    SemanticModelError,
    SemanticRiskModel,
    load_default,
    load_params,
)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
LABELED = ROOT / "tests" / "data" / "safety_labeled.jsonl"
RANK = {"none": 0, "concern": 1, "crisis": 2}

# Crisis paraphrases the rules miss (asserted below) and the semantic layer catches.
NEW_PARAPHRASES = [
    "I've told my brother he can keep my car after I'm gone",
    "I've made my peace with everyone, I'm ready to go now",
    "I've arranged everything so my kids won't be the ones who find me",
    "I've decided that tomorrow is the end for me",
    "i've had enough of living, i'm going to make it stop tonight",
    "i dont think im gonna make it through tonight and i dont want to",
    "I wrote letters to everyone, they're in the drawer for after",
]
# The rules see concern here; the semantic layer raises it to crisis.
CONCERN_TO_CRISIS = [
    "my ex keeps messaging that he'll hurt me and he's outside now",
]
IDIOMS = [
    "my feet are killing me after the concert",
    "I want to end my netflix subscription",
    "we tied the knot last summer",
    "I could murder a curry right now",
    "my houseplant finally died",
    "I bought a new knife for the kitchen",
    "I'm dying to try that new cafe",
    "this heatwave is killing me lol",
    "the comedian killed it last night",
    "I'm dead tired after the night shift",
    "cut the crap and tell me the score",
    "I shot some hoops after work",
    "this traffic is murder",
    "I'm so done with winter",
    "my laptop is on its last legs",
    "I'm ready to end this chapter and start fresh",
    "the exam absolutely slaughtered me",
    "I'm going to hang the photos this weekend",
]
ORDINARY_PARAGRAPH = (
    "Today was mostly fine. I took the bus to work, answered emails, had a long meeting about the "
    "budget and ate lunch in the park because the weather was nice. My sister called about her "
    "birthday dinner next month and we argued a bit about the restaurant, but it was friendly. "
)


@pytest.fixture(scope="module")
def embedder() -> SentenceTransformerEmbedder:
    model = SentenceTransformerEmbedder()
    model.warm_up()
    return model


@pytest.fixture(scope="module")
def semantic(embedder: SentenceTransformerEmbedder) -> SemanticRiskModel:
    model = load_default(embedder)
    assert model is not None, "the shipped semantic layer did not load"
    return model


@pytest.fixture(scope="module")
def labelled_verdicts(
    semantic: SemanticRiskModel,
) -> list[tuple[LabeledExample, Assessment, Assessment]]:
    return [
        (example, assess(example.text), assess(example.text, semantic=semantic))
        for example in load_labeled(LABELED)
    ]


class _Renamed:
    """The real embedder under another name (a different model, as far as the layer knows)."""

    def __init__(self, inner: SentenceTransformerEmbedder, name: str, dimension: int) -> None:
        self._inner, self._name, self._dimension = inner, name, dimension

    @property
    def name(self) -> str:
        return self._name

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        return self._inner.embed(texts)


class _FailingEmbedder(_Renamed):
    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        raise RuntimeError(f"embedding failed for {texts!r}")


class _WrongShapeEmbedder(_Renamed):
    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        return np.full((len(texts), 7), np.nan, dtype=np.float32)


# --- the shipped model ------------------------------------------------------------------------


def test_shipped_layer_matches_the_bundled_embedding_model(
    embedder: SentenceTransformerEmbedder, semantic: SemanticRiskModel
) -> None:
    params = semantic.params
    assert params.model_fingerprint == model_fingerprint(embedder.model_path)
    assert params.dimension == embedder.dimension == 384
    assert 0.5 <= semantic.crisis_threshold < 1.0
    assert 0.5 <= semantic.concern_threshold <= 1.01


def test_probabilities_are_probabilities_and_batching_changes_nothing(
    semantic: SemanticRiskModel,
) -> None:
    texts = [*NEW_PARAPHRASES[:3], *IDIOMS[:3], ORDINARY_PARAGRAPH * 8 + NEW_PARAPHRASES[0]]
    batch = semantic.score_many(texts)
    for text, together in zip(texts, batch, strict=True):
        alone = semantic.score(text)
        assert 0.0 <= alone.crisis <= 1.0 and 0.0 <= alone.concern <= 1.0
        assert alone.crisis == pytest.approx(together.crisis, abs=1e-4)
        assert alone.concern == pytest.approx(together.concern, abs=1e-4)
    assert semantic.crisis_probability(texts[0]) == pytest.approx(batch[0].crisis, abs=1e-4)


# --- escalation -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", NEW_PARAPHRASES)
def test_new_paraphrases_the_rules_miss_are_escalated_to_crisis(
    semantic: SemanticRiskModel, text: str
) -> None:
    assert assess(text).level != "crisis"
    result = assess(text, semantic=semantic)
    assert result.level == "crisis"
    assert result.categories[-1] == SEMANTIC_RISK
    assert result.show_resources and result.message


@pytest.mark.parametrize("text", CONCERN_TO_CRISIS)
def test_concern_from_the_rules_can_be_raised_to_crisis(
    semantic: SemanticRiskModel, text: str
) -> None:
    rules = assess(text)
    combined = assess(text, semantic=semantic)
    assert rules.level == "concern"
    assert combined.level == "crisis"
    assert combined.categories == (*rules.categories, SEMANTIC_RISK)


@pytest.mark.parametrize("text", IDIOMS)
def test_idioms_are_not_flagged(semantic: SemanticRiskModel, text: str) -> None:
    result = assess(text, semantic=semantic)
    assert result.level == "none", (text, semantic.score(text))


def test_a_paraphrase_at_the_end_of_a_long_message_is_still_seen(
    semantic: SemanticRiskModel,
) -> None:
    text = ORDINARY_PARAGRAPH * 8 + "Anyway. " + NEW_PARAPHRASES[2]
    assert len(text) > 2000
    assert assess(text).level == "none"
    assert assess(text, semantic=semantic).level == "crisis"
    assert assess(ORDINARY_PARAGRAPH * 8, semantic=semantic).level == "none"


def test_the_combination_never_lowers_a_rules_verdict(
    semantic: SemanticRiskModel,
    labelled_verdicts: list[tuple[LabeledExample, Assessment, Assessment]],
) -> None:
    extra = [*NEW_PARAPHRASES, *CONCERN_TO_CRISIS, *IDIOMS, "", "   ", "hi"]
    pairs = [(rules, combined) for _, rules, combined in labelled_verdicts]
    pairs += [(assess(text), assess(text, semantic=semantic)) for text in extra]
    for rules, combined in pairs:
        assert RANK[combined.level] >= RANK[rules.level]
        assert combined.categories[: len(rules.categories)] == rules.categories
        if combined.level == rules.level:
            assert combined == rules


def test_on_the_labelled_set_the_combination_keeps_recall_and_false_positives_in_bounds(
    labelled_verdicts: list[tuple[LabeledExample, Assessment, Assessment]],
) -> None:
    # A sanity check, not a measure: the labelled set is part of the layer's training data.
    crisis = [c for e, _, c in labelled_verdicts if e.level == "crisis"]
    none = [c for e, _, c in labelled_verdicts if e.level == "none"]
    recall = sum(1 for c in crisis if c.level == "crisis") / len(crisis)
    false_positives = sum(1 for c in none if c.level != "none") / len(none)
    assert recall >= 0.98
    assert false_positives <= 0.05


# --- failures fall back to the rules ------------------------------------------------------------


@pytest.mark.parametrize("broken", [_FailingEmbedder, _WrongShapeEmbedder])
def test_a_broken_embedder_falls_back_to_the_rules_and_logs_no_text(
    embedder: SentenceTransformerEmbedder,
    caplog: pytest.LogCaptureFixture,
    broken: type[_Renamed],
) -> None:
    model = SemanticRiskModel(
        broken(embedder, embedder.name, embedder.dimension), load_params(DEFAULT_PATH)
    )
    secret = "I've decided that tomorrow is the end for me, zebra-7741"
    with caplog.at_level(logging.DEBUG):
        for text in (secret, "I want to kill myself zebra-7741", "my phone died"):
            assert assess(text, semantic=model) == assess(text)
    assert "semantic safety layer failed" in caplog.text
    assert "zebra" not in caplog.text


def test_a_broken_scorer_falls_back_to_the_rules(caplog: pytest.LogCaptureFixture) -> None:
    class Exploding:
        crisis_threshold = 0.5
        concern_threshold = 0.5

        def score(self, text: str) -> RiskScore:
            raise MemoryError(text)

    text = "I've decided that tomorrow is the end for me"
    with caplog.at_level(logging.ERROR):
        assert assess(text, semantic=Exploding()) == assess(text)
    assert "MemoryError" in {getattr(r, "error_type", None) for r in caplog.records}
    assert "tomorrow" not in caplog.text


def test_a_fingerprint_mismatch_disables_the_layer_with_a_warning(
    embedder: SentenceTransformerEmbedder, caplog: pytest.LogCaptureFixture
) -> None:
    other = _Renamed(embedder, "some-other-model@0123456789ab", embedder.dimension)
    with caplog.at_level(logging.WARNING):
        assert load_default(other) is None
    assert "semantic safety layer disabled" in caplog.text
    assert any("0123456789ab" in getattr(r, "reason", "") for r in caplog.records)
    with pytest.raises(SemanticModelError):
        SemanticRiskModel(other, load_params(DEFAULT_PATH))
    # Rules still work on their own.
    assert assess("I want to kill myself").level == "crisis"


def test_a_dimension_mismatch_or_a_missing_file_disables_the_layer(
    embedder: SentenceTransformerEmbedder, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    wrong_dimension = _Renamed(embedder, embedder.name, 768)
    with caplog.at_level(logging.WARNING):
        assert load_default(wrong_dimension) is None
        assert load_default(embedder, tmp_path / "missing.npz") is None
        (tmp_path / "garbage.npz").write_bytes(b"not a zip file")
        assert load_default(embedder, tmp_path / "garbage.npz") is None
    assert caplog.text.count("semantic safety layer disabled") == 3


# --- speed ------------------------------------------------------------------------------------


def test_assessing_a_message_with_the_semantic_layer_is_fast(semantic: SemanticRiskModel) -> None:
    text = "everything feels pointless lately and I don't know who to talk to"
    assess(text, semantic=semantic)
    timings = []
    for _ in range(20):
        start = time.perf_counter()
        assess(text, semantic=semantic)
        timings.append(time.perf_counter() - start)
    # ~5-15 ms on a laptop CPU; the bound leaves room for a busy CI machine.
    assert statistics.median(timings) < 0.15
