"""`python -m core.db upgrade|current|downgrade REV`: manage the schema of DATABASE_URL."""

from __future__ import annotations

import argparse
import sys

from core.bootstrap import load_settings, master_key_of
from core.db import migrate
from core.db.engine import (
    DatabaseUnavailable,
    engine_from_settings,
    ensure_sqlite_file,
    wait_for_database,
)
from core.keyring import KeyRing
from core.logging_setup import configure_logging


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m core.db", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("upgrade", help="apply every pending migration")
    sub.add_parser("current", help="print the current and newest revision")
    down = sub.add_parser("downgrade", help="go back to a revision ('base' drops everything)")
    down.add_argument("revision")
    args = parser.parse_args(argv)
    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    engine = engine_from_settings(settings)
    try:
        ensure_sqlite_file(settings.database_url, settings.runtime_dir)
        wait_for_database(engine, attempts=settings.db_connect_retries)
    except DatabaseUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    keyring = KeyRing(master_key_of(settings))  # some migrations re-encrypt data
    if args.command == "upgrade":
        migrate.upgrade(engine, keyring=keyring)
        print(f"database at revision {migrate.current_revision(engine)}")
    elif args.command == "current":
        print(f"current {migrate.current_revision(engine)} head {migrate.head_revision()}")
    else:
        migrate.downgrade(engine, args.revision, keyring=keyring)
        print(f"database at revision {migrate.current_revision(engine)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
