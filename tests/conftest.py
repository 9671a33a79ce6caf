"""Shared fixtures: settings, an app on SQLite or MySQL, and a throwaway MySQL database."""

from __future__ import annotations

import base64
import os
import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path

import pymysql
import pytest
import sqlalchemy as sa

from core.adapters import Adapters
from core.bootstrap import App, bootstrap, prepare_database
from core.config import Settings
from tests.fakes.adapters import fake_adapters
from tests.services import service_missing

MYSQL_HOST = os.environ.get("MYSQL_TEST_HOST", "127.0.0.1")
MYSQL_PORT = int(os.environ.get("MYSQL_TEST_PORT", "3306"))
MYSQL_USER = os.environ.get("MYSQL_TEST_USER", "root")
MYSQL_PASSWORD = os.environ.get("MYSQL_TEST_PASSWORD", "")


def new_master_key() -> str:
    """A fresh base64 master key."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Settings for a test: its own runtime folder, fast bcrypt, fresh keys."""
    values: dict[str, object] = {
        "app_env": "test",
        "runtime_dir": tmp_path / "var",
        "database_url": f"sqlite:///{tmp_path / 'test.db'}",
        "master_key": new_master_key(),
        "cookie_key": secrets.token_urlsafe(48),
        "bcrypt_rounds": 4,
        "log_format": "text",
        "log_level": "WARNING",
        "ollama_warm_up": False,
        "knowledge_warm_up": False,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def build_app(settings: Settings, adapters: Adapters | None = None) -> App:
    """The app on `settings` with the fake adapter set (or `adapters`), database migrated."""
    app = bootstrap(settings, adapters or fake_adapters(settings))
    prepare_database(app)
    return app


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Test settings on a fresh SQLite file."""
    return make_settings(tmp_path)


@pytest.fixture
def app(settings: Settings) -> Iterator[App]:
    """A fully built app (migrations applied) on SQLite."""
    built = build_app(settings)
    yield built
    built.engine.dispose()


def _mysql_connect() -> pymysql.connections.Connection:  # type: ignore[type-arg]
    return pymysql.connect(
        host=MYSQL_HOST,
        port=MYSQL_PORT,
        user=MYSQL_USER,
        password=MYSQL_PASSWORD,
        connect_timeout=3,
    )


@pytest.fixture
def mysql_url() -> Iterator[str]:
    """A uniquely named, empty MySQL database, dropped afterwards.

    In CI (CI=true) a missing server is a failure; elsewhere the test is skipped with the reason.
    """
    try:
        admin = _mysql_connect()
    except pymysql.err.OperationalError as exc:
        where = f"{MYSQL_HOST}:{MYSQL_PORT}"
        service_missing(f"MySQL/MariaDB not reachable at {where} ({exc.args[-1]})")
    name = f"companion_test_{uuid.uuid4().hex[:12]}"
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    try:
        yield f"mysql+pymysql://{MYSQL_USER}:{MYSQL_PASSWORD}@{MYSQL_HOST}:{MYSQL_PORT}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        admin.close()


@pytest.fixture(params=["sqlite", pytest.param("mysql", marks=pytest.mark.mysql)])
def any_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[App]:
    """The app on SQLite, then on MySQL: tests using it run on both backends."""
    if request.param == "mysql":
        url = request.getfixturevalue("mysql_url")
        built = build_app(make_settings(tmp_path, database_url=url))
    else:
        built = build_app(make_settings(tmp_path))
    yield built
    built.engine.dispose()


def raw_rows(app: App, table: str) -> list[tuple[object, ...]]:
    """Every row of a table as stored, bypassing core (for at-rest checks)."""
    with app.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(f"SELECT * FROM {table}"))]
