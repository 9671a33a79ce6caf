"""Train the semantic safety layer and write `data/safety_semantic.npz`.

    .venv/bin/python -m core.safety.train_semantic           # retrain, write, print the CV results
    .venv/bin/python -m core.safety.train_semantic --check   # retrain, compare with the shipped one

Trains only on the files in TRAINING_FILES: the labelled set the rules are developed against,
the training phrasings in `data/`, and the first blind set once it was spent. The blind set in
use (`tests/data/safety_blind2.jsonl`) is never read. Everything is seeded, so the same data and
embedding model give the same parameters.

Procedure:

1. Embed every message with the local MiniLM model (vectors rounded to float16, the precision in
   which they are shipped) and run the rules on it.
2. For each (C, gamma) in the grid, two RBF support-vector classifiers - crisis vs the rest, and
   any risk (concern or crisis) vs none - give out-of-fold decision values over REPEATS rounds of
   stratified FOLDS-fold cross-validation. Platt scaling fitted on those values turns them into
   probabilities.
3. For those probabilities, the thresholds are the pair that maximises the crisis recall of the
   combination (rules, escalated by the classifiers, never lowered) subject to adding at most
   MAX_ADDED_NONE_FALSE_POSITIVE_RATE to the rules' own false-positive rate on "none" messages,
   averaged over the rounds; ties go to higher concern recall, then higher crisis precision,
   then higher thresholds. The budget is relative because hard near-misses in the training data
   ("bridge traffic is killing me") can put the rules alone over any absolute budget, which
   would switch the classifiers off entirely.
4. The (C, gamma) with the best result is kept; the final classifiers are fitted on all data.
5. A nested cross-validation (steps 2-3 re-run inside each outer training fold, for the chosen
   C and gamma) estimates how the frozen procedure does on messages it has not seen.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sklearn  # type: ignore[import-untyped]
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]
from sklearn.svm import SVC  # type: ignore[import-untyped]

from core.knowledge.files import sha256_file
from core.ports import Embedder
from core.safety.detector import Level, assess
from core.safety.evaluation import LabeledExample, load_labeled
from core.safety.semantic import (
    DEFAULT_PATH,
    FORMAT_VERSION,
    KernelHead,
    SemanticModelError,
    SemanticParams,
    SemanticRiskModel,
    embedder_fingerprint,
    kernel_probabilities,
    load_params,
    save_params,
    sigmoid,
    units,
)

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
TRAINING_FILES = (
    ROOT / "tests" / "data" / "safety_labeled.jsonl",
    ROOT / "data" / "safety_training.jsonl",
    # The first blind evaluation set, moved here once a second one replaced it as the measure.
    ROOT / "data" / "safety_training_blind1.jsonl",
    ROOT / "data" / "safety_training_more.jsonl",
    # Oblique, buried, slang, stance and eleven languages (issue 13), written blind to every
    # evaluation set.
    ROOT / "data" / "safety_training_varied.jsonl",
)
# Evaluation sets: never trained on. A training line too close to one of their lines (character
# trigram Jaccard similarity at or above NEAR_DUPLICATE) is dropped, so that no evaluation figure
# is inflated by a paraphrase of its own line. Only the count is printed, never a line.
EVALUATION_FILES = (
    ROOT / "tests" / "data" / "safety_blind2.jsonl",
    ROOT / "tests" / "data" / "safety_blind3.jsonl",
    ROOT / "data" / "safety_dev.jsonl",
)
NEAR_DUPLICATE = 0.6

SEED = 20250101
FOLDS = 5
REPEATS = 2
C_GRID = (1.0, 2.0, 4.0)
GAMMA_GRID = (0.5, 1.0)
# A false positive on "none" shows crisis numbers (or a gentler answer) to someone who is fine;
# a miss leaves someone at risk without them. Both count, the second more.
MAX_ADDED_NONE_FALSE_POSITIVE_RATE = 0.01
# Candidate thresholds; NEVER means "this escalation is switched off".
NEVER = 1.01
THRESHOLD_GRID = (*(round(0.05 + 0.01 * i, 2) for i in range(95)), NEVER)
PLATT_C = 1e4

_RANK: dict[Level, int] = {"none": 0, "concern": 1, "crisis": 2}

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class TrainingSet:
    """Embedded training messages with their labels and the rules' verdicts (0/1/2).

    `vectors` are the whole messages (what the classifiers are fitted on); `unit_vectors` are
    every unit `SemanticRiskModel.score` looks at (the message, then its sentences), and
    `unit_owner[i]` is the message unit i belongs to: a message scores the max over its units.
    """

    vectors: NDArray[np.float32]
    labels: IntArray
    rules: IntArray
    langs: tuple[str, ...]
    unit_vectors: NDArray[np.float32]
    unit_owner: IntArray


@dataclass(frozen=True, slots=True)
class Choice:
    """Thresholds picked for one set of out-of-fold probabilities, and the metrics they give."""

    crisis_threshold: float
    concern_threshold: float
    metrics: dict[str, float]


def _trigrams(text: str) -> frozenset[str]:
    flat = " ".join(text.casefold().split())
    return frozenset(flat[i : i + 3] for i in range(max(1, len(flat) - 2)))


def near_duplicates(
    examples: Sequence[LabeledExample], references: Sequence[str], threshold: float = NEAR_DUPLICATE
) -> set[int]:
    """Indices of `examples` whose trigram Jaccard similarity to a reference reaches `threshold`."""
    grams = [_trigrams(text) for text in references]
    found = set()
    for index, example in enumerate(examples):
        mine = _trigrams(example.text)
        for other in grams:
            union = len(mine | other)
            if union and len(mine & other) / union >= threshold:
                found.add(index)
                break
    return found


def load_examples(
    paths: Sequence[Path] = TRAINING_FILES, evaluation: Sequence[Path] = EVALUATION_FILES
) -> list[LabeledExample]:
    """Every labelled training message, in file order, minus near-duplicates of evaluation lines."""
    examples = [example for path in paths for example in load_labeled(path)]
    references = [e.text for path in evaluation if path.exists() for e in load_labeled(path)]
    dropped = near_duplicates(examples, references)
    return [example for index, example in enumerate(examples) if index not in dropped]


def prepare(examples: Sequence[LabeledExample], embedder: Embedder) -> TrainingSet:
    """Embed the messages and their sentences (at shipping precision); run the rules."""
    texts = [example.text for example in examples]
    unit_texts: list[str] = []
    owners: list[int] = []
    for index, text in enumerate(texts):
        for unit in units(text):
            unit_texts.append(unit)
            owners.append(index)
    unit_vectors = np.asarray(embedder.embed(unit_texts), dtype=np.float32)
    unit_vectors = unit_vectors.astype(np.float16).astype(np.float32)
    unit_owner = np.array(owners, dtype=np.int64)
    whole = np.searchsorted(unit_owner, np.arange(len(texts)))  # each message's first unit
    labels = np.array([_RANK[example.level] for example in examples], dtype=np.int64)
    rules = np.array([_RANK[assess(text).level] for text in texts], dtype=np.int64)
    return TrainingSet(
        unit_vectors[whole],
        labels,
        rules,
        tuple(example.lang for example in examples),
        unit_vectors,
        unit_owner,
    )


def max_by_owner(values: FloatArray, owners: IntArray, count: int) -> FloatArray:
    """Per message, the highest of its units' `values` (owners index 0..count-1)."""
    best = np.full(count, -np.inf)
    np.maximum.at(best, owners, values)
    return best


