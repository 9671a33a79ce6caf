"""`python -m core.demo seed`: create (or refresh) the demo account; never in production.

The last line printed is `demo-login: USER PASSWORD`.
"""

from __future__ import annotations

import argparse
import sys

from pydantic import ValidationError

from core.bootstrap import bootstrap, load_settings, prepare_database
from core.demo import DEMO_PASSWORD, DemoRefused, seed
from core.logging_setup import configure_logging

EXIT_REFUSED = 2


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m core.demo", description=__doc__)
    parser.add_argument("command", choices=["seed"])
    parser.parse_args(argv)
    try:
        settings = load_settings()
    except ValidationError as exc:  # e.g. production without its keys: refused either way
        print(f"error: the settings are not usable: {exc.errors()[0]['msg']}", file=sys.stderr)
        return EXIT_REFUSED
    if settings.app_env == "production":
        print("error: the demo account is never created in production", file=sys.stderr)
        return EXIT_REFUSED
    configure_logging(settings.log_level, settings.log_format)
    app = bootstrap(settings)
    prepare_database(app)
    try:
        user = seed(app)
    except DemoRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        app.engine.dispose()
    print(f"demo-login: {user.username} {DEMO_PASSWORD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
