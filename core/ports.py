"""Every interface to an outside system, in one place, with the errors each may raise.

Domain modules depend on these protocols only; the real implementations live in
`core.adapters`, and `core.bootstrap` wires one set of them into the app. Tests pass the fake set
from `tests/fakes`, which speaks the real protocols where the system is a server.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, TypeAlias

if TYPE_CHECKING:  # numpy stays unimported for the rules-only safety screen
    import numpy as np
    from numpy.typing import NDArray

    from core.knowledge.corpus import KnowledgeEntry

# --- time ---------------------------------------------------------------------------------------


class Clock(Protocol):
    """Where "now" comes from, so every rule that depends on time can be tested at any time."""

    def now(self) -> datetime:
        """Now, as naive UTC (the form every table stores)."""
        ...


# --- language model -----------------------------------------------------------------------------

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One message of a conversation; `repr` leaves the content out so it never reaches a log."""

    role: Role
    content: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class LLMHealth:
    """What the settings page shows about the language-model server."""

    up: bool
    model_available: bool
    detail: str
    models: tuple[str, ...] = ()


class LLM(Protocol):
    """What the companion needs from a language model."""

    @property
    def model_name(self) -> str:
        """The model answering, e.g. `llama3.2:3b`."""
        ...

    def stream_chat(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        """Yield the answer in pieces; closing the iterator early stops the generation.

        While waiting for text it may yield "" now and then, so the caller keeps control (to
        show that it is thinking, or to stop). Raises an `LLMError` subclass when the model
        cannot answer.
        """
        ...

    def warm_up(self) -> None:
        """Start loading the model in the background; best effort, never raises."""
        ...

    def health(self) -> LLMHealth:
        """Whether the server answers and has the model; never raises."""
        ...


class LLMError(Exception):
    """The model could not answer. `str()` is safe to log: it holds no user text."""


class LLMUnavailable(LLMError):
    """The server cannot be reached (down, refused, DNS, not an Ollama API, or busy)."""


class LLMModelMissing(LLMError):
    """The server runs but does not have the model; `pull_command` says how to get it."""

    def __init__(self, model: str) -> None:
        self.model = model
        self.pull_command = f"ollama pull {model}"
        super().__init__(
            f"model {model!r} is not available on the Ollama server; run: {self.pull_command}"
        )


class LLMTimeout(LLMError):
    """No first token in time, or the stream stalled; `partial_text` is what had arrived."""

    def __init__(self, message: str, *, partial_text: str = "") -> None:
        super().__init__(message)
        self.partial_text = partial_text


class LLMStreamError(LLMError):
    """The server failed or the stream was cut; `partial_text` is what had already streamed."""

    def __init__(
        self, message: str, *, partial_text: str = "", status_code: int | None = None
    ) -> None:
        super().__init__(message)
        self.partial_text = partial_text
        self.status_code = status_code


# --- embeddings and retrieval -------------------------------------------------------------------

Vector: TypeAlias = "NDArray[np.float32]"


class EmbeddingModelError(RuntimeError):
    """The embedding model cannot be found or loaded; the message says how to fix it."""


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of a fixed dimension."""

    @property
    def name(self) -> str:
        """Identifies the model as "label@fingerprint"; a new name means stored vectors are
        stale."""
        ...

    @property
    def dimension(self) -> int:
        """Length of each vector."""
        ...

    def embed(self, texts: Sequence[str]) -> Vector:
        """An array of shape (len(texts), dimension), each row L2-normalised."""
        ...


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One knowledge entry found for a query; `score` is cosine similarity (1 - distance)."""

    id: str
    title: str
    topic: str
    score: float
    entry: KnowledgeEntry


class DenseIndex(Protocol):
    """What the hybrid retriever needs of the dense index (`KnowledgeIndex` provides it)."""

    @property
    def embedder(self) -> Embedder:
        """The embedding model behind the index."""
        ...

    @property
    def entries(self) -> tuple[KnowledgeEntry, ...]:
        """All entries, sorted by id."""
        ...

    @property
    def content_hash(self) -> str:
        """Hash of the entries the index was built from."""
        ...

    @property
    def directory(self) -> Path:
        """Where the index files live."""
        ...

    @property
    def build_reason(self) -> str | None:
        """Why the index was built when opened; None when it was loaded."""
        ...

    def __len__(self) -> int:
        """The number of entries."""
        ...

    def get(self, entry_id: str) -> KnowledgeEntry | None:
        """The entry with this id."""
        ...

    def search_vector(self, vector: Vector, k: int = 3) -> list[SearchHit]:
        """Entries closest to `vector`, best first."""
        ...


class Retriever(Protocol):
    """Finds knowledge entries relevant to a piece of text."""

    def search(self, query: str, k: int, *, embedding: Vector | None = None) -> list[SearchHit]:
        """The `k` best entries for `query`, best first; [] for a blank query.

        `embedding` is the query's vector when the caller already has it (one embedding a turn).
        """
        ...

    def get(self, entry_id: str) -> KnowledgeEntry | None:
        """The entry with this id, if there is one."""
        ...


# --- safety -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RiskScore:
    """Calibrated probabilities from a risk scorer.

    `crisis` is P(crisis); `concern` is P(concern or crisis), i.e. the probability of any risk.
    """

    crisis: float
    concern: float


class RiskScorer(Protocol):
    """A second opinion for `core.safety.assess`: probabilities plus the thresholds to act on.

    `assess` escalates to crisis when `crisis >= crisis_threshold` and from "none" to concern when
    `concern >= concern_threshold`; it never lowers what the rules found. `score` may raise: the
    error is logged by type only and the rules' verdict is used.
    """

    @property
    def crisis_threshold(self) -> float:
        """P(crisis) at or above which the level becomes crisis."""
        ...

    @property
    def concern_threshold(self) -> float:
        """P(concern or crisis) at or above which "none" becomes concern."""
        ...

    def score(self, text: str, *, embedding: Vector | None = None) -> RiskScore:
        """Probabilities for one raw message; `embedding` is its vector if already computed."""
        ...


# --- the coming channels and the emotion model --------------------------------------------------


class DeliveryError(Exception):
    """A message could not be handed to its channel; `retryable` says whether to try again.

    `ambiguous` means it may have been sent all the same (a timeout, a cut connection, a 5xx):
    the sender must look for it (`MessageSender.find_sent`) before sending it again. `code` is
    the provider's error code when there is one (Twilio's 21211, an SMTP reply code...).
    """

    def __init__(
        self, message: str, *, retryable: bool, ambiguous: bool = False, code: str | None = None
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.ambiguous = ambiguous
        self.code = code


@dataclass(frozen=True, slots=True)
class MessageTemplate:
    """A pre-approved WhatsApp template (Twilio Content API) and its numbered variables."""

    content_sid: str
    variables: dict[str, str] = field(repr=False)


@dataclass(frozen=True, slots=True)
class SentMessage:
    """A message the provider has on record, as its message list shows it."""

    sid: str
    to: str
    status: str
    created_at: datetime  # naive UTC
    body: str = ""  # the text as delivered (a template's with its variables filled in)


class MessageSender(Protocol):
    """Sends a short text to a phone (WhatsApp through Twilio in production)."""

    def send(self, *, to: str, body: str, template: MessageTemplate | None = None) -> str:
        """Send `body` (or `template` when given) to `to` (E.164, e.g. "+447700900123").

        Returns the provider's message id. Raises `DeliveryError`.
        """
        ...

    def find_sent(self, *, to: str, since: datetime, until: datetime) -> list[SentMessage]:
        """Messages the provider created for `to` between `since` and `until` (naive UTC).

        How an ambiguous send is reconciled. Raises `DeliveryError` (retryable) when the
        provider cannot be asked.
        """
        ...


class Mailer(Protocol):
    """Sends a plain-text email (SMTP in production)."""

    def send(self, *, to: str, subject: str, body: str, key: str | None = None) -> str:
        """Send the email; returns its Message-ID. Raises `DeliveryError`.

        `key` names the delivery: every try of the same delivery carries the same Message-ID,
        so a copy sent again after a lost answer can be recognised (and dropped) downstream."""
        ...


class EmotionModelError(RuntimeError):
    """The emotion model is missing or failed; the message says how to install its weights."""


@dataclass(frozen=True, slots=True)
class EmotionReading:
    """The emotions a face shows, as probabilities summing to 1, and where the face is."""

    scores: dict[str, float]
    box: tuple[int, int, int, int] | None

    @property
    def dominant(self) -> str:
        """The most likely emotion."""
        return max(self.scores, key=self.scores.__getitem__)


class EmotionModel(Protocol):
    """Reads the emotion a face shows in one video frame (DeepFace in production)."""

    def analyse(self, frame: NDArray[np.uint8]) -> list[EmotionReading]:
        """One reading per face found in an (height, width, 3) BGR frame; [] for no face.

        Raises `EmotionModelError`.
        """
        ...