def _unit_rows(data: TrainingSet, messages: IntArray) -> tuple[IntArray, IntArray]:
    """Rows of `unit_vectors` belonging to `messages`, and each row's position in `messages`."""
    position = np.full(len(data.labels), -1, dtype=np.int64)
    position[messages] = np.arange(len(messages))
    rows = np.flatnonzero(position[data.unit_owner] >= 0)
    return rows, position[data.unit_owner[rows]]


def combine(
    rules: IntArray, crisis: FloatArray, risk: FloatArray, tc: float, tr: float
) -> IntArray:
    """The combined level: the rules' level, raised (never lowered) by the thresholds."""
    semantic = np.where(crisis >= tc, 2, np.where(risk >= tr, 1, 0))
    return np.maximum(rules, semantic).astype(np.int64)


def metrics(predicted: IntArray, labels: IntArray) -> dict[str, float]:
    """Crisis recall and precision, none false-positive rate, and concern recall (exact and >=)."""

    def ratio(numerator: int, denominator: int) -> float:
        return numerator / denominator if denominator else 0.0

    crisis, concern, none = labels == 2, labels == 1, labels == 0
    return {
        "crisis_recall": ratio(int(np.sum((predicted == 2) & crisis)), int(np.sum(crisis))),
        "crisis_precision": ratio(
            int(np.sum((predicted == 2) & crisis)), int(np.sum(predicted == 2))
        ),
        "none_false_positive_rate": ratio(int(np.sum((predicted > 0) & none)), int(np.sum(none))),
        "concern_recall": ratio(int(np.sum((predicted == 1) & concern)), int(np.sum(concern))),
        "concern_flagged": ratio(int(np.sum((predicted >= 1) & concern)), int(np.sum(concern))),
    }


