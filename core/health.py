"""`python -m core.health ready|live`: probes that tell the truth, for Kubernetes and operators.

`ready`: the database answers a trivial query within a short deadline and its schema is the one
this code expects. A replica that fails it gets no traffic, but is not restarted.
`live`: the process can import core and read its settings (nothing outside the process).

Exit 0 when the check passes (one line on stdout); 1 with a one-line reason on stderr when it
doesn't. `ready` finishes within about `--timeout` seconds (plus Python's start-up) even when the
database is down, firewalled or accepts connections and never answers.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

import sqlalchemy as sa
from pydantic import ValidationError

from core.config import Settings

DEFAULT_READY_TIMEOUT = 3.0  # seconds; the readiness probe's own timeout must be longer
_MAX_REASON = 300  # probe output lands in `kubectl describe pod`; keep it one short line


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of a probe: whether it passed, and one line saying why."""

    ok: bool
    reason: str


def check_live() -> Check:
    """Core imports and the settings load and validate."""
    return _load_settings()[1]


def _load_settings() -> tuple[Settings | None, Check]:
    try:
        from core.bootstrap import load_settings

        settings = load_settings()
    except Exception as exc:  # a probe reports every failure as one line, never a traceback
        return None, Check(False, "settings: " + _settings_reason(exc))
    return settings, Check(True, "live: core imports and the settings load")


def check_ready(settings: Settings, *, timeout: float = DEFAULT_READY_TIMEOUT) -> Check:
    """The database answers `SELECT 1` within `timeout` seconds and its schema is current.

    The check runs in a daemon thread with a hard deadline: a connect that the network drops
    (MySQL's connect timeout is 5 s) or a server that never answers can't hold the probe.
    """
    from core.db.engine import call_within

    try:
        return call_within(
            timeout, lambda: _database_check(settings, timeout), name="readiness-check"
        )
    except TimeoutError:
        return Check(False, f"database: no answer within {timeout:g} s")


def _database_check(settings: Settings, timeout: float) -> Check:
    # Imported here so `live` stays light and a broken migration setup fails only `ready`.
    from core.db import migrate
    from core.db.engine import engine_from_settings

    try:
        # The I/O timeout bounds each read and write on MySQL/TiDB; the thread bounds the rest.
        bounded = settings.model_copy(update={"db_io_timeout_seconds": timeout})
        engine = engine_from_settings(bounded)
    except Exception as exc:
        return Check(False, "database: cannot configure: " + _one_line(exc))
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        current = migrate.current_revision(engine)
        head = migrate.head_revision()
    except Exception as exc:
        return Check(False, "database: unreachable: " + _one_line(exc))
    finally:
        engine.dispose()
    if current != head:
        return Check(
            False,
            f"database: schema at revision {current or 'none'}, the code needs {head}; "
            "run `python -m core.db upgrade`",
        )
    return Check(True, f"ready: database answers, schema at {head}")


def _one_line(exc: BaseException) -> str:
    """The driver's own message (never parameters: engines hide them), on one short line."""
    inner = getattr(exc, "orig", None) or exc
    text = " ".join(str(inner).split()) or type(inner).__name__
    return f"{type(inner).__name__}: {text}"[:_MAX_REASON]


def _settings_reason(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        # Messages only: the settings hide their input, and so does this line.
        messages = [" ".join(str(error.get("msg", "")).split()) for error in exc.errors()]
        return "; ".join(message for message in messages if message)[:_MAX_REASON]
    return _one_line(exc)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code (0 passes, 1 fails)."""
    parser = argparse.ArgumentParser(prog="python -m core.health", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    ready = sub.add_parser("ready", help="the database answers and its schema is current")
    ready.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_READY_TIMEOUT,
        help=f"seconds to wait for the database (default {DEFAULT_READY_TIMEOUT:g})",
    )
    sub.add_parser("live", help="core imports and the settings load")
    args = parser.parse_args(argv)
    settings, check = _load_settings()
    if settings is not None and args.command == "ready":
        check = check_ready(settings, timeout=max(0.1, args.timeout))
    stream = sys.stdout if check.ok else sys.stderr
    stream.write(check.reason + "\n")
    stream.flush()
    return 0 if check.ok else 1


if __name__ == "__main__":
    sys.exit(main())
