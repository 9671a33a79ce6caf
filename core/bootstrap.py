"""The composition root: settings, engine, one adapter set and the services, built once.

`bootstrap(settings, adapters)` only builds (no connection, no thread, no file written). The side
effects are named steps each entry point calls in order:

    settings = load_settings()                # the one place the environment is read
    configure_logging(settings.log_level, settings.log_format)
    app = bootstrap(settings)                 # real adapters by default; tests pass the fake set
    prepare_database(app)                     # wait for it; migrate (dev) or check (production)
    start_background_work(app)                # warm the LLM, the index and the safety layer

`start_app()` runs all five, for the Streamlit app and the coming worker; the CLIs take the
steps they need.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import SecretStr
from sqlalchemy.engine import Engine

from core.adapters import Adapters, real_adapters
from core.auth import AuthService
from core.breathing import BreathingService
from core.chat import ChatService, ChatSettings, ConversationService
from core.checkin import CheckinService
from core.config import Settings, decode_master_key
from core.crypto import MasterKey
from core.db import migrate
from core.db.engine import (
    check_writable,
    engine_from_settings,
    ensure_sqlite_file,
    wait_for_database,
)
from core.emotion import weights_status
from core.export import ExportService
from core.insights import InsightsService
from core.journal import JournalService
from core.journal_search import JournalSearchService
from core.keyring import KeyRing
from core.lazy import Lazy
from core.logging_setup import configure_logging
from core.mood import MoodService
from core.mood_import import MoodImportService
from core.notifications import NotificationService
from core.passwords import PasswordHasher
from core.ports import LLM, Clock, EmotionModel, Mailer, MessageSender, Retriever, RiskScorer
from core.profile import ProfileService
from core.reminders.outbox import Outbox, OutboxPolicy
from core.reminders.schedules import ReminderService
from core.reminders.triggers import TriggerService
from core.reminders.whatsapp import WhatsAppService
from core.safety import list_regions
from core.screening import ScreeningService
from core.sentiment import SentimentService
from core.sleep import SleepService
from core.store import UserStore

log = logging.getLogger(__name__)

DEV_SECRETS_FILE = "dev-secrets.json"


class SchemaOutOfDate(RuntimeError):
    """The database needs migrations the running code expects."""


@dataclass(frozen=True, slots=True)
class ComponentHealth:
    """One part of the app: whether it works fully, and what a person should know."""

    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class App:
    """Everything a page, worker or CLI needs, built once per process."""

    settings: Settings
    engine: Engine
    keyring: KeyRing
    store: UserStore
    clock: Clock
    auth: AuthService
    profile: ProfileService
    journal: JournalService
    mood: MoodService
    mood_import: MoodImportService
    insights: InsightsService
    journal_search: JournalSearchService
    sentiment: SentimentService
    screening: ScreeningService
    export: ExportService
    sleep: SleepService
    breathing: BreathingService
    conversations: ConversationService
    chat: ChatService
    llm: LLM
    knowledge: Lazy[Retriever]
    risk_scorer: Lazy[RiskScorer | None]
    checkins: CheckinService
    emotion_model: EmotionModel
    reminders: ReminderService
    notifications: NotificationService
    triggers: TriggerService
    whatsapp: WhatsAppService
    outbox: Outbox
    sender: MessageSender | None
    mailer: Mailer | None

    def components(self) -> list[ComponentHealth]:
        """How the lazily started parts stand, in words a person (or a probe) can read."""
        safety = self.risk_scorer.status
        if safety.state == "ready" and self.risk_scorer.if_ready() is None:
            safety_line = ComponentHealth(
                "safety screen", False, "rules only: the semantic layer does not fit the model"
            )
        elif safety.state == "ready":
            safety_line = ComponentHealth("safety screen", True, "rules and semantic layer")
        else:
            detail = f"rules only while the semantic layer is {safety.state}"
            safety_line = ComponentHealth(
                "safety screen", False, detail + (f": {safety.detail}" if safety.detail else "")
            )
        index = self.knowledge.status
        index_line = ComponentHealth(
            "knowledge index",
            index.state == "ready",
            index.state + (f": {index.detail}" if index.detail else ""),
        )
        return [safety_line, index_line]


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment (and secrets.toml), with development keys filled in."""
    return with_dev_secrets(Settings(**overrides))


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


