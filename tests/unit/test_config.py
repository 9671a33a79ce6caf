"""Settings: defaults, production refusals, and development keys."""

from __future__ import annotations

import base64
import secrets
import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from core.bootstrap import with_dev_secrets
from core.config import Settings
from tests.conftest import new_master_key


def test_the_default_database_is_sqlite_in_the_runtime_folder(tmp_path: Path) -> None:
    settings = Settings(runtime_dir=tmp_path)
    assert settings.database_url == f"sqlite:///{tmp_path.resolve() / 'companion.db'}"
    assert settings.is_sqlite


def test_a_plain_mysql_url_uses_the_pymysql_driver() -> None:
    assert Settings(database_url="mysql://u:p@db/x").database_url == "mysql+pymysql://u:p@db/x"


def test_settings_come_from_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_MODEL", "qwen2.5:7b")
    monkeypatch.setenv("IDLE_TIMEOUT_MINUTES", "10")
    settings = Settings()
    assert settings.ollama_model == "qwen2.5:7b" and settings.idle_timeout_minutes == 10


@pytest.mark.parametrize("missing", ["MASTER_KEY", "COOKIE_KEY"])
def test_production_refuses_to_start_without_each_key(
    missing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("MASTER_KEY", new_master_key())
    monkeypatch.setenv("COOKIE_KEY", secrets.token_urlsafe(48))
    monkeypatch.delenv(missing)
    with pytest.raises(ValidationError) as excinfo:
        Settings()
    assert missing in str(excinfo.value)


def test_production_refuses_placeholder_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("MASTER_KEY", "changeme")
    monkeypatch.setenv("COOKIE_KEY", secrets.token_urlsafe(48))
    with pytest.raises(ValidationError, match="MASTER_KEY"):
        Settings()


def test_a_short_cookie_key_is_refused() -> None:
    with pytest.raises(ValidationError, match="COOKIE_KEY must be at least 32 bytes"):
        Settings(cookie_key="too-short")


@pytest.mark.parametrize("bad", ["not base64 !!", "c2hvcnQ="])
def test_a_malformed_master_key_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match="MASTER_KEY"):
        Settings(master_key=bad)


def test_secrets_never_print() -> None:
    key = new_master_key()
    assert key not in repr(Settings(master_key=key)) and key not in str(Settings(master_key=key))


def test_development_generates_private_keys_once_and_reuses_them(tmp_path: Path) -> None:
    first = with_dev_secrets(Settings(runtime_dir=tmp_path))
    second = with_dev_secrets(Settings(runtime_dir=tmp_path))
    assert first.master_key is not None and first.cookie_key is not None
    assert second.master_key is not None
    assert first.master_key.get_secret_value() == second.master_key.get_secret_value()
    mode = (tmp_path / "dev-secrets.json").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_production_never_generates_keys(tmp_path: Path) -> None:
    settings = Settings(
        app_env="production",
        runtime_dir=tmp_path,
        master_key=new_master_key(),
        cookie_key=secrets.token_urlsafe(48),
    )
    with_dev_secrets(settings)
    assert not (tmp_path / "dev-secrets.json").exists()


def test_a_context_window_too_small_for_the_answer_is_refused() -> None:
    with pytest.raises(ValidationError, match="OLLAMA_NUM_CTX"):
        Settings(ollama_num_ctx=1024, ollama_num_predict=512)


@pytest.mark.parametrize(
    ("variable", "weak"),
    [
        ("COOKIE_KEY", "a" * 32),
        ("COOKIE_KEY", "changeme" * 4),
        ("COOKIE_KEY", "abcdefghijklmnop" * 3),
        ("MASTER_KEY", base64.urlsafe_b64encode(bytes(32)).decode()),
        ("MASTER_KEY", base64.urlsafe_b64encode(b"0123456789abcdef" * 2).decode()),
    ],
)
def test_production_refuses_secrets_that_are_not_random(
    variable: str, weak: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("MASTER_KEY", new_master_key())
    monkeypatch.setenv("COOKIE_KEY", secrets.token_urlsafe(48))
    monkeypatch.setenv(variable, weak)
    with pytest.raises(ValidationError, match=f"{variable} does not look random"):
        Settings()


def test_production_accepts_generated_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    for _ in range(200):  # no false refusals of real random keys
        monkeypatch.setenv("MASTER_KEY", new_master_key())
        monkeypatch.setenv("COOKIE_KEY", secrets.token_urlsafe(48))
        assert Settings().app_env == "production"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("OLLAMA_FIRST_TOKEN_TIMEOUT", "inf"),
        ("OLLAMA_READ_TIMEOUT", "inf"),
        ("OLLAMA_STALL_TIMEOUT", "nan"),
        ("OLLAMA_CONNECT_TIMEOUT", "1e9"),
        ("LOG_LEVEL", "verbose"),
        ("AI_DISCLOSURE_HOURS", "1e308"),
        ("OLLAMA_NUM_CTX", "100000000"),
        ("OLLAMA_NUM_PREDICT", "5000000"),
        ("IDLE_TIMEOUT_MINUTES", "inf"),
    ],
)
def test_settings_that_would_break_later_are_refused_at_start_up(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError, match=variable.lower()):
        Settings()


def test_the_log_level_is_case_insensitive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", " warning ")
    assert Settings().log_level == "WARNING"
