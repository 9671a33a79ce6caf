"""The semantic second layer of `assess`: a classifier over sentence embeddings that only adds risk.

The rules in `core.safety.detector` enumerate phrasings; this layer catches paraphrases they cannot
list ("everything's arranged for sunday", "I've been handing out my things"). It scores a message
with two RBF-kernel support-vector classifiers over the embedding of the message - P(crisis) and
P(concern or crisis), each calibrated with Platt scaling on cross-validated scores - and
`assess(..., semantic=model)` escalates the rules' verdict when a probability reaches the
threshold chosen by cross-validation. It never lowers a verdict.

The parameters ship in `data/safety_semantic.npz`, written by `python -m core.safety.train_semantic`
together with the fingerprint of the embedding model they were trained with. A model whose
fingerprint or dimension does not match the embedder is refused (`load_default` logs a warning and
returns None), so the rules keep working alone rather than next to a classifier reading vectors
it was never trained on.

The embedder is passed in and never loaded here; nothing is cached, and no text is ever logged.
"""

from __future__ import annotations

import io
import json
import logging
import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.ports import Embedder, RiskScore, Vector

log = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "safety_semantic.npz"
FORMAT_VERSION = 1

# MiniLM reads at most 256 word pieces (roughly 1,000 characters of English), and an embedding is a
# mean over its words, so one sentence that matters is drowned out by the chatty sentences around
# it. Every message is therefore also scored sentence by sentence (`units`), and the highest
# probability counts. The trainer scores its cross-validation folds the same way, so the
# thresholds it picks already pay for the extra chances of a false alarm.
MAX_UNIT_SENTENCES = 12  # sentences scored one by one: the first 8 and the last 4 of a long text
# A message shorter than this is scored whole only: one or two short sentences are not drowned
# out by each other, and each extra encoder pass costs about one embedding of the message.
SENTENCE_SCORING_MIN_CHARS = 160
_MIN_SENTENCE_CHARS = 12  # shorter fragments ("ok.", "lol") join the sentence after them
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])\s+|\s*\n+\s*")

_ARRAYS = (
    "support_vectors",
    "crisis_dual",
    "risk_dual",
    "intercepts",
    "platt",
    "thresholds",
    "gamma",
    "metadata",
)


class SemanticModelError(ValueError):
    """The shipped parameters are missing, damaged or do not belong to this embedder."""


@dataclass(frozen=True, slots=True)
class KernelHead:
    """One calibrated binary classifier: sum(dual * rbf(x, sv)) + intercept, then Platt scaling."""

    dual: NDArray[np.float64]
    intercept: float
    platt_a: float
    platt_b: float


@dataclass(frozen=True, slots=True)
class SemanticParams:
    """Everything `SemanticRiskModel` needs, as written by `train_semantic`."""

    support_vectors: NDArray[np.float32]
    gamma: float
    crisis: KernelHead
    risk: KernelHead
    crisis_threshold: float
    concern_threshold: float
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def dimension(self) -> int:
        """Length of the embeddings the classifiers were trained on."""
        return int(self.support_vectors.shape[1])

    @property
    def model_fingerprint(self) -> str:
        """Fingerprint of the embedding model the classifiers were trained with."""
        return str(self.metadata.get("model_fingerprint", ""))


def embedder_fingerprint(embedder: Embedder) -> str:
    """The fingerprint part of an embedder's name ("label@fingerprint"); the name if it has none."""
    return str(embedder.name).rpartition("@")[2]


