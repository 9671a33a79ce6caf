"""Apply and inspect Alembic migrations from code (the run command and the tests use this)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from core.config import PROJECT_ROOT
from core.keyring import KeyRing


def _config() -> Config:
    return Config(str(PROJECT_ROOT / "alembic.ini"))


def upgrade(engine: Engine, revision: str = "head", *, keyring: KeyRing | None = None) -> None:
    """Bring the database schema up to `revision` (default: the newest).

    `keyring` lets migrations that re-encrypt data open each user's key; without it they refuse
    to run over existing encrypted rows.
    """
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        config.attributes["keyring"] = keyring
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str, *, keyring: KeyRing | None = None) -> None:
    """Take the schema back to `revision` ("base" drops every table)."""
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        config.attributes["keyring"] = keyring
        command.downgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision shipped with the code."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def is_up_to_date(engine: Engine) -> bool:
    """True when the database schema matches the code."""
    return current_revision(engine) == head_revision()