def _mean_metrics(predictions: Sequence[IntArray], labels: IntArray) -> dict[str, float]:
    rows = [metrics(predicted, labels) for predicted in predictions]
    return {key: float(np.mean([row[key] for row in rows])) for key in rows[0]}


def choose_thresholds(
    crisis: FloatArray,
    risk: FloatArray,
    rules: IntArray,
    labels: IntArray,
    max_added_fp: float = MAX_ADDED_NONE_FALSE_POSITIVE_RATE,
) -> Choice:
    """Best thresholds for (rounds, n) out-of-fold probabilities; see the module docstring."""
    best: tuple[tuple[float, float, float], Choice] | None = None
    none = labels == 0
    crisis_labels, concern_labels = labels == 2, labels == 1
    n_none, n_crisis, n_concern = (int(np.sum(m)) for m in (none, crisis_labels, concern_labels))
    max_fp = float(np.sum((rules > 0) & none)) / max(1, n_none) + max_added_fp
    for tc in sorted(THRESHOLD_GRID, reverse=True):
        for tr in sorted(THRESHOLD_GRID, reverse=True):
            predicted = np.maximum(
                rules[None, :], np.where(crisis >= tc, 2, np.where(risk >= tr, 1, 0))
            )
            false_pos = np.sum((predicted > 0) & none[None, :], axis=1) / max(1, n_none)
            if float(np.mean(false_pos)) > max_fp + 1e-12:
                continue
            hits = np.sum((predicted == 2) & crisis_labels[None, :], axis=1)
            flagged = np.sum((predicted >= 1) & concern_labels[None, :], axis=1)
            called = np.maximum(1, np.sum(predicted == 2, axis=1))
            key = (
                round(float(np.mean(hits / max(1, n_crisis))), 12),
                round(float(np.mean(flagged / max(1, n_concern))), 12),
                round(float(np.mean(hits / called)), 12),
            )
            if best is None or key > best[0]:
                choice = Choice(tc, tr, _mean_metrics(list(predicted), labels))
                best = (key, choice)
    assert best is not None, "NEVER/NEVER is the rules alone, always within the budget"
    return best[1]


def _svc(c: float, gamma: float) -> Any:
    return SVC(C=c, kernel="rbf", gamma=gamma)


