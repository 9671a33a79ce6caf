"""Engine creation for SQLite (embedded) and MySQL/TiDB, and a transactional session scope."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session
from tenacity import (
    RetryError,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_before_delay,
    wait_exponential,
)
from tenacity.stop import stop_base

from core.config import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")


class DatabaseUnavailable(RuntimeError):
    """The database could not be reached; the message is safe to show to a person."""


class DatabaseMissing(DatabaseUnavailable):
    """The SQLite file this app created before is gone; it is not silently recreated."""


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
    path = Path(database).resolve() if database and database != ":memory:" else None
    options: dict[str, Any] = {}
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # mode=rw: a missing file is an error, never silently a new empty database
        # (`ensure_sqlite_file` creates it once, on the very first start).
        uri = f"file:{quote(str(path))}?mode=rw"
        options["creator"] = lambda: sqlite3.connect(
            uri, uri=True, check_same_thread=False, timeout=15
        )
    engine = sa.create_engine(
        url,
        hide_parameters=True,  # errors never carry user names, hashes or display names
        connect_args={"check_same_thread": False, "timeout": 15},
        **options,
    )

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets the app, the worker and the webhook read while one of them writes.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()
        record.info["file_identity"] = _identity(path)

    @sa.event.listens_for(engine, "checkout")
    def _same_file(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if path is None:
            return
        now = _identity(path)
        if now is None:  # deleted while running: writes would go to a file no one can see
            log.error("database file missing", extra={"path": str(path)})
            raise DatabaseUnavailable(DATABASE_FILE_GONE)
        if now != record.info.get("file_identity"):  # replaced (e.g. restored): reconnect
            raise sa.exc.DisconnectionError("the database file was replaced")

    return engine


DATABASE_FILE_GONE = (
    "The app's database file has gone missing, so nothing can be saved right now. "
    "Whoever runs this app needs to restore it."
)


def _identity(path: Path | None) -> tuple[int, int] | None:
    if path is None:
        return None
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return status.st_dev, status.st_ino


def ensure_sqlite_file(database_url: str, runtime_dir: Path) -> None:
    """Create the SQLite file on the very first start, and never silently again.

    A marker in the runtime folder records that this database was created; if the file is
    missing later, `DatabaseMissing` says so instead of starting with an empty database.
    """
    database = sa.engine.make_url(database_url).database
    if not database_url.startswith("sqlite") or not database or database == ":memory:":
        return
    path = Path(database).resolve()
    marker = runtime_dir / f"database-{hashlib.sha256(str(path).encode()).hexdigest()[:12]}.created"
    if not path.exists():
        if marker.exists():
            raise DatabaseMissing(
                f"The database file {path} is missing, but this app created it before. Restore "
                f"it from a backup, or delete {marker} to start again with an empty database."
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        sqlite3.connect(path).close()
        log.warning("created a new database file", extra={"path": str(path)})
    if not marker.exists():
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(f"{path}\n", encoding="utf-8")


def check_writable(engine: Engine) -> None:
    """Take and release a write lock; a read-only SQLite file fails here, not on a later save."""
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        raw.execute("BEGIN IMMEDIATE")
        # A lock alone can succeed on a read-only file; rewriting the header can't.
        version = raw.execute("PRAGMA user_version").fetchone()[0]
        raw.execute(f"PRAGMA user_version = {int(version)}")
        raw.rollback()
    except sqlite3.OperationalError as exc:
        log.error("database not writable", extra={"error": str(exc)})
        raise DatabaseUnavailable(
            "The app's database is read-only, so nothing could be saved. Whoever runs this app "
            "needs to make the database file and its folder writable."
        ) from exc
    finally:
        raw.close()


def wait_for_database(
    engine: Engine,
    *,
    attempts: int = 10,
    max_wait: float = 5.0,
    within_seconds: float | None = None,
) -> None:
    """Retry a trivial query until the database answers; raise DatabaseUnavailable otherwise.

    `within_seconds` bounds the whole wait, each attempt included: without it, a server that
    accepts and never answers holds every attempt for the I/O timeout.
    """
    stop: stop_base = stop_after_attempt(attempts)
    deadline = None
    if within_seconds is not None:
        stop = stop | stop_before_delay(within_seconds)
        deadline = time.monotonic() + within_seconds
    try:
        for attempt in Retrying(
            stop=stop,
            wait=wait_exponential(multiplier=0.2, max=max_wait),
            retry=retry_if_exception_type((sa.exc.OperationalError, TimeoutError)),
            reraise=False,
        ):
            with attempt:
                _select_one(engine, deadline)
    except RetryError as exc:
        log.error("database unreachable", extra={"attempts": attempts, "backend": engine.name})
        raise DatabaseUnavailable(
            "We can't reach the database right now. Please try again in a few minutes."
        ) from exc


def _select_one(engine: Engine, deadline: float | None) -> None:
    """`SELECT 1`, abandoned (TimeoutError) when `deadline` passes."""

    def select_one() -> None:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))

    if deadline is None:
        select_one()
    else:
        call_within(max(0.0, deadline - time.monotonic()), select_one, name="wait-for-database")


def call_within(seconds: float, work: Callable[[], T], *, name: str) -> T:
    """`work()`'s result, or TimeoutError after `seconds`; its exceptions pass through.

    It runs in a daemon thread that is abandoned, not joined, when time is up: a connect the
    network drops or a server that never answers can't hold the caller (nor the process's exit).
    """
    outcome: list[T] = []
    failure: list[BaseException] = []
    done = threading.Event()

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:  # handed to the caller's thread below
            failure.append(exc)
        finally:
            done.set()

    threading.Thread(target=run, name=name, daemon=True).start()
    if not done.wait(seconds):
        raise TimeoutError(f"{name}: no answer within {seconds:g} s")
    if failure:
        raise failure[0]
    return outcome[0]


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
