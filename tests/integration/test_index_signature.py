"""The index manifest is signed with a server secret: a crafted index never reaches hnswlib
(#6 item 11; hnswlib issue 673 crashes the process on some crafted files)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from core.adapters.hnsw import MANIFEST_NAME, KnowledgeIndex
from core.config import PROJECT_ROOT
from core.knowledge import load_entries
from tests.fakes.embeddings import HashingEmbedder

KEY = b"k" * 32
ENTRIES = load_entries(PROJECT_ROOT / "data" / "knowledge")[:12]


def _open(directory: Path, key: bytes = KEY) -> KnowledgeIndex:
    return KnowledgeIndex.open(directory, ENTRIES, HashingEmbedder(), signing_key=key)


def test_a_signed_index_loads_again(tmp_path: Path) -> None:
    assert _open(tmp_path).build_reason == "no saved index"
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())
    assert len(manifest["signature"]) == 64
    assert _open(tmp_path).build_reason is None  # loaded, not rebuilt


def test_an_index_file_swapped_with_its_manifest_edited_is_rebuilt_unread(tmp_path: Path) -> None:
    _open(tmp_path)
    crafted = tmp_path / "knowledge-crafted.bin"
    crafted.write_bytes(b"\xff" * 4096)  # whatever an attacker wants hnswlib to parse
    manifest_path = tmp_path / MANIFEST_NAME
    manifest = json.loads(manifest_path.read_text())
    manifest["index_file"] = crafted.name
    manifest["index_sha256"] = hashlib.sha256(crafted.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest))  # the old signature no longer matches
    reopened = _open(tmp_path)
    assert reopened.build_reason == "manifest signature mismatch"
    assert reopened.search("I can't sleep", 3)


def test_an_index_signed_with_another_key_is_not_trusted(tmp_path: Path) -> None:
    _open(tmp_path, key=b"a" * 32)
    assert _open(tmp_path, key=KEY).build_reason == "manifest signature mismatch"
