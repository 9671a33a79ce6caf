"""`python -m core.export USERNAME --out FILE.zip`: one person's data, for a data-access request.

Writes the same zip the person downloads from Settings (a CSV per table and README.txt, their
text decrypted), readable only by the operator (mode 0600), and audit-logs it as an operator
export. Refuses to overwrite an existing file.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pydantic import ValidationError

from core.bootstrap import bootstrap, load_settings, prepare_database
from core.logging_setup import configure_logging

EXIT_FAILED = 2


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m core.export", description=__doc__)
    parser.add_argument("username", help="the account's user name")
    parser.add_argument("--out", required=True, type=Path, help="the zip file to write")
    args = parser.parse_args(argv)
    out: Path = args.out
    if out.exists():
        print(f"error: {out} exists; choose a new file name", file=sys.stderr)
        return EXIT_FAILED
    try:
        settings = load_settings()
    except ValidationError as exc:
        print(f"error: the settings are not usable: {exc.errors()[0]['msg']}", file=sys.stderr)
        return EXIT_FAILED
    configure_logging(settings.log_level, settings.log_format)
    app = bootstrap(settings)
    try:
        prepare_database(app)
        user = app.auth.user_for_username(args.username)
        if user is None:
            print(f"error: no account is named {args.username!r}", file=sys.stderr)
            return EXIT_FAILED
        data = app.export.archive(user_id=user.id, via="operator")
    finally:
        app.engine.dispose()
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    print(f"wrote {out} ({len(data):,} bytes) for {user.username}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
