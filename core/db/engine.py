"""Engine creation for SQLite (embedded) and MySQL/TiDB, and a transactional session scope."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session
from tenacity import (
    RetryError,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from core.config import Settings

log = logging.getLogger(__name__)


class DatabaseUnavailable(RuntimeError):
    """The database could not be reached; the message is safe to show to a person."""


def create_db_engine(
    url: str,
    *,
    ssl_ca: Path | None = None,
    ssl_verify_identity: bool = True,
    pool_size: int = 5,
    pool_recycle_seconds: int = 1800,
    io_timeout_seconds: float = 15.0,
) -> Engine:
    """Create an engine with the right options for SQLite or MySQL/TiDB.

    MySQL connections get read and write timeouts: PyMySQL has none by default, so a frozen
    server would block a request (or a migration) forever.
    """
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    connect_args: dict[str, Any] = {
        "connect_timeout": 5,
        "read_timeout": io_timeout_seconds,
        "write_timeout": io_timeout_seconds,
        "charset": "utf8mb4",
    }
    if ssl_ca is not None:
        # TiDB Cloud: verify the server certificate against its CA and the host name.
        connect_args.update(
            ssl_ca=str(ssl_ca), ssl_verify_cert=True, ssl_verify_identity=ssl_verify_identity
        )
    return sa.create_engine(
        url,
        hide_parameters=True,  # errors never carry user names, hashes or display names
        pool_pre_ping=True,
        pool_recycle=pool_recycle_seconds,
        pool_size=pool_size,
        max_overflow=pool_size,
        connect_args=connect_args,
    )


def engine_from_settings(settings: Settings) -> Engine:
    """The engine for DATABASE_URL with the configured pool and TLS options."""
    return create_db_engine(
        settings.database_url,
        ssl_ca=settings.db_ssl_ca,
        ssl_verify_identity=settings.db_ssl_verify_identity,
        pool_size=settings.db_pool_size,
        pool_recycle_seconds=settings.db_pool_recycle_seconds,
        io_timeout_seconds=settings.db_io_timeout_seconds,
    )


def _sqlite_engine(url: str) -> Engine:
    database = sa.engine.make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(
        url,
        hide_parameters=True,  # errors never carry user names, hashes or display names
        connect_args={"check_same_thread": False, "timeout": 15},
    )

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets the app, the worker and the webhook read while one of them writes.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    return engine


def wait_for_database(engine: Engine, *, attempts: int = 10, max_wait: float = 5.0) -> None:
    """Retry a trivial query until the database answers; raise DatabaseUnavailable otherwise."""
    try:
        for attempt in Retrying(
            stop=stop_after_attempt(attempts),
            wait=wait_exponential(multiplier=0.2, max=max_wait),
            retry=retry_if_exception_type(sa.exc.OperationalError),
            reraise=False,
        ):
            with attempt, engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
    except RetryError as exc:
        log.error("database unreachable", extra={"attempts": attempts, "backend": engine.name})
        raise DatabaseUnavailable(
            "We can't reach the database right now. Please try again in a few minutes."
        ) from exc


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
