"""Migrations on both backends, master-key rotation, and start-up failures."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from core.bootstrap import App, bootstrap, master_key_of, prepare_database
from core.crypto import MasterKey
from core.db import migrate
from core.db.engine import DatabaseUnavailable, session_scope
from core.keyring import KeyMismatchError, rotate_master_key
from tests.conftest import build_app, make_settings, new_master_key
from tests.factories import make_user


def test_migrations_build_exactly_the_models_schema(any_app: App) -> None:
    assert migrate.is_up_to_date(any_app.engine)
    with any_app.engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diffs == []


def test_migrations_go_down_to_empty_and_up_again(any_app: App) -> None:
    migrate.downgrade(any_app.engine, "base")
    assert migrate.current_revision(any_app.engine) is None
    migrate.upgrade(any_app.engine)
    assert migrate.is_up_to_date(any_app.engine)


def test_rotating_the_master_key_keeps_data_readable_with_the_new_key(
    any_app: App, tmp_path: Path
) -> None:
    alice = make_user(any_app, "alice")
    entry_id = any_app.journal.add(user_id=alice.id, title="t", body="still here").id
    old = master_key_of(any_app.settings)
    new_value = new_master_key()
    with session_scope(any_app.engine) as session:
        assert rotate_master_key(session=session, old=old, new=MasterKey(_raw(new_value))) == 1
    with session_scope(any_app.engine) as session:  # a rerun has nothing left to do
        assert rotate_master_key(session=session, old=old, new=MasterKey(_raw(new_value))) == 0
    rotated = build_app(
        make_settings(tmp_path, database_url=any_app.settings.database_url, master_key=new_value)
    )
    assert rotated.journal.get(user_id=alice.id, entry_id=entry_id).body == "still here"
    with pytest.raises(KeyMismatchError):  # the old key no longer opens anything
        any_app.journal.get(user_id=alice.id, entry_id=entry_id)
    rotated.engine.dispose()


def _raw(value: str) -> bytes:
    from core.config import decode_master_key

    return decode_master_key(value)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_database_gives_a_kind_error(tmp_path: Path) -> None:
    url = f"mysql+pymysql://root@127.0.0.1:{_closed_port()}/nothing"
    with pytest.raises(DatabaseUnavailable, match="can't reach the database"):
        build_app(make_settings(tmp_path, database_url=url, db_connect_retries=2))


def test_a_database_left_behind_by_newer_code_is_refused_in_production(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    first = build_app(settings)
    migrate.downgrade(first.engine, "base")
    first.engine.dispose()
    from core.bootstrap import SchemaOutOfDate

    with pytest.raises(SchemaOutOfDate, match="python -m core.db upgrade"):
        prepare_database(bootstrap(settings), auto_migrate=False)


def test_a_mysql_server_that_accepts_and_never_answers_times_out(tmp_path: Path) -> None:
    # Before read timeouts were set, this waited for as long as the socket stayed open.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        settings = make_settings(
            tmp_path,
            database_url=f"mysql+pymysql://root@127.0.0.1:{port}/nothing",
            db_connect_retries=1,
            db_io_timeout_seconds=1,
        )
        app = bootstrap(settings)
        started = time.monotonic()
        with pytest.raises(DatabaseUnavailable):
            prepare_database(app)
        assert time.monotonic() - started < 10