def out_of_fold(
    data: TrainingSet, indices: IntArray, c: float, gamma: float, seed: int
) -> tuple[FloatArray, FloatArray]:
    """(REPEATS, len(indices)) out-of-fold decision values for the crisis and the risk heads."""
    x, y = data.vectors[indices], data.labels[indices]
    crisis = np.zeros((REPEATS, len(indices)))
    risk = np.zeros((REPEATS, len(indices)))
    for repeat in range(REPEATS):
        folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed + repeat)
        for train, test in folds.split(x, y):
            rows, owner = _unit_rows(data, indices[test])
            for out, target in ((crisis, y == 2), (risk, y >= 1)):
                model = _svc(c, gamma).fit(x[train], target[train])
                decisions = model.decision_function(data.unit_vectors[rows])
                out[repeat, test] = max_by_owner(decisions, owner, len(test))
    return crisis, risk


def fit_platt(decisions: FloatArray, target: NDArray[np.bool_]) -> tuple[float, float]:
    """Platt scaling: (a, b) with P(target) = sigmoid(a * decision + b)."""
    flat = decisions.reshape(-1, 1)
    repeated = np.tile(target, decisions.shape[0]) if decisions.ndim == 2 else target
    model = LogisticRegression(C=PLATT_C, max_iter=1000).fit(flat, repeated)
    return float(model.coef_[0, 0]), float(model.intercept_[0])


@dataclass(frozen=True, slots=True)
class Candidate:
    """One (C, gamma) evaluated by cross-validation."""

    c: float
    gamma: float
    crisis_platt: tuple[float, float]
    risk_platt: tuple[float, float]
    choice: Choice


def evaluate_candidate(
    data: TrainingSet, indices: IntArray, c: float, gamma: float, seed: int
) -> Candidate:
    """Out-of-fold scores, Platt scaling and thresholds for one (C, gamma) on `indices`."""
    crisis_dec, risk_dec = out_of_fold(data, indices, c, gamma, seed)
    y = data.labels[indices]
    crisis_platt = fit_platt(crisis_dec, y == 2)
    risk_platt = fit_platt(risk_dec, y >= 1)
    crisis = sigmoid(crisis_platt[0] * crisis_dec + crisis_platt[1])
    risk = sigmoid(risk_platt[0] * risk_dec + risk_platt[1])
    choice = choose_thresholds(crisis, risk, data.rules[indices], y)
    return Candidate(c, gamma, crisis_platt, risk_platt, choice)


def _selection_key(candidate: Candidate) -> tuple[float, float, float]:
    m = candidate.choice.metrics
    return (
        round(m["crisis_recall"], 12),
        round(m["concern_flagged"], 12),
        round(m["crisis_precision"], 12),
    )


def fit_head(
    data: TrainingSet, indices: IntArray, target: NDArray[np.bool_], c: float, gamma: float
) -> tuple[IntArray, FloatArray, float]:
    """Fit one head on `indices`: (support indices into data, dual coefficients, intercept)."""
    model = _svc(c, gamma).fit(data.vectors[indices], target)
    support = indices[np.asarray(model.support_, dtype=np.int64)]
    return support, np.asarray(model.dual_coef_[0], dtype=np.float64), float(model.intercept_[0])


def build_params(
    data: TrainingSet, indices: IntArray, candidate: Candidate, metadata: dict[str, Any]
) -> SemanticParams:
    """Fit both heads on `indices` and pack them with the candidate's calibration and thresholds."""
    y = data.labels[indices]
    crisis_sv, crisis_dual, crisis_b = fit_head(data, indices, y == 2, candidate.c, candidate.gamma)
    risk_sv, risk_dual, risk_b = fit_head(data, indices, y >= 1, candidate.c, candidate.gamma)
    support = np.union1d(crisis_sv, risk_sv)
    position = {int(index): row for row, index in enumerate(support)}
    duals = []
    for sv, dual in ((crisis_sv, crisis_dual), (risk_sv, risk_dual)):
        full = np.zeros(len(support))
        for index, value in zip(sv, dual, strict=True):
            full[position[int(index)]] = value
        duals.append(full)
    return SemanticParams(
        support_vectors=data.vectors[support],
        gamma=candidate.gamma,
        crisis=KernelHead(duals[0], crisis_b, *candidate.crisis_platt),
        risk=KernelHead(duals[1], risk_b, *candidate.risk_platt),
        crisis_threshold=candidate.choice.crisis_threshold,
        concern_threshold=candidate.choice.concern_threshold,
        metadata=metadata,
    )


