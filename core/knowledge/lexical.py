"""Lexical search: BM25 (bm25s) over each entry's title, people-say phrases, tags and body.

The words people type ("can't sleep", "panic", "put down") often say more than the overall
meaning an embedding catches, and the two fail differently, so `core.knowledge.hybrid` fuses
this ranking with the HNSW one.

The index is small (one row per entry) and quick to build, but it is still a build artefact: it
is saved in the index directory beside the HNSW files as `bm25-<sha>/` plus `bm25-manifest.json`
(content hash, tokenizer version, each file's SHA-256 and, with a signing key, an HMAC), written
last, and trusted on load only if everything matches.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import shutil
import unicodedata
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import Stemmer
from numpy.typing import NDArray

from core.knowledge.corpus import KnowledgeEntry
from core.knowledge.files import atomic_write_text, build_lock, fsync_path, sha256_file

log = logging.getLogger(__name__)

# Bump when the tokenizer or the field weighting changes: saved indexes then rebuild.
TOKENIZER_VERSION = 2
MANIFEST_NAME = "bm25-manifest.json"
DIR_PREFIX = "bm25-"

# BM25 parameters: bm25s' defaults (Lucene variant), which suit short documents.
K1 = 1.5
B = 0.75

# The title and the people-say phrases are the densest statement of what an entry is for, so they
# count twice; tags and body once.
_TITLE_WEIGHT = 2
_SAID_WEIGHT = 2

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# English stop words, plus filler that carries no topic ("really", "just", "feel").
_STOPWORDS = frozenset(
    """a about above after again against all am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each few for from further had hadn't has hasn't have haven't
    having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll
    i'm i've if in into is isn't it it's its itself let's me more most mustn't my myself no nor
    not of off on once only or other ought our ours ourselves out over own same shan't she she'd
    she'll she's should shouldn't so some such than that that's the their theirs them themselves
    then there there's these they they'd they'll they're they've this those through to too under
    until up very was wasn't we we'd we'll we're we've were weren't what what's when when's where
    where's which while who who's whom why why's with won't would wouldn't you you'd you'll you're
    you've your yours yourself yourselves just really also get got im ive dont cant its s t
    """.split()
)


@cache
def _stemmer() -> Any:
    return Stemmer.Stemmer("english")


def fold(text: str) -> str:
    """Lower-case, typographic apostrophes made plain, accents kept."""
    return text.casefold().replace("\u2019", "'").replace("\u2018", "'")


def strip_accents(text: str) -> str:
    """`text` without combining marks (é -> e), for matching words typed without accents."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenize(text: str) -> list[str]:
    """Lower-cased English word stems without stop words."""
    words = [w for w in _WORD.findall(strip_accents(fold(text))) if w not in _STOPWORDS]
    stems: list[str] = _stemmer().stemWords(words)
    return stems


def document_text(entry: KnowledgeEntry) -> str:
    """What BM25 reads for an entry: title and people-say phrases (weighted), tags, body."""
    said = " ; ".join(entry.people_say)
    tags = " ".join(tag.replace("-", " ") for tag in entry.tags)
    parts = [entry.title] * _TITLE_WEIGHT + [said] * _SAID_WEIGHT + [tags, entry.body]
    return "\n".join(parts)


@dataclass(frozen=True)
class LexicalIndex:
    """BM25 scores of every entry for a query; row i is entry i (entries sorted by id)."""

    bm25: Any
    ids: tuple[str, ...]
    content_hash: str

    @classmethod
    def build(cls, entries: Sequence[KnowledgeEntry], digest: str) -> LexicalIndex:
        """Index `entries` (in the order given)."""
        model = bm25s.BM25(k1=K1, b=B)
        model.index([tokenize(document_text(e)) for e in entries], show_progress=False)
        return cls(model, tuple(e.id for e in entries), digest)

    def scores(self, query: str) -> NDArray[np.float32]:
        """BM25 score of each entry for `query` (zeros when no query word is in the index)."""
        tokens = tokenize(query)
        if not tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(tokens), dtype=np.float32)


# --- persistence ----------------------------------------------------------------------------------


def open_lexical_index(
    directory: Path,
    entries: Sequence[KnowledgeEntry],
    digest: str,
    *,
    signing_key: bytes | None = None,
) -> LexicalIndex:
    """Load the saved BM25 index if it matches `entries`, else build it (and save it)."""
    with build_lock(directory) as writable:
        loaded, reason = _try_load(directory, entries, digest, signing_key)
        if loaded is not None:
            return loaded
        log.info("building BM25 index", extra={"entries": len(entries), "reason": reason})
        index = LexicalIndex.build(entries, digest)
        if writable:
            try:
                _save(directory, index, signing_key)
            except OSError as exc:
                log.warning("BM25 index built but not saved", extra={"error": str(exc)})
        return index


def _signature(manifest: Mapping[str, Any], key: bytes) -> str:
    unsigned = {name: value for name, value in manifest.items() if name != "signature"}
    canonical = json.dumps(unsigned, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key, canonical, hashlib.sha256).hexdigest()


def _try_load(
    directory: Path,
    entries: Sequence[KnowledgeEntry],
    digest: str,
    signing_key: bytes | None,
) -> tuple[LexicalIndex | None, str]:
    path = directory / MANIFEST_NAME
    if not path.exists():
        return None, "no saved index"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if signing_key is not None and not hmac.compare_digest(
            str(manifest.get("signature", "")), _signature(manifest, signing_key)
        ):
            return None, "manifest signature mismatch"
        folder = directory / str(manifest["folder"])
        files: dict[str, str] = dict(manifest["files"])
        ok = (
            manifest["tokenizer_version"] == TOKENIZER_VERSION
            and manifest["content_hash"] == digest
            and manifest["ids"] == [e.id for e in entries]
            and folder.name == manifest["folder"]
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None, "manifest unreadable"
    if not ok:
        return None, "knowledge content or tokenizer changed"
    try:
        for name, checksum in files.items():
            if Path(name).name != name or sha256_file(folder / name) != checksum:
                return None, "index file checksum mismatch"
        model = bm25s.BM25.load(str(folder), allow_pickle=False, show_progress=False)
    except (OSError, ValueError, KeyError):
        return None, "index file unreadable"
    return LexicalIndex(model, tuple(e.id for e in entries), digest), "loaded"


def _save(directory: Path, index: LexicalIndex, signing_key: bytes | None) -> None:
    tmp = directory / f".bm25tmp-{uuid.uuid4().hex}"
    try:
        index.bm25.save(str(tmp), show_progress=False)
        files = {p.name: sha256_file(p) for p in sorted(tmp.iterdir())}
        for file in tmp.iterdir():
            fsync_path(file)
        combined = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()
        folder = f"{DIR_PREFIX}{combined[:16]}"
        if (directory / folder).exists():
            shutil.rmtree(directory / folder)
        tmp.rename(directory / folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    manifest: dict[str, Any] = {
        "tokenizer_version": TOKENIZER_VERSION,
        "content_hash": index.content_hash,
        "ids": list(index.ids),
        "folder": folder,
        "files": files,
    }
    if signing_key is not None:
        manifest["signature"] = _signature(manifest, signing_key)
    atomic_write_text(directory / MANIFEST_NAME, json.dumps(manifest, indent=2) + "\n")
    fsync_path(directory)
    for stale in directory.glob(f"{DIR_PREFIX}*"):
        if stale.is_dir() and stale.name != folder:
            shutil.rmtree(stale, ignore_errors=True)
