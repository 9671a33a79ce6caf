"""The fake adapter set: what `core.bootstrap` wires in for tests.

- LLM: the real Ollama adapter, pointed at a loopback `FakeOllama` (or at a closed loopback
  port, which is "Ollama is down": offline answers).
- Embedder and retriever: the real HNSW index over the real knowledge base, with the hashing
  embedder instead of MiniLM, so no model loads unless a test asks for it.
- Risk scorer: none (the rules decide alone), unless a test passes one.
- Clock: the system clock, unless a test passes a `FakeClock`.
- Emotion model: the real DeepFace adapter over the test's own DEEPFACE_HOME (no weights
  unless the test writes some: see tests/emotion_weights.py).
- WhatsApp and email: none, unless a test passes the real adapters pointed at the loopback
  fakes (`tests/fakes/twilio_server.py`, `tests/fakes/smtp_server.py`).
"""

from __future__ import annotations

from core.adapters import Adapters, DeepFaceEmotionModel, SystemClock, open_knowledge_index
from core.adapters.ollama import OllamaLLM
from core.config import Settings
from core.lazy import Lazy
from core.ports import (
    LLM,
    Clock,
    Embedder,
    EmotionModel,
    Mailer,
    MessageSender,
    Retriever,
    RiskScorer,
)
from tests.fakes.embeddings import HashingEmbedder

# Nothing listens here: connecting fails at once, like a stopped Ollama.
CLOSED_LOOPBACK_URL = "http://127.0.0.1:9"


def fake_llm(url: str = CLOSED_LOOPBACK_URL, model: str = "llama3.2:3b") -> OllamaLLM:
    """The real Ollama adapter with short timeouts, talking to a loopback fake at `url`."""
    return OllamaLLM(
        url,
        model,
        connect_timeout=1,
        read_timeout=5,
        first_token_timeout=5,
        keep_alive="5m",
        num_ctx=4096,
        num_predict=256,
    )


def fake_adapters(
    settings: Settings,
    *,
    llm: LLM | None = None,
    embedder: Embedder | None = None,
    retriever: Retriever | None = None,
    risk_scorer: RiskScorer | None = None,
    clock: Clock | None = None,
    emotion_model: EmotionModel | None = None,
    sender: MessageSender | None = None,
    mailer: Mailer | None = None,
) -> Adapters:
    """Every port with a test double; pass any real or special adapter to use it instead."""
    shared: Lazy[Embedder] = Lazy(lambda: embedder or HashingEmbedder(), "embedder")
    return Adapters(
        llm=llm or fake_llm(),
        embedder=shared,
        retriever=Lazy(lambda: retriever or open_knowledge_index(settings, shared()), "index"),
        risk_scorer=Lazy(lambda: risk_scorer, "safety"),
        clock=clock or SystemClock(),
        # The real DeepFace adapter: without weights in the test's runtime folder it says so,
        # as a server without them does; tests that need readings install test weights.
        emotion_model=emotion_model or DeepFaceEmotionModel(settings.emotion_weights_home),
        sender=sender,
        mailer=mailer,
    )