def bootstrap(settings: Settings, adapters: Adapters | None = None) -> App:
    """Build the app from `settings` and one adapter set (the real one by default)."""
    adapters = adapters or real_adapters(settings)
    engine = engine_from_settings(settings)
    keyring = KeyRing(master_key_of(settings))
    store = UserStore(engine=engine, keyring=keyring, clock=adapters.clock)
    regions = frozenset(code for code, _ in list_regions())
    return App(
        settings=settings,
        engine=engine,
        keyring=keyring,
        store=store,
        clock=adapters.clock,
        auth=AuthService(
            engine=engine,
            keyring=keyring,
            hasher=PasswordHasher(settings.bcrypt_rounds),
            lockout_threshold=settings.lockout_threshold,
            lockout_minutes=settings.lockout_minutes,
            idle_minutes=settings.idle_timeout_minutes,
            default_region=settings.default_region,
            clock=adapters.clock,
        ),
        profile=ProfileService(store=store, known_regions=regions),
        journal=JournalService(
            store=store, risk_scorer=adapters.risk_scorer, embedder=adapters.embedder
        ),
        mood=MoodService(store=store, risk_scorer=adapters.risk_scorer),
        mood_import=MoodImportService(
            store=store, risk_scorer=adapters.risk_scorer, embedder=adapters.embedder
        ),
        insights=InsightsService(store=store),
        journal_search=JournalSearchService(store=store, embedder=adapters.embedder),
        sentiment=SentimentService(store=store),
        screening=ScreeningService(store=store),
        export=ExportService(store=store),
        sleep=SleepService(
            store=store, knowledge=adapters.retriever, risk_scorer=adapters.risk_scorer
        ),
        breathing=BreathingService(store=store),
        conversations=ConversationService(store=store),
        chat=ChatService(
            store=store,
            llm=adapters.llm,
            retriever=adapters.retriever,
            embedder=adapters.embedder,
            risk_scorer=adapters.risk_scorer,
            settings=ChatSettings(
                num_ctx=settings.ollama_num_ctx,
                num_predict=settings.ollama_num_predict,
                top_k=settings.retrieval_top_k,
                disclosure_every=timedelta(hours=settings.ai_disclosure_hours),
            ),
        ),
        llm=adapters.llm,
        knowledge=adapters.retriever,
        risk_scorer=adapters.risk_scorer,
        checkins=CheckinService(store=store, risk_scorer=adapters.risk_scorer),
        emotion_model=adapters.emotion_model,
        reminders=ReminderService(store=store),
        notifications=NotificationService(store=store),
        triggers=TriggerService(store=store, engine=engine),
        whatsapp=WhatsAppService(
            store=store,
            engine=engine,
            sender=adapters.sender,
            lookup_key=whatsapp_lookup_key(settings),
            verify_content_sid=settings.twilio_verify_content_sid,
        ),
        outbox=Outbox(engine=engine, clock=adapters.clock, policy=outbox_policy(settings)),
        sender=adapters.sender,
        mailer=adapters.mailer,
    )


def outbox_policy(settings: Settings) -> OutboxPolicy:
    """Lease, grace period and tries of the reminder outbox, from settings."""
    return OutboxPolicy(
        lease=timedelta(seconds=settings.reminder_lease_seconds),
        grace=timedelta(minutes=settings.reminder_grace_minutes),
        max_attempts=settings.reminder_max_attempts,
    )


def whatsapp_lookup_key(settings: Settings) -> bytes:
    """The key hashing WhatsApp numbers and codes, derived from the master key."""
    return hmac.new(
        master_key_of(settings).secret, b"companion/whatsapp-lookup", hashlib.sha256
    ).digest()


def prepare_database(
    app: App, *, auto_migrate: bool | None = None, wait_seconds: float | None = None
) -> None:
    """Wait for the database, then migrate it (outside production) or check it is current.

    `wait_seconds` bounds the wait (a page load); None retries DB_CONNECT_RETRIES times.
    Raises `DatabaseUnavailable` or `SchemaOutOfDate` with a message for the operator.
    """
    ensure_sqlite_file(app.settings.database_url, app.settings.runtime_dir)
    wait_for_database(
        app.engine, attempts=app.settings.db_connect_retries, within_seconds=wait_seconds
    )
    check_writable(app.engine)
    if auto_migrate is None:
        auto_migrate = app.settings.app_env != "production"
    if auto_migrate:
        migrate.upgrade(app.engine, keyring=app.keyring)
    elif not migrate.is_up_to_date(app.engine):
        raise SchemaOutOfDate(
            "The database schema is out of date: run `python -m core.db upgrade`."
        )


def start_background_work(app: App) -> None:
    """Start loading the language model, the index and the safety layer, each as configured."""
    if app.settings.ollama_warm_up:
        app.llm.warm_up()  # a cold model load is slow; start it now, in the background
    if app.settings.knowledge_warm_up:
        app.knowledge.warm_up()
        app.risk_scorer.warm_up()
    if app.settings.emotion_warm_up and weights_status(app.settings.emotion_weights_home).ready:
        # Loading DeepFace takes seconds (more on a busy machine); a live video must not wait.
        threading.Thread(target=_warm_emotion_model, args=(app,), daemon=True).start()


def _warm_emotion_model(app: App) -> None:
    try:
        app.emotion_model.analyse(np.zeros((8, 8, 3), np.uint8))  # loads; finds no face
    except Exception as exc:  # the page says what is wrong when someone opens it
        log.warning("emotion model warm-up failed: %s", type(exc).__name__)


def start_app(
    settings: Settings | None = None,
    adapters: Adapters | None = None,
    *,
    db_wait_seconds: float | None = None,
) -> App:
    """Every step, in order: what the Streamlit app and the worker run at start-up.

    `db_wait_seconds` bounds the wait for the database (the app passes DB_STARTUP_WAIT_SECONDS).
    """
    settings = with_dev_secrets(settings) if settings is not None else load_settings()
    configure_logging(settings.log_level, settings.log_format)
    app = bootstrap(settings, adapters)
    prepare_database(app, wait_seconds=db_wait_seconds)
    start_background_work(app)
    return app
