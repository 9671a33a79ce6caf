"""The real adapters, together: one per port in `core.ports`, and the set the app runs on.

`real_adapters(settings)` is the default set `core.bootstrap` wires in; tests pass the fake set
from `tests/fakes` instead. Models and indexes are opened lazily (or warmed in the background by
`core.bootstrap.start_background_work`), so a page that needs none of them starts fast.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import datetime

from core.adapters.deepface import DeepFaceEmotionModel
from core.adapters.embeddings import SentenceTransformerEmbedder
from core.adapters.hnsw import KnowledgeIndex
from core.adapters.ollama import OllamaLLM, ollama_from_settings
from core.adapters.smtp import SmtpMailer
from core.adapters.twilio import TwilioWhatsAppSender
from core.config import Settings, decode_master_key
from core.knowledge.corpus import content_hash, load_entries
from core.knowledge.hybrid import HybridRetriever
from core.knowledge.language import LanguageRouter
from core.knowledge.lexical import open_lexical_index
from core.knowledge.rewrite import QueryRewriter
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
from core.safety.semantic import load_default
from core.timeutil import utcnow

log = logging.getLogger(__name__)

__all__ = [
    "Adapters",
    "DeepFaceEmotionModel",
    "HybridRetriever",
    "KnowledgeIndex",
    "OllamaLLM",
    "SentenceTransformerEmbedder",
    "SmtpMailer",
    "SystemClock",
    "TwilioWhatsAppSender",
    "open_knowledge_index",
    "open_retriever",
    "real_adapters",
    "smtp_mailer",
    "whatsapp_sender",
]


class SystemClock:
    """The `Clock` of the running system: naive UTC from the operating system."""

    def now(self) -> datetime:
        """Now, as naive UTC."""
        return utcnow()


@dataclass(frozen=True)
class Adapters:
    """One implementation of every outside system the app talks to.

    The embedder is shared: the knowledge index and the semantic safety layer read the same
    vectors, so a chat turn embeds the person's message once.
    """

    llm: LLM
    embedder: Lazy[Embedder]
    retriever: Lazy[Retriever]
    risk_scorer: Lazy[RiskScorer | None]
    clock: Clock
    emotion_model: EmotionModel
    sender: MessageSender | None = None  # None: WhatsApp is not configured
    mailer: Mailer | None = None  # None: email is not configured


def open_knowledge_index(
    settings: Settings, embedder: Embedder, *, force: bool = False
) -> KnowledgeIndex:
    """Load (or build) the index of `settings.knowledge_dir` in `settings.index_dir`.

    Raises `KnowledgeBaseError` or `EmbeddingModelError`.
    """
    entries = load_entries(settings.knowledge_dir)
    return KnowledgeIndex.open(
        settings.index_dir, entries, embedder, force=force, signing_key=index_signing_key(settings)
    )


def open_retriever(
    settings: Settings, embedder: Embedder, llm: LLM | None = None, *, force: bool = False
) -> HybridRetriever:
    """The app's retriever: the HNSW index plus BM25 (both saved in `settings.index_dir`), the
    lexicons in `<knowledge_dir>/lexicon`, and, with `llm` and a non-zero
    `retrieval_rewrite_timeout`, the model's rewrite of vague messages.

    Raises `KnowledgeBaseError` or `EmbeddingModelError`.
    """
    dense = open_knowledge_index(settings, embedder, force=force)
    lexical = open_lexical_index(
        settings.index_dir,
        dense.entries,
        content_hash(dense.entries),
        signing_key=index_signing_key(settings),
    )
    router = LanguageRouter.load(settings.knowledge_dir / "lexicon")
    router.warm_up()
    timeout = settings.retrieval_rewrite_timeout
    rewriter = QueryRewriter(llm, timeout=timeout) if llm is not None and timeout > 0 else None
    return HybridRetriever(dense, lexical, router, rewriter=rewriter)


def index_signing_key(settings: Settings) -> bytes:
    """The key that signs the index manifest, derived from the master key (a server secret)."""
    if settings.master_key is None:
        raise RuntimeError("MASTER_KEY is not set (load settings through core.bootstrap)")
    master = decode_master_key(settings.master_key.get_secret_value())
    return hmac.new(master, b"companion/knowledge-index-manifest", hashlib.sha256).digest()


def real_adapters(settings: Settings) -> Adapters:
    """Ollama, MiniLM, the HNSW index, the shipped semantic safety layer and DeepFace."""
    embedder: Lazy[Embedder] = Lazy(
        lambda: SentenceTransformerEmbedder(settings.embedding_model_path), "embedder"
    )
    llm = ollama_from_settings(settings)
    return Adapters(
        llm=llm,
        embedder=embedder,
        retriever=Lazy(lambda: open_retriever(settings, embedder(), llm), "index"),
        risk_scorer=Lazy(lambda: _semantic_layer(embedder()), "safety"),
        clock=SystemClock(),
        # Loads its weights on first use (once per process); says how to install them if absent.
        emotion_model=DeepFaceEmotionModel(settings.emotion_weights_home),
        sender=whatsapp_sender(settings),
        mailer=smtp_mailer(settings),
    )


def whatsapp_sender(settings: Settings) -> TwilioWhatsAppSender | None:
    """The Twilio WhatsApp sender, or None when Twilio is not configured."""
    token = settings.twilio_auth_token
    if not (settings.twilio_account_sid and token and settings.twilio_whatsapp_from):
        return None
    return TwilioWhatsAppSender(
        account_sid=settings.twilio_account_sid,
        auth_token=token.get_secret_value(),
        from_number=settings.twilio_whatsapp_from,
        base_url=settings.twilio_api_base_url,
        timeout=settings.twilio_timeout_seconds,
        status_callback=settings.twilio_status_callback_url,
    )


def smtp_mailer(settings: Settings) -> SmtpMailer | None:
    """The SMTP mailer, or None when no SMTP host is configured."""
    if not (settings.smtp_host and settings.smtp_from):
        return None
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
    return SmtpMailer(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_from,
        username=settings.smtp_username,
        password=password,
        starttls=settings.smtp_starttls,
        ca_file=settings.smtp_ca_file,
        timeout=settings.smtp_timeout_seconds,
    )


def _semantic_layer(embedder: Embedder) -> RiskScorer | None:
    """The embedding safety layer with its model loaded; None means the rules decide alone."""
    scorer = load_default(embedder)
    if scorer is not None and isinstance(embedder, SentenceTransformerEmbedder):
        # Loaded here, in the background warm-up, so the first chat turn doesn't wait for it.
        embedder.warm_up()
    return scorer
