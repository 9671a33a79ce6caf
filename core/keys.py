"""`python -m core.keys generate|rotate`: make keys, and rotate the master key.

Rotation re-wraps every user's data key under the new master key without touching the encrypted
data: MASTER_KEY holds the current key, NEW_MASTER_KEY the new one. Afterwards set
MASTER_KEY to the new value and restart the app and workers. It is safe to run again if it was
interrupted.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import sys

from core.bootstrap import DEV_SECRETS_FILE, load_settings
from core.config import ConfigError, Settings, decode_master_key
from core.crypto import MasterKey
from core.db.engine import engine_from_settings, session_scope
from core.keyring import RotationRefused, rotate_master_key


def _generate() -> int:
    print(f"MASTER_KEY={base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}")
    print(f"COOKIE_KEY={secrets.token_urlsafe(48)}")
    return 0


def _rotate(settings: Settings, *, update_dev_file: bool) -> int:
    new_value = os.environ.get("NEW_MASTER_KEY", "")
    if not new_value:
        print("error: set NEW_MASTER_KEY (generate one with: python -m core.keys generate)")
        return 2
    assert settings.master_key is not None
    try:
        old = MasterKey(decode_master_key(settings.master_key.get_secret_value()))
        new = MasterKey(decode_master_key(new_value))
    except ConfigError as exc:
        print(f"error: {exc}")
        return 2
    try:
        with session_scope(engine_from_settings(settings)) as session:
            count = rotate_master_key(session=session, old=old, new=new)
    except RotationRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"re-wrapped {count} data keys from {old.key_id} to {new.key_id}")
    dev_file = settings.runtime_dir / DEV_SECRETS_FILE
    if update_dev_file and dev_file.exists():
        stored = json.loads(dev_file.read_text(encoding="utf-8"))
        stored["master_key"] = new_value
        dev_file.write_text(json.dumps(stored), encoding="utf-8")
        print(f"updated {dev_file}")
    else:
        print("now set MASTER_KEY to the new key and restart the app and workers")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m core.keys", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("generate", help="print a new MASTER_KEY and COOKIE_KEY")
    rotate = sub.add_parser("rotate", help="re-wrap data keys from MASTER_KEY to NEW_MASTER_KEY")
    rotate.add_argument(
        "--update-dev-file", action="store_true", help="also store the new key in var/ (dev only)"
    )
    args = parser.parse_args(argv)
    if args.command == "generate":
        return _generate()
    return _rotate(load_settings(), update_dev_file=args.update_dev_file)


if __name__ == "__main__":
    sys.exit(main())
