"""The data export: every user-owned table, decrypted for its owner, secrets left out, every
column documented, audit-logged; the operator's command; and the mood round trip."""

from __future__ import annotations

import csv
import io
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.bootstrap import App
from core.db.models import USER_OWNED_TABLES, AuditEvent, MoodEntry, MoodTag
from core.demo import DEMO_USERNAME, seed
from core.demo.content import JOURNAL
from core.errors import InvalidInput
from core.export import README_NAME, SKIPPED_TABLES, exported_tables, file_docs
from core.export.docs import undocumented
from core.profile import Preferences
from tests.conftest import build_app, make_settings, raw_rows
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]


def _open(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def _rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    text = archive.read(name).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_zip_has_a_csv_for_every_user_owned_table_but_the_keys(any_app: App) -> None:
    user = seed(any_app)
    archive = _open(any_app.export.archive(user_id=user.id))
    expected = {
        f"{model.__tablename__}.csv"  # type: ignore[attr-defined]
        for model, _ in USER_OWNED_TABLES
        if model.__tablename__ not in SKIPPED_TABLES  # type: ignore[attr-defined]
    }
    assert set(archive.namelist()) == expected | {README_NAME}
    for name in expected:  # a header row in each, even when empty, naming the owner or the row
        header = archive.read(name).decode("utf-8").splitlines()[0].split(",")
        assert {"id", "user_id"} & set(header), (name, header)


def test_text_is_decrypted_for_its_owner_and_times_carry_the_offset(any_app: App) -> None:
    user = seed(any_app)
    any_app.profile.update(
        user_id=user.id, preferences=Preferences("Alex", "GB", "Europe/London", "en")
    )
    any_app.screening.take(user_id=user.id, instrument="GAD-7", answers=[1, 2, 3, 0, 1, 2, 3])
    archive = _open(any_app.export.archive(user_id=user.id))
    journal = _rows(archive, "journal_entries.csv")
    assert {spec.title for spec in JOURNAL} <= {row["title"] for row in journal}
    assert {"free", "gratitude", "thought_record"} <= {row["kind"] for row in journal}
    assert not any("\x1e" in row["body"] for row in journal)  # the kind line is unpacked
    assert all(-1.0 <= float(row["sentiment"]) <= 1.0 for row in journal)
    assert all(row["created_at"][-6:] in {"+00:00", "+01:00"} for row in journal)
    screenings = _rows(archive, "screening_results.csv")
    assert "[1, 2, 3, 0, 1, 2, 3]" in {row["answers"] for row in screenings}
    messages = _rows(archive, "messages.csv")
    assert messages and all("content_ct" not in row for row in messages)
    assert any("switch off" in row["content"] for row in messages)
    levels = {row["level"] for row in _rows(archive, "safety_events.csv")}
    assert levels == {"none"}


def test_secrets_are_left_out(app: App) -> None:
    user = seed(app)
    data = app.export.archive(user_id=user.id)
    archive = _open(data)
    every_text = "".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    [(password_hash,)] = [
        (row[0],) for row in _select(app, "SELECT password_hash FROM users WHERE id = :u", user.id)
    ]
    [(wrapped,)] = list(
        _select(app, "SELECT wrapped_key FROM user_keys WHERE user_id = :u", user.id)
    )
    assert password_hash not in every_text and "password_hash" not in every_text.split("README")[0]
    assert wrapped.hex() not in every_text and bytes(wrapped) not in data
    session_ids = [
        row[0] for row in _select(app, "SELECT id FROM login_sessions WHERE user_id = :u", user.id)
    ]
    assert not [sid for sid in session_ids if sid in every_text]
    assert "users.csv" in archive.namelist() and "user_keys.csv" not in archive.namelist()


def _select(app: App, query: str, user_id: str) -> list[tuple[object, ...]]:
    with app.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(query), {"u": user_id})]


def test_a_formula_in_a_title_is_neutralised(app: App) -> None:
    user = make_user(app)
    app.journal.add(user_id=user.id, title='=HYPERLINK("http://x.example","hi")', body="@cmd")
    [row] = _rows(_open(app.export.archive(user_id=user.id)), "journal_entries.csv")
    assert row["title"].startswith("'=") and row["body"] == "'@cmd"


def test_search_vectors_are_left_out_and_the_readme_says_why(app: App) -> None:
    user = make_user(app)
    app.journal.add(user_id=user.id, title="Lake", body="A walk")
    app.journal_search.search(user_id=user.id, query="walk")  # stores the entry's vector
    with app.engine.connect() as connection:
        [(vector,)] = connection.execute(sa.text("SELECT embedding_ct FROM journal_entries"))
    assert vector and b"hashing" not in vector  # stored, and encrypted
    archive = _open(app.export.archive(user_id=user.id))
    [row] = _rows(archive, "journal_entries.csv")
    assert not {"embedding", "embedding_ct"} & set(row) and row["title"] == "Lake"
    assert "search vector" in archive.read(README_NAME).decode("utf-8")


