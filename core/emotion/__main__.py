"""Command line: `python -m core.emotion install-weights` and `python -m core.emotion status`.

`install-weights` is the one step that reaches the internet, and only when an administrator
runs it: it fetches DeepFace's facial-expression weights into DEEPFACE_HOME (the app itself never
downloads a model). `status` says whether they are there.
"""

from __future__ import annotations

import argparse
import os
import sys

from core.bootstrap import load_settings
from core.emotion import WEIGHTS_FILE, weights_status
from core.logging_setup import configure_logging

EXIT_FAILED = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core.emotion", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("install-weights", help="download the emotion model's weights (internet)")
    commands.add_parser("status", help="say whether the weights are installed")
    return parser


def _install(home: str) -> int:
    # DeepFace reads its home and engine from the environment; set both before importing it.
    os.environ["DEEPFACE_HOME"] = home
    os.environ["DEEPFACE_BACKEND_ENGINE"] = "pytorch"
    try:
        from deepface.commons import weight_utils
        from deepface.models.demography.pytorch.Emotion import WEIGHTS_URL

        path = weight_utils.download_weights_if_necessary(
            file_name=WEIGHTS_FILE, source_url=WEIGHTS_URL
        )
    except Exception as exc:  # no network, a proxy, a full disk: say so in one line
        print(
            f"error: could not download the emotion model's weights ({type(exc).__name__}). "
            "This step needs internet access; copy the file "
            f"'{WEIGHTS_FILE}' into {home}/.deepface/weights/ by hand on an offline machine.",
            file=sys.stderr,
        )
        return EXIT_FAILED
    print(f"installed: {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    args = _parser().parse_args(argv)
    settings = load_settings()
    configure_logging(settings.log_level, "text")
    home = settings.emotion_weights_home
    if args.command == "status":
        status = weights_status(home)
        print(f"installed: {status.path}" if status.ready else f"missing: {status.path}")
        return 0 if status.ready else 1
    home.mkdir(parents=True, exist_ok=True)
    return _install(str(home))


if __name__ == "__main__":
    raise SystemExit(main())