def nested_estimate(data: TrainingSet, c: float, gamma: float, seed: int) -> dict[str, float]:
    """Outer-fold metrics of the whole procedure for a fixed (C, gamma); see the docstring."""
    return metrics(nested_predictions(data, c, gamma, seed), data.labels)


def nested_predictions(data: TrainingSet, c: float, gamma: float, seed: int) -> IntArray:
    """Outer-fold combined levels of the whole procedure for a fixed (C, gamma)."""
    everything = np.arange(len(data.labels), dtype=np.int64)
    predicted = np.zeros(len(everything), dtype=np.int64)
    outer = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed + 1000)
    for train, test in outer.split(data.vectors, data.labels):
        train_idx, test_idx = everything[train], everything[test]
        candidate = evaluate_candidate(data, train_idx, c, gamma, seed)
        params = build_params(data, train_idx, candidate, {})
        rows, owner = _unit_rows(data, test_idx)
        unit_crisis, unit_risk = kernel_probabilities(params, data.unit_vectors[rows])
        crisis = max_by_owner(unit_crisis, owner, len(test_idx))
        risk = max_by_owner(unit_risk, owner, len(test_idx))
        predicted[test_idx] = combine(
            data.rules[test_idx],
            crisis,
            risk,
            candidate.choice.crisis_threshold,
            candidate.choice.concern_threshold,
        )
    return predicted


def _round(values: dict[str, float]) -> dict[str, float]:
    return {key: round(value, 4) for key, value in values.items()}


def train(
    embedder: Embedder,
    *,
    paths: Sequence[Path] = TRAINING_FILES,
    seed: int = SEED,
    nested: bool = True,
    progress: bool = False,
) -> SemanticParams:
    """Run the whole procedure and return the parameters (with the CV report in `metadata`)."""
    sources = [
        {
            "path": path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path),
            "sha256": sha256_file(path),
            "examples": len(load_labeled(path)),
        }
        for path in paths
    ]
    every = [example for path in paths for example in load_labeled(path)]
    examples = load_examples(paths)
    if progress:
        print(  # noqa: T201
            f"  {len(every)} training lines, {len(every) - len(examples)} dropped as near-"
            f"duplicates of evaluation lines (trigram Jaccard >= {NEAR_DUPLICATE})"
        )
    data = prepare(examples, embedder)
    everything = np.arange(len(data.labels), dtype=np.int64)
    candidates = []
    for c in C_GRID:
        for gamma in GAMMA_GRID:
            candidate = evaluate_candidate(data, everything, c, gamma, seed)
            candidates.append(candidate)
            if progress:
                print(f"  C={c:<4} gamma={gamma:<4} {_round(candidate.choice.metrics)}")  # noqa: T201
    best = max(candidates, key=_selection_key)  # first of equals: the smaller C and gamma
    english = np.array([lang == "en" for lang in data.langs])
    metadata: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "model_fingerprint": embedder_fingerprint(embedder),
        "embedder_name": str(embedder.name),
        "dimension": int(data.vectors.shape[1]),
        "seed": seed,
        "trained_on": sources,
        "labels": {level: int(np.sum(data.labels == rank)) for level, rank in _RANK.items()},
        "near_duplicates_dropped": len(every) - len(examples),
        "scored_units": "the message and each of its sentences; the highest probability counts",
        "classifier": {
            "kind": "svm_rbf",
            "C": best.c,
            "gamma": best.gamma,
            "calibration": f"platt on out-of-fold decision values ({REPEATS}x{FOLDS}-fold)",
        },
        "threshold_rule": (
            "maximise cross-validated crisis recall of rules+semantic subject to adding at "
            f"most {MAX_ADDED_NONE_FALSE_POSITIVE_RATE} to the rules' none false-positive rate; "
            "ties: concern recall, crisis precision, higher thresholds"
        ),
        "selection": [
            {"C": cand.c, "gamma": cand.gamma, **_round(cand.choice.metrics)} for cand in candidates
        ],
        "cv": {
            "rules_only": _round(metrics(data.rules, data.labels)),
            "rules_only_english": _round(metrics(data.rules[english], data.labels[english])),
            "rules_only_other_languages": _round(
                metrics(data.rules[~english], data.labels[~english])
            ),
            "combined": _round(best.choice.metrics),
        },
        "versions": {"numpy": np.__version__, "scikit-learn": sklearn.__version__},
    }
    if nested:
        predicted = nested_predictions(data, best.c, best.gamma, seed)
        metadata["nested_cv"] = _round(metrics(predicted, data.labels))
        metadata["nested_cv_crisis_recall_by_language"] = {
            lang: round(metrics(predicted[mask], data.labels[mask])["crisis_recall"], 4)
            for lang in sorted(set(data.langs))
            if (mask := np.array([x == lang for x in data.langs])).any()
            and (data.labels[mask] == 2).any()
        }
    params = build_params(data, everything, best, metadata)
    metadata = {**metadata, "support_vectors": int(params.support_vectors.shape[0])}
    return dataclasses.replace(params, metadata=metadata)


