"""Logs never hold what people write; the key-rotation command works end to end."""

from __future__ import annotations

import base64
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from core.auth import InvalidCredentials
from tests.conftest import build_app, make_settings, new_master_key
from tests.factories import GOOD_PASSWORD, make_user
from tests.fakes.adapters import fake_adapters, fake_llm
from tests.fakes.ollama_server import FakeOllama

ROOT = Path(__file__).resolve().parents[2]
SECRET = "zebra-umbrella-secret-4417"


def test_logs_never_contain_message_text_or_passwords(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with FakeOllama() as ollama:
        ollama.error_after = 3  # exercise the error paths too
        settings = make_settings(tmp_path)
        app = build_app(settings, fake_adapters(settings, llm=fake_llm(ollama.url)))
        user = make_user(app)
        app.auth.login(username=user.username, password=GOOD_PASSWORD)
        with pytest.raises(InvalidCredentials):
            app.auth.login(username=user.username, password=SECRET)
        app.journal.add(user_id=user.id, title=SECRET, body=SECRET)
        plan = app.chat.prepare(
            user_id=user.id, conversation_id=None, text=f"I feel {SECRET}", region="US"
        )
        "".join(app.chat.reply(plan, user_id=user.id))
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert caplog.records, "expected some log lines"
    assert SECRET not in logged and GOOD_PASSWORD not in logged


def test_the_rotate_command_rewraps_keys_and_the_new_key_reads_the_data(tmp_path: Path) -> None:
    old_key, new_key = new_master_key(), new_master_key()
    db_url = f"sqlite:///{tmp_path / 'rotate.db'}"
    app = build_app(make_settings(tmp_path, database_url=db_url, master_key=old_key))
    user = make_user(app)
    entry = app.journal.add(user_id=user.id, title="t", body="kept safe").id
    app.engine.dispose()
    done = _rotate_cli(tmp_path, db_url, old_key, new_key)
    assert done.returncode == 0, done.stderr
    assert "re-wrapped 1 data keys" in done.stdout
    rotated = build_app(make_settings(tmp_path, database_url=db_url, master_key=new_key))
    assert rotated.journal.get(user_id=user.id, entry_id=entry).body == "kept safe"


def test_generate_prints_usable_keys() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "core.keys", "generate"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    values = dict(line.split("=", 1) for line in done.stdout.split())
    assert len(base64.urlsafe_b64decode(values["MASTER_KEY"])) == 32
    assert len(values["COOKIE_KEY"]) >= 32


def _rotate_cli(
    tmp_path: Path, db_url: str, current: str, new: str
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "RUNTIME_DIR": str(tmp_path / "var"),
        "MASTER_KEY": current,
        "NEW_MASTER_KEY": new,
        "COOKIE_KEY": secrets.token_urlsafe(48),
    }
    return subprocess.run(
        [sys.executable, "-m", "core.keys", "rotate"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_rotating_to_the_same_key_is_refused_and_ends(tmp_path: Path) -> None:
    key = new_master_key()
    db_url = f"sqlite:///{tmp_path / 'same.db'}"
    app = build_app(make_settings(tmp_path, database_url=db_url, master_key=key))
    user = make_user(app)
    app.engine.dispose()
    done = _rotate_cli(tmp_path, db_url, key, key)  # this looped forever before the fix
    assert done.returncode != 0 and "same key" in done.stderr
    again = build_app(make_settings(tmp_path, database_url=db_url, master_key=key))
    assert again.journal.list(user_id=user.id) == []  # still readable with the key


def test_rotating_with_the_wrong_master_key_is_refused(tmp_path: Path) -> None:
    real, wrong, new = new_master_key(), new_master_key(), new_master_key()
    db_url = f"sqlite:///{tmp_path / 'wrong.db'}"
    app = build_app(make_settings(tmp_path, database_url=db_url, master_key=real))
    user = make_user(app)
    entry = app.journal.add(user_id=user.id, title="t", body="kept").id
    app.engine.dispose()
    done = _rotate_cli(tmp_path, db_url, wrong, new)  # exited 0 before the fix
    assert done.returncode != 0 and "MASTER_KEY" in done.stderr and "now set" not in done.stdout
    still = build_app(make_settings(tmp_path, database_url=db_url, master_key=real))
    assert still.journal.get(user_id=user.id, entry_id=entry).body == "kept"