def test_the_readme_documents_every_column_of_every_file(app: App) -> None:
    docs = file_docs()
    assert undocumented(docs) == []
    user = make_user(app)
    archive = _open(app.export.archive(user_id=user.id))
    readme = archive.read(README_NAME).decode("utf-8")
    for item in docs:
        header = archive.read(item.file).decode("utf-8").splitlines()[0].split(",")
        assert [name for name, _ in item.columns] == header
        assert item.file in readme
        for name, text in item.columns:
            assert f"  {name}" in readme and text.split("\n")[0] in readme


def test_a_breathing_session_s_measured_pace_is_exported_and_explained(app: App) -> None:
    user = make_user(app)
    app.breathing.record(user_id=user.id, pattern_id="box", phases="4-4-4-4",
                         duration_seconds=120, stress_before=6, stress_after=4,
                         breaths_per_minute=4.2)  # fmt: skip
    archive = _open(app.export.archive(user_id=user.id))
    [row] = _rows(archive, "breathing_sessions.csv")
    assert float(row["breaths_per_minute"]) == 4.2
    readme = archive.read(README_NAME).decode("utf-8")
    assert "as the microphone measured it" in readme


def test_every_export_is_audit_logged_and_one_table_can_be_downloaded(app: App) -> None:
    user = make_user(app)
    app.export.archive(user_id=user.id)
    data = app.export.table_csv(user_id=user.id, table="screening_results")
    assert data.decode("utf-8").startswith("id,user_id,instrument,answers")
    with pytest.raises(InvalidInput):
        app.export.table_csv(user_id=user.id, table="user_keys")
    with app.engine.connect() as connection:
        rows = connection.execute(
            sa.select(AuditEvent.event, AuditEvent.detail).where(AuditEvent.user_id == user.id)  # type: ignore[arg-type]
        ).all()
    assert ("export", "all via app") in rows and ("export", "screening_results via app") in rows


def test_another_persons_export_holds_none_of_the_first_persons_data(app: App) -> None:
    alice = seed(app)
    bob = make_user(app)
    archive = _open(app.export.archive(user_id=bob.id))
    every_text = "".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    assert alice.id not in every_text
    assert not [spec.title for spec in JOURNAL if spec.title in every_text]


def test_export_then_import_gives_the_same_mood_history(app: App) -> None:
    alice = seed(app)
    bob = make_user(app)
    data = app.export.archive(user_id=alice.id)
    report = app.mood_import.import_file(user_id=bob.id, data=data, timezone="UTC")
    assert report.rejected == () and report.imported > 100
    assert _moods(app, bob.id) == _moods(app, alice.id)
    again = app.mood_import.import_file(user_id=alice.id, data=data, timezone="UTC")
    assert again.imported == 0 and again.duplicates == report.imported


def _moods(app: App, user_id: str) -> list[tuple[object, ...]]:
    with app.store.unit(user_id) as unit:
        names = {tag.id: unit.open(tag, "name_ct") for tag in unit.list(MoodTag)}
        return [
            (
                row.logged_at,
                row.score,
                row.emotions,
                unit.open(row, "note_ct"),
                sorted(names[tag] or "" for tag in row.tags.split(",") if tag),
            )
            for row in unit.list(MoodEntry, time_column="logged_at", newest_first=False)
        ]


def test_the_operator_command_writes_the_same_zip_privately_and_refuses_to_overwrite(
    tmp_path: Path,
) -> None:
    settings = make_settings(tmp_path)
    app = build_app(settings)
    seed(app)
    app.engine.dispose()
    env = {
        **os.environ,
        "APP_ENV": "test",
        "RUNTIME_DIR": str(settings.runtime_dir),
        "DATABASE_URL": settings.database_url,
        "MASTER_KEY": settings.master_key.get_secret_value(),  # type: ignore[union-attr]
        "COOKIE_KEY": settings.cookie_key.get_secret_value(),  # type: ignore[union-attr]
        "LOG_LEVEL": "WARNING",
        "KNOWLEDGE_WARM_UP": "false",
        "OLLAMA_WARM_UP": "false",
    }
    out = tmp_path / "alex.zip"
    command = [sys.executable, "-m", "core.export", DEMO_USERNAME, "--out", str(out)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    archive = _open(out.read_bytes())
    assert {spec.title for spec in JOURNAL} <= {
        r["title"] for r in _rows(archive, "journal_entries.csv")
    }
    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 2 and "exists" in again.stderr
    unknown = [sys.executable, "-m", "core.export", "nobody", "--out", str(tmp_path / "x.zip")]
    missing = subprocess.run(
        unknown, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert missing.returncode == 2 and "no account" in missing.stderr
    audit = raw_rows(build_app(settings), "audit_log")
    assert any("all via operator" in repr(row) for row in audit)


def test_the_exported_tables_follow_user_owned_tables() -> None:
    names = [table.name for table in exported_tables()]
    owned = [m.__tablename__ for m, _ in USER_OWNED_TABLES]  # type: ignore[attr-defined]
    assert names == [name for name in owned if name not in SKIPPED_TABLES]