def same_parameters(a: SemanticParams, b: SemanticParams) -> list[str]:
    """Differences that matter between two parameter sets (empty if they are the same)."""
    problems = []
    if a.support_vectors.shape != b.support_vectors.shape:
        problems.append(f"support vectors {a.support_vectors.shape} != {b.support_vectors.shape}")
    elif not np.allclose(a.support_vectors, b.support_vectors, atol=1e-3):
        problems.append("support vectors differ")
    else:
        for name, x, y in (
            ("crisis dual", a.crisis.dual, b.crisis.dual),
            ("risk dual", a.risk.dual, b.risk.dual),
        ):
            if not np.allclose(x, y, rtol=1e-4, atol=1e-6):
                problems.append(f"{name} coefficients differ")
    if (a.crisis_threshold, a.concern_threshold) != (b.crisis_threshold, b.concern_threshold):
        problems.append(
            f"thresholds {(a.crisis_threshold, a.concern_threshold)} != "
            f"{(b.crisis_threshold, b.concern_threshold)}"
        )
    if a.gamma != b.gamma:
        problems.append(f"gamma {a.gamma} != {b.gamma}")
    for key in ("model_fingerprint", "trained_on", "classifier"):
        if a.metadata.get(key) != b.metadata.get(key):
            problems.append(f"metadata {key} differs")
    return problems


def _report(params: SemanticParams) -> str:
    meta = params.metadata
    lines = [
        f"classifier: {meta['classifier']}",
        f"support vectors: {params.support_vectors.shape}, labels {meta['labels']}",
        f"thresholds: crisis {params.crisis_threshold}, concern {params.concern_threshold}",
        f"model fingerprint: {meta['model_fingerprint']}",
    ]
    for name, values in meta["cv"].items():
        lines.append(f"cv {name:<28} {values}")
    if "nested_cv" in meta:
        lines.append(f"nested cv combined             {meta['nested_cv']}")
        lines.append(
            f"nested cv crisis recall by language {meta.get('nested_cv_crisis_recall_by_language')}"
        )
    return "\n".join(lines)