def sigmoid(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """The logistic function, without overflow warnings for large negative inputs."""
    clipped = np.clip(values, -500.0, 500.0)
    return np.asarray(1.0 / (1.0 + np.exp(-clipped)), dtype=np.float64)


def _finite(value: float, what: str) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise SemanticModelError(f"{what} is not a finite number")
    return number


def save_params(params: SemanticParams, path: Path) -> None:
    """Write `params` as an .npz whose bytes depend only on the parameters (fixed timestamps)."""
    arrays: dict[str, NDArray[Any]] = {
        "support_vectors": np.ascontiguousarray(params.support_vectors, dtype=np.float16),
        "crisis_dual": np.asarray(params.crisis.dual, dtype=np.float64),
        "risk_dual": np.asarray(params.risk.dual, dtype=np.float64),
        "intercepts": np.array([params.crisis.intercept, params.risk.intercept], dtype=np.float64),
        "platt": np.array(
            [
                [params.crisis.platt_a, params.crisis.platt_b],
                [params.risk.platt_a, params.risk.platt_b],
            ],
            dtype=np.float64,
        ),
        "thresholds": np.array(
            [params.crisis_threshold, params.concern_threshold], dtype=np.float64
        ),
        "gamma": np.array(params.gamma, dtype=np.float64),
        "metadata": np.array(json.dumps(params.metadata, sort_keys=True, ensure_ascii=False)),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in _ARRAYS:
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, arrays[name], allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, buffer.getvalue())
    temporary.replace(path)


def load_params(path: Path = DEFAULT_PATH) -> SemanticParams:
    """Read and validate the parameters at `path`; raises SemanticModelError naming the fault."""
    try:
        with np.load(path, allow_pickle=False) as data:
            missing = [name for name in _ARRAYS if name not in data.files]
            if missing:
                raise SemanticModelError(f"{path}: missing arrays {missing}")
            arrays = {name: data[name] for name in _ARRAYS}
    except SemanticModelError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise SemanticModelError(f"{path}: cannot read ({type(exc).__name__})") from exc

    try:
        metadata = json.loads(str(arrays["metadata"][()]))
    except ValueError as exc:
        raise SemanticModelError(f"{path}: metadata is not JSON") from exc
    if not isinstance(metadata, dict) or metadata.get("format_version") != FORMAT_VERSION:
        raise SemanticModelError(f"{path}: not format version {FORMAT_VERSION}")

    vectors = np.asarray(arrays["support_vectors"], dtype=np.float32)
    if vectors.ndim != 2 or vectors.shape[0] == 0 or vectors.shape[1] == 0:
        raise SemanticModelError(f"{path}: support vectors have shape {vectors.shape}")
    count = vectors.shape[0]
    duals = []
    for name in ("crisis_dual", "risk_dual"):
        dual = np.asarray(arrays[name], dtype=np.float64)
        if dual.shape != (count,) or not np.all(np.isfinite(dual)):
            raise SemanticModelError(f"{path}: {name} does not match the support vectors")
        duals.append(dual)
    intercepts = np.asarray(arrays["intercepts"], dtype=np.float64)
    platt = np.asarray(arrays["platt"], dtype=np.float64)
    thresholds = np.asarray(arrays["thresholds"], dtype=np.float64)
    if intercepts.shape != (2,) or platt.shape != (2, 2) or thresholds.shape != (2,):
        raise SemanticModelError(f"{path}: intercepts, platt or thresholds have the wrong shape")
    gamma = _finite(float(arrays["gamma"]), "gamma")
    if gamma <= 0:
        raise SemanticModelError(f"{path}: gamma must be positive")
    crisis_threshold = _finite(float(thresholds[0]), "the crisis threshold")
    concern_threshold = _finite(float(thresholds[1]), "the concern threshold")
    if not (0.0 < crisis_threshold and 0.0 < concern_threshold):
        raise SemanticModelError(f"{path}: thresholds must be positive")
    heads = [
        KernelHead(
            dual=duals[i],
            intercept=_finite(float(intercepts[i]), "an intercept"),
            platt_a=_finite(float(platt[i, 0]), "a Platt slope"),
            platt_b=_finite(float(platt[i, 1]), "a Platt offset"),
        )
        for i in range(2)
    ]
    return SemanticParams(
        support_vectors=vectors,
        gamma=gamma,
        crisis=heads[0],
        risk=heads[1],
        crisis_threshold=crisis_threshold,
        concern_threshold=concern_threshold,
        metadata=metadata,
    )


def squared_norms(vectors: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
    """Squared length of each row."""
    rows = np.asarray(vectors, dtype=np.float64)
    return np.asarray(np.einsum("ij,ij->i", rows, rows), dtype=np.float64)


def kernel_probabilities(
    params: SemanticParams,
    vectors: NDArray[np.float32],
    vector_norms: NDArray[np.float64] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(P(crisis), P(concern or crisis)) for each row of an (n, dimension) array of embeddings."""
    matrix = np.asarray(vectors, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[1] != params.dimension:
        raise ValueError(f"expected (n, {params.dimension}) vectors, got {matrix.shape}")
    if not np.all(np.isfinite(matrix)):
        raise ValueError("the embedder returned non-finite values")
    support = np.asarray(params.support_vectors, dtype=np.float64)
    norms = squared_norms(params.support_vectors) if vector_norms is None else vector_norms
    squared = squared_norms(matrix)[:, None] + norms[None, :] - 2.0 * (matrix @ support.T)
    kernel = np.exp(-params.gamma * np.maximum(squared, 0.0))
    crisis, risk = (
        sigmoid(head.platt_a * (kernel @ head.dual + head.intercept) + head.platt_b)
        for head in (params.crisis, params.risk)
    )
    return crisis, risk


def sentences(text: str) -> list[str]:
    """The sentences of `text` (short fragments joined to the next), at most MAX_UNIT_SENTENCES."""
    joined: list[str] = []
    pending = ""
    for part in _SENTENCE_END.split(text):
        part = part.strip()
        if not part:
            continue
        pending = f"{pending} {part}" if pending else part
        if len(pending) >= _MIN_SENTENCE_CHARS:
            joined.append(pending)
            pending = ""
    if pending:
        if joined:
            joined[-1] = f"{joined[-1]} {pending}"
        else:
            joined.append(pending)
    if len(joined) > MAX_UNIT_SENTENCES:
        joined = [*joined[:8], *joined[-(MAX_UNIT_SENTENCES - 8) :]]
    return joined


def units(text: str) -> list[str]:
    """What is scored: the text itself, then each of its sentences when it has more than one and
    is at least SENTENCE_SCORING_MIN_CHARS long."""
    if len(text) < SENTENCE_SCORING_MIN_CHARS:
        return [text]
    parts = sentences(text)
    if len(parts) <= 1:
        return [text]
    return [text, *dict.fromkeys(part for part in parts if part != text)]


class SemanticRiskModel:
    """P(crisis) and P(concern or crisis) for a message, from its embedding.

    Implements `core.safety.RiskScorer`. Raises SemanticModelError at construction when the
    parameters were trained with a different embedding model or dimension.
    """

    def __init__(self, embedder: Embedder, params: SemanticParams) -> None:
        expected = params.model_fingerprint
        actual = embedder_fingerprint(embedder)
        if not expected or expected != actual:
            raise SemanticModelError(
                f"trained with embedding model {expected or '(unknown)'}, but the embedder is "
                f"{actual or '(unknown)'}; retrain with `python -m core.safety.train_semantic`"
            )
        if int(embedder.dimension) != params.dimension:
            raise SemanticModelError(
                f"trained on {params.dimension}-d embeddings, but the embedder gives "
                f"{embedder.dimension}-d"
            )
        self._embedder = embedder
        self._params = params
        self._vector_norms = squared_norms(params.support_vectors)

    @property
    def params(self) -> SemanticParams:
        """The loaded parameters."""
        return self._params

    @property
    def crisis_threshold(self) -> float:
        """P(crisis) at or above which `assess` escalates to crisis."""
        return self._params.crisis_threshold

    @property
    def concern_threshold(self) -> float:
        """P(concern or crisis) at or above which `assess` escalates "none" to concern."""
        return self._params.concern_threshold

    def probabilities(self, vectors: NDArray[np.float32]) -> tuple[NDArray[np.float64], ...]:
        """(P(crisis), P(concern or crisis)) for each row of an (n, dimension) array."""
        return kernel_probabilities(self._params, vectors, self._vector_norms)

    def score(self, text: str, *, embedding: Vector | None = None) -> RiskScore:
        """Calibrated probabilities for one message (the max over the message and its sentences).

        `embedding` is the vector of the whole `text` when the caller already has it.
        """
        windows = units(text)
        if embedding is None:
            vectors = self._embedder.embed(windows)
        else:
            whole = np.asarray(embedding, dtype=np.float32).reshape(1, -1)
            rest = windows[1:]
            vectors = np.vstack([whole, self._embedder.embed(rest)]) if rest else whole
        crisis, risk = self.probabilities(vectors)
        return RiskScore(crisis=float(crisis.max()), concern=float(risk.max()))

    def score_many(self, texts: Sequence[str]) -> list[RiskScore]:
        """`score` for several messages, embedded in one batch."""
        windows: list[str] = []
        owners: list[int] = []
        for index, text in enumerate(texts):
            for window in units(text):
                windows.append(window)
                owners.append(index)
        if not windows:
            return []
        crisis, risk = self.probabilities(self._embedder.embed(windows))
        best = np.zeros((len(texts), 2), dtype=np.float64)
        for row, owner in enumerate(owners):
            best[owner, 0] = max(best[owner, 0], crisis[row])
            best[owner, 1] = max(best[owner, 1], risk[row])
        return [RiskScore(crisis=float(c), concern=float(r)) for c, r in best]

    def crisis_probability(self, text: str) -> float:
        """P(crisis) for one message."""
        return self.score(text).crisis


def load_default(embedder: Embedder, path: Path = DEFAULT_PATH) -> SemanticRiskModel | None:
    """The shipped semantic layer for `embedder`, or None (with a warning) if it cannot be used.

    None means "rules only": the parameters are missing or damaged, or were trained with a
    different embedding model. Never raises.
    """
    try:
        return SemanticRiskModel(embedder, load_params(path))
    except SemanticModelError as exc:
        log.warning("semantic safety layer disabled", extra={"reason": str(exc)})
    except Exception as exc:
        log.warning("semantic safety layer disabled", extra={"error_type": type(exc).__name__})
    return None
