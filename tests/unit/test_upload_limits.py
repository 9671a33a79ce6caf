"""Upload limits: the server takes the largest file any page needs, and no more."""

from __future__ import annotations

import tomllib
from pathlib import Path

from core.mood_import import MAX_FILE_BYTES
from core.sleep.importers import MAX_IMPORT_BYTES
from ui.uploads import size_label

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024


def test_the_server_limit_is_the_sleep_import_s_and_the_mood_import_keeps_its_own() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server_mb = config["server"]["maxUploadSize"]
    assert server_mb * MB == MAX_IMPORT_BYTES  # a 1 GB Apple Health export, not a byte more
    assert MAX_FILE_BYTES < server_mb * MB


def test_sizes_read_as_people_say_them() -> None:
    assert size_label(2 * 1024 * MB) == "2.0 GB"
    assert size_label(1024 * MB) == "1.0 GB"
    assert size_label(300 * MB) == "300 MB"
    assert size_label(5 * MB) == "5 MB"
    assert size_label(300) == "1 KB"