def _latency(embedder: Embedder, params: SemanticParams) -> str:
    """Median time to score a short and a four-sentence message, and the parameters' size."""
    model = SemanticRiskModel(embedder, params)
    short = "I can't sleep and everything feels heavy."
    long = "Work was fine. I made pasta. I've set the date. Anyway, the show starts tomorrow."
    lines = [
        f"parameters: {params.support_vectors.shape[0]} support vectors, about "
        f"{params.support_vectors.nbytes // 2 // 1024} KiB at float16"
    ]
    for name, text in (("one sentence", short), ("four sentences", long)):
        model.score(text)
        samples = []
        for _ in range(15):
            start = time.perf_counter()
            model.score(text)
            samples.append((time.perf_counter() - start) * 1000)
        lines.append(f"score() median, {name}: {sorted(samples)[len(samples) // 2]:.1f} ms")
    return "\n".join(lines)


class CachedEmbedder:
    """An embedder that keeps its vectors in an .npz file keyed by text, for repeated runs.

    The cache is tied to the model's fingerprint (a cache for another model is ignored); the
    vectors are the model's own, so a run with the cache trains exactly what one without does.
    """

    def __init__(self, inner: Embedder, path: Path) -> None:
        self._inner = inner
        self._path = path
        self._vectors: dict[str, NDArray[np.float32]] = {}
        if path.exists():
            with np.load(path, allow_pickle=False) as data:
                if str(data["fingerprint"]) == embedder_fingerprint(inner):
                    texts = [str(text) for text in data["texts"]]
                    self._vectors = dict(zip(texts, data["vectors"], strict=True))

    @property
    def name(self) -> str:
        """The wrapped embedder's name."""
        return str(self._inner.name)

    @property
    def dimension(self) -> int:
        """The wrapped embedder's dimension."""
        return int(self._inner.dimension)

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Vectors for `texts`, embedding only the ones not cached yet, then saving the cache."""
        missing = list(dict.fromkeys(text for text in texts if text not in self._vectors))
        if missing:
            fresh = np.asarray(self._inner.embed(missing), dtype=np.float32)
            self._vectors.update(zip(missing, fresh, strict=True))
            keys = list(self._vectors)
            np.savez(
                self._path,
                fingerprint=np.array(embedder_fingerprint(self._inner)),
                texts=np.array(keys),
                vectors=np.stack([self._vectors[key] for key in keys]),
            )
        return np.stack([self._vectors[text] for text in texts]).astype(np.float32)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_PATH, help="where to write")
    parser.add_argument(
        "--check", action="store_true", help="retrain and compare with --output; write nothing"
    )
    parser.add_argument("--no-nested", action="store_true", help="skip the nested CV estimate")
    parser.add_argument(
        "--embedding-cache",
        type=Path,
        default=None,
        help="an .npz file keeping the embeddings between runs (same results, faster reruns)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    from core.adapters.embeddings import SentenceTransformerEmbedder, model_fingerprint

    embedder = SentenceTransformerEmbedder()
    if embedder_fingerprint(embedder) != model_fingerprint(embedder.model_path):
        print("the embedder's name does not carry its model fingerprint", file=sys.stderr)  # noqa: T201
        return 2
    print(f"training with {embedder.name} (grid {len(C_GRID)}x{len(GAMMA_GRID)})")  # noqa: T201
    started = time.perf_counter()
    trainer_embedder: Embedder = (
        CachedEmbedder(embedder, args.embedding_cache) if args.embedding_cache else embedder
    )
    params = train(trainer_embedder, nested=not args.no_nested, progress=True)
    print(_report(params))  # noqa: T201
    print(f"training took {time.perf_counter() - started:.0f} s")  # noqa: T201
    print(_latency(embedder, params))  # noqa: T201
    if args.check:
        try:
            shipped = load_params(args.output)
        except SemanticModelError as exc:
            print(f"cannot compare: {exc}", file=sys.stderr)  # noqa: T201
            return 1
        problems = same_parameters(params, shipped)
        for problem in problems:
            print(f"DIFFERENT: {problem}", file=sys.stderr)  # noqa: T201
        if not problems:
            print(f"{args.output} matches a fresh training run")  # noqa: T201
        return 1 if problems else 0
    save_params(params, args.output)
    print(f"wrote {args.output} ({args.output.stat().st_size // 1024} KiB)")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
