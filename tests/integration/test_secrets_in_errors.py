"""Error paths never carry secrets or personal data into messages or logs (#6 item 19)."""

from __future__ import annotations

import logging
import secrets

import pytest
import sqlalchemy as sa
from pydantic import ValidationError

from core.bootstrap import App
from core.config import Settings
from tests.conftest import new_master_key

CANARY = "canary-4417-zebra"


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(
        f"{record.getMessage()} {record.__dict__} {record.exc_text or ''}"
        for record in caplog.records
    )


def test_a_failing_statement_does_not_carry_its_parameters(
    any_app: App, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(sa.exc.DBAPIError) as failed, any_app.engine.connect() as connection:
        connection.execute(sa.text("SELECT :name FROM no_such_table"), {"name": CANARY})
    logging.getLogger("test").exception("unexpected error", exc_info=failed.value)
    assert CANARY not in str(failed.value)
    assert CANARY not in _logged(caplog)


def test_a_settings_error_does_not_print_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("MASTER_KEY", new_master_key())
    monkeypatch.delenv("COOKIE_KEY", raising=False)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", CANARY + secrets.token_hex(8))
    monkeypatch.setenv("OLLAMA_NUM_CTX", "not-a-number-" + CANARY)
    with pytest.raises(ValidationError) as failed:
        Settings()
    assert CANARY not in str(failed.value)
