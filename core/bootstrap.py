"""The composition root: settings, engine, adapters and services, built once per process.

`Home.py` calls `bootstrap()` under `st.cache_resource`; each worker calls it in `main()`; tests
build their own with fakes.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy.engine import Engine

from core.auth import AuthService
from core.chat import ChatService
from core.config import Settings, decode_master_key
from core.crypto import MasterKey
from core.db import migrate
from core.db.engine import engine_from_settings, wait_for_database
from core.journal import JournalService
from core.keyring import KeyRing
from core.knowledge import Retriever, open_default_index
from core.lazy import Lazy
from core.llm import LLM, from_settings
from core.logging_setup import configure_logging
from core.passwords import PasswordHasher
from core.profile import ProfileService
from core.safety import RiskScorer, list_regions
from core.safety.semantic import load_default

log = logging.getLogger(__name__)

DEV_SECRETS_FILE = "dev-secrets.json"


class SchemaOutOfDate(RuntimeError):
    """The database needs migrations the running code expects."""


@dataclass(frozen=True)
class App:
    """Everything a page or worker needs, built once."""

    settings: Settings
    engine: Engine
    keyring: KeyRing
    auth: AuthService
    profile: ProfileService
    journal: JournalService
    chat: ChatService
    llm: LLM
    knowledge: Lazy[Retriever]
    risk_scorer: Lazy[RiskScorer | None]


def with_dev_secrets(settings: Settings) -> Settings:
    """Outside production, fill missing keys from (or into) a private file in the runtime folder.

    So the first `make run` just works; production refuses to start without real keys instead
    (see Settings).
    """
    if settings.app_env == "production" or (settings.master_key and settings.cookie_key):
        return settings
    path = settings.runtime_dir / DEV_SECRETS_FILE
    stored = _load_or_create_dev_secrets(path)
    return settings.model_copy(
        update={
            "master_key": settings.master_key or SecretStr(stored["master_key"]),
            "cookie_key": settings.cookie_key or SecretStr(stored["cookie_key"]),
        }
    )


def _load_or_create_dev_secrets(path: Path) -> dict[str, str]:
    if path.exists():
        data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        return data
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "master_key": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "cookie_key": secrets.token_urlsafe(48),
    }
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    log.warning("generated development keys", extra={"path": str(path)})
    return data


def master_key_of(settings: Settings) -> MasterKey:
    """The configured master key (settings must have been through with_dev_secrets)."""
    if settings.master_key is None:
        raise RuntimeError("MASTER_KEY is not set")
    return MasterKey(decode_master_key(settings.master_key.get_secret_value()))


def bootstrap(
    settings: Settings | None = None,
    *,
    auto_migrate: bool | None = None,
    llm: LLM | None = None,
    retriever: Retriever | None = None,
    risk_scorer: RiskScorer | None = None,
) -> App:
    """Build the app. Development applies migrations itself; production expects them applied.

    Tests may pass their own `llm`, `retriever` and `risk_scorer`; by default they are the Ollama
    adapter, the HNSW index and the embedding safety layer over the index's model (both opened
    on first use or warmed in the background, so pages without chat start fast).
    """
    settings = with_dev_secrets(settings or Settings())
    configure_logging(settings.log_level, settings.log_format)
    engine = engine_from_settings(settings)
    wait_for_database(engine, attempts=settings.db_connect_retries)
    if auto_migrate is None:
        auto_migrate = settings.app_env != "production"
    if auto_migrate:
        migrate.upgrade(engine)
    elif not migrate.is_up_to_date(engine):
        raise SchemaOutOfDate(
            "The database schema is out of date: run `python -m core.db upgrade`."
        )
    keyring = KeyRing(master_key_of(settings))
    auth = AuthService(
        engine=engine,
        keyring=keyring,
        hasher=PasswordHasher(settings.bcrypt_rounds),
        lockout_threshold=settings.lockout_threshold,
        lockout_minutes=settings.lockout_minutes,
        idle_minutes=settings.idle_timeout_minutes,
        default_region=settings.default_region,
    )
    regions = frozenset(code for code, _ in list_regions())
    if llm is None:
        ollama = from_settings(settings)
        if settings.ollama_warm_up:
            ollama.warm_up()  # a cold model load is slow; start it now, in the background
        llm = ollama
    knowledge: Lazy[Retriever] = Lazy(lambda: retriever or open_default_index(settings), "index")
    semantic: Lazy[RiskScorer | None] = Lazy(
        lambda: risk_scorer or _semantic_layer(knowledge()), "safety"
    )
    if settings.knowledge_warm_up and retriever is None:
        knowledge.warm_up()
        semantic.warm_up()
    chat = ChatService(
        engine=engine,
        keyring=keyring,
        retriever=knowledge,
        llm=llm,
        risk_scorer=semantic,
        num_ctx=settings.ollama_num_ctx,
        num_predict=settings.ollama_num_predict,
        top_k=settings.retrieval_top_k,
        disclosure_every=timedelta(hours=settings.ai_disclosure_hours),
    )
    return App(
        settings=settings,
        engine=engine,
        keyring=keyring,
        auth=auth,
        profile=ProfileService(engine=engine, known_regions=regions),
        journal=JournalService(engine=engine, keyring=keyring),
        chat=chat,
        llm=llm,
        knowledge=knowledge,
        risk_scorer=semantic,
    )


def _semantic_layer(retriever: Retriever) -> RiskScorer | None:
    """The embedding-based safety layer over the index's model; None means rules only."""
    embedder = getattr(retriever, "embedder", None)
    return None if embedder is None else load_default(embedder)
