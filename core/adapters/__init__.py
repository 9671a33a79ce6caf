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

from core.adapters.embeddings import SentenceTransformerEmbedder
from core.adapters.hnsw import KnowledgeIndex
from core.adapters.ollama import OllamaLLM, ollama_from_settings
from core.adapters.smtp import SmtpMailer
from core.adapters.twilio import TwilioWhatsAppSender
from core.config import Settings, decode_master_key
from core.knowledge.corpus import load_entries
from core.lazy import Lazy
from core.ports import LLM, Clock, Embedder, Mailer, MessageSender, Retriever, RiskScorer
from core.safety.semantic import load_default
from core.timeutil import utcnow

log = logging.getLogger(__name__)

__all__ = [
    "Adapters",
    "KnowledgeIndex",
    "OllamaLLM",
    "SentenceTransformerEmbedder",
    "SmtpMailer",
    "SystemClock",
    "TwilioWhatsAppSender",
    "open_knowledge_index",
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


def index_signing_key(settings: Settings) -> bytes:
    """The key that signs the index manifest, derived from the master key (a server secret)."""
    if settings.master_key is None:
        raise RuntimeError("MASTER_KEY is not set (load settings through core.bootstrap)")
    master = decode_master_key(settings.master_key.get_secret_value())
    return hmac.new(master, b"companion/knowledge-index-manifest", hashlib.sha256).digest()


def real_adapters(settings: Settings) -> Adapters:
    """Ollama, MiniLM, the HNSW index and the shipped semantic safety layer, per `settings`."""
    embedder: Lazy[Embedder] = Lazy(
        lambda: SentenceTransformerEmbedder(settings.embedding_model_path), "embedder"
    )
    return Adapters(
        llm=ollama_from_settings(settings),
        embedder=embedder,
        retriever=Lazy(lambda: open_knowledge_index(settings, embedder()), "index"),
        risk_scorer=Lazy(lambda: _semantic_layer(embedder()), "safety"),
        clock=SystemClock(),
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
