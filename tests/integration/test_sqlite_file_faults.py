"""SQLite file faults are noticed and said clearly; an app that had data never starts empty
(#6 item 8)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from core.db.engine import DatabaseMissing, DatabaseUnavailable
from tests.conftest import build_app, make_settings
from tests.factories import make_user
from tests.services import service_missing


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def test_a_database_deleted_while_running_stops_writes_with_a_clear_error(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    app = build_app(settings)
    user = make_user(app)
    _remove_database(tmp_path / "test.db")
    with pytest.raises(DatabaseUnavailable, match="gone missing"):
        app.journal.add(user_id=user.id, title="t", body="written into a deleted file")
    assert not (tmp_path / "test.db").exists()


def test_a_restart_never_replaces_a_missing_database_with_an_empty_one(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    app = build_app(settings)
    make_user(app)
    app.engine.dispose()
    _remove_database(tmp_path / "test.db")
    with pytest.raises(DatabaseMissing, match="Restore it from a backup"):
        build_app(settings)
    assert not (tmp_path / "test.db").exists()


def test_the_very_first_start_creates_the_database(tmp_path: Path) -> None:
    app = build_app(make_settings(tmp_path))
    assert (tmp_path / "test.db").exists() and make_user(app).id


def _immutable(path: Path, on: bool) -> bool:
    """chattr +i: read-only even for root (the tests run as root here)."""
    done = subprocess.run(
        ["chattr", "+i" if on else "-i", str(path)], capture_output=True, check=False
    )
    return done.returncode == 0


def test_a_read_only_database_is_refused_at_start_up_not_on_the_first_save(
    tmp_path: Path,
) -> None:
    settings = make_settings(tmp_path)
    build_app(settings).engine.dispose()
    files = list(tmp_path.glob("test.db*"))
    if not all(_immutable(path, True) for path in files):
        for path in files:
            _immutable(path, False)
        service_missing("chattr +i (e2fsprogs, ext4) is needed to make a file read-only for root")
    try:
        with pytest.raises(DatabaseUnavailable, match="read-only"):
            build_app(settings)
    finally:
        for path in files:
            _immutable(path, False)
