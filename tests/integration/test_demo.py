"""The demo account: realistic, idempotent, never in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.bootstrap import App
from core.db.models import USER_OWNED_TABLES, JournalEntry, User
from core.demo import DEMO_PASSWORD, DEMO_USERNAME, DemoRefused, seed
from tests.conftest import build_app, make_settings

ROOT = Path(__file__).resolve().parents[2]


def _owned_counts(app: App, user_id: str) -> dict[str, int]:
    counts = {}
    with app.engine.connect() as connection:
        for table, column in USER_OWNED_TABLES:
            name = table.__tablename__  # type: ignore[attr-defined]
            query = sa.text(f"SELECT COUNT(*) FROM {name} WHERE {column} = :owner")
            counts[name] = connection.execute(query, {"owner": user_id}).scalar_one()
    return counts


def test_the_demo_account_has_history_for_every_feature(app: App) -> None:
    user = seed(app)
    logged_in = app.auth.login(username=DEMO_USERNAME, password=DEMO_PASSWORD)
    assert logged_in.id == user.id and logged_in.display_name == "Alex"
    conversations = app.conversations.recent(user_id=user.id)
    assert len(conversations) >= 3
    assert all(c.title != "New conversation" for c in conversations)
    history = app.conversations.history(user_id=user.id, conversation_id=conversations[0].id)
    assert [turn.role for turn in history][:3] == ["notice", "user", "assistant"]
    assert all(turn.knowledge_ids for turn in history if turn.role == "assistant")
    entries = app.journal.list(user_id=user.id)
    assert len(entries) >= 8
    assert entries[0].created_at > entries[-1].created_at  # spread over weeks, newest first
    with app.store.unit(user.id) as unit:  # each entry's search vector stored, as on save
        assert all(row.embedding_ct for row in unit.list(JournalEntry))


def test_seeding_twice_gives_one_account_with_the_same_history(app: App) -> None:
    first = seed(app)
    counts = _owned_counts(app, first.id)
    second = seed(app)
    assert _owned_counts(app, first.id) == dict.fromkeys(counts, 0)  # the old one is gone
    assert _owned_counts(app, second.id) == counts
    with app.engine.connect() as connection:
        users = connection.execute(sa.select(sa.func.count()).select_from(User)).scalar_one()
    assert users == 1


def test_the_demo_refuses_production(tmp_path: Path) -> None:
    app = build_app(make_settings(tmp_path))
    production = App(**{**app.__dict__, "settings": app.settings.model_copy(
        update={"app_env": "production"})})  # fmt: skip
    with pytest.raises(DemoRefused):
        seed(production)
    assert app.auth.user_for_username(DEMO_USERNAME) is None


def test_the_command_prints_the_login_last(tmp_path: Path) -> None:
    env = {**os.environ, "RUNTIME_DIR": str(tmp_path / "var"), "LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "core.demo", "seed"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == f"demo-login: {DEMO_USERNAME} {DEMO_PASSWORD}"
    refused = subprocess.run(
        [sys.executable, "-m", "core.demo", "seed"],
        cwd=ROOT, env={**env, "APP_ENV": "production"}, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert refused.returncode == 2 and "demo-login" not in refused.stdout


def test_the_demo_insights_relate_mood_to_sleep_and_breathing(app: App) -> None:
    user = seed(app)
    insights = app.insights.for_user(user_id=user.id, timezone="Europe/London")
    keys = {effect.key for effect in insights.effects} | {gap.key for gap in insights.not_enough}
    assert {"sleep", "breathing", "journal"} <= keys
    shown = {effect.key: effect for effect in insights.effects}
    assert "sleep" in shown and shown["sleep"].days_with >= 3 and shown["sleep"].days_without >= 3
    assert "correlation" in shown["sleep"].sentence().lower() or insights.rule


def test_some_demo_breathing_sessions_carry_the_pace_the_microphone_measured(app: App) -> None:
    user = seed(app)
    sessions = app.breathing.recent(user_id=user.id, limit=100)
    measured = [s for s in sessions if s.breaths_per_minute is not None]
    assert len(sessions) == 30 and 5 <= len(measured) < 30
    for session in measured:
        target = session.target_breaths_per_minute
        assert target is not None and abs(session.breaths_per_minute - target) <= 1.5  # type: ignore[operator]
