"""An HNSW index (hnswlib, cosine) over the knowledge base, persisted with a manifest.

Layout of the index directory:

- `manifest.json`: format version, model name, dimension, content hash, ids in label order,
  HNSW parameters, the index file's name and SHA-256. Written last: it is the commit point.
- `knowledge-<sha>.bin`: the hnswlib graph. Its name changes with its content, so replacing the
  manifest switches from one complete (index, manifest) pair to the next in one `os.replace`.
- `.build.lock`: `fcntl.flock` lock so two processes never build or swap files at once.

Concurrency inside a process: copy-on-write snapshots rather than a readers-writer lock. hnswlib
is safe for concurrent searches but not for a search overlapping an insert or resize, so a build
never touches a live index: it creates a new `hnswlib.Index`, fills it, sets ef, and only then
publishes it (with its entries) by one reference assignment. A search reads that reference once
and uses that snapshot throughout, so searches never block, never see a half-built graph, and
never pair labels from one build with entries from another. Builders are serialised by a
`threading.Lock` (within the process) and the file lock (across processes).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import threading
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hnswlib
import numpy as np
from numpy.typing import ArrayLike

from core.adapters.embeddings import MAX_INPUT_CHARS
from core.knowledge.corpus import KnowledgeBaseError, KnowledgeEntry, content_hash
from core.knowledge.files import (
    atomic_write_text,
    build_lock,
    fsync_path,
    sha256_file,
)
from core.ports import Embedder, SearchHit, Vector

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
INDEX_PREFIX = "knowledge-"
INDEX_SUFFIX = ".bin"

# M=16 / ef_construction=200: hnswlib's usual settings for a few-hundred-dimensional text
# embedding; bench/hnsw_bench.py measures them on 100k real MiniLM vectors.
HNSW_M = 16
HNSW_EF_CONSTRUCTION = 200
# From bench/hnsw_bench.py (100k MiniLM embeddings of generated sentences, 1k held-out queries,
# k=10, one thread): ef=16 is the smallest ef with recall@10 >= 0.95 (0.963) and p99 <= 2 ms
# (0.11 ms). ef=32 gave 0.993 at p99 0.14 ms, so raise it if a large corpus needs more margin.
BENCH_EF = 16
# Up to this many entries ef is raised to the entry count: the search then keeps every node as a
# candidate and is in effect exact, at a cost of well under a millisecond. The shipped knowledge
# base (~85 entries) is always in this regime; BENCH_EF only matters for a much larger corpus.
EXACT_UP_TO = 1000
RANDOM_SEED = 100

# Rebuild reasons that mean the saved files were damaged (worth a warning), not merely outdated.
_DAMAGE_REASONS = frozenset(
    {
        "manifest unreadable",
        "index file missing",
        "index file checksum mismatch",
        "index file unreadable",
        "index entry count mismatch",
        "manifest signature mismatch",
    }
)


def ef_for(count: int) -> int:
    """The query-time ef for an index of `count` entries (see BENCH_EF and EXACT_UP_TO)."""
    return max(BENCH_EF, count) if count <= EXACT_UP_TO else BENCH_EF


@dataclass(frozen=True, slots=True)
class _Snapshot:
    """An immutable (graph, entries) pair; label i is entries[i]."""

    hnsw: Any
    entries: tuple[KnowledgeEntry, ...]
    by_id: Mapping[str, KnowledgeEntry]
    content_hash: str


class KnowledgeIndex:
    """Semantic search over the knowledge base. Create with `KnowledgeIndex.open`."""

    def __init__(
        self,
        directory: Path,
        embedder: Embedder,
        snapshot: _Snapshot,
        build_reason: str | None,
        signing_key: bytes | None = None,
    ) -> None:
        self._signing_key = signing_key
        self._directory = directory
        self._embedder = embedder
        self._snapshot = snapshot
        self._build_reason = build_reason
        self._write_lock = threading.Lock()

    @classmethod
    def open(
        cls,
        directory: Path,
        entries: Sequence[KnowledgeEntry],
        embedder: Embedder,
        *,
        force: bool = False,
        signing_key: bytes | None = None,
    ) -> KnowledgeIndex:
        """Load the index saved in `directory` if it matches `entries` and `embedder`, else build
        (and save) it. `force` always rebuilds.

        With `signing_key` (a server secret) the manifest is signed when saved, and a manifest
        whose signature doesn't verify is never trusted: hnswlib would read whatever index file
        it names, and a crafted one can crash the process (hnswlib issue 673).
        """
        snapshot, reason = _load_or_build(
            directory, entries, embedder, force=force, signing_key=signing_key
        )
        return cls(directory, embedder, snapshot, reason, signing_key)

    @property
    def embedder(self) -> Embedder:
        """The embedding model behind the index (the safety layer shares it)."""
        return self._embedder

    @property
    def directory(self) -> Path:
        """Where the index files live."""
        return self._directory

    @property
    def build_reason(self) -> str | None:
        """Why the last open/rebuild built the index; None when it was loaded from disk."""
        return self._build_reason

    @property
    def entries(self) -> tuple[KnowledgeEntry, ...]:
        """All entries, sorted by id."""
        return self._snapshot.entries

    @property
    def content_hash(self) -> str:
        """Hash of the entries the current snapshot was built from."""
        return self._snapshot.content_hash

    @property
    def ef(self) -> int:
        """The query-time ef of the current snapshot."""
        return int(self._snapshot.hnsw.ef)

    def __len__(self) -> int:
        return len(self._snapshot.entries)

    def get(self, entry_id: str) -> KnowledgeEntry | None:
        """The entry with this id, or None."""
        return self._snapshot.by_id.get(entry_id)

    def search(self, query: str, k: int = 3, *, embedding: Vector | None = None) -> list[SearchHit]:
        """The `k` entries closest in meaning to `query`, best first.

        Blank queries return []; `k` is clamped to the number of entries; very long queries are
        cut (the model reads at most its max sequence length anyway). With `embedding` (the
        query's vector from this index's embedder) the query is not embedded again.
        """
        text = query.strip()
        if not text or k <= 0:
            return []
        if embedding is None:
            embedding = self._embedder.embed([text[:MAX_INPUT_CHARS]])[0]
        return self.search_vector(embedding, k)

    def search_vector(self, vector: ArrayLike, k: int = 3) -> list[SearchHit]:
        """The `k` entries closest to an embedding vector (any scale; cosine), best first."""
        snapshot = self._snapshot  # read once: the whole search uses one consistent snapshot
        count = min(k, len(snapshot.entries))
        if count <= 0:
            return []
        query = np.asarray(vector, dtype=np.float32).reshape(1, -1)
        if query.shape[1] != int(snapshot.hnsw.dim):
            raise ValueError(
                f"vector has dimension {query.shape[1]}, index has {snapshot.hnsw.dim}"
            )
        if not np.all(np.isfinite(query)):
            raise ValueError("vector contains NaN or infinity")
        if not np.any(query):
            return []
        labels, distances = snapshot.hnsw.knn_query(query, k=count, num_threads=1)
        hits: list[SearchHit] = []
        for label, distance in zip(labels[0], distances[0], strict=True):
            entry = snapshot.entries[int(label)]
            hits.append(
                SearchHit(
                    id=entry.id,
                    title=entry.title,
                    topic=entry.topic,
                    score=1.0 - float(distance),
                    entry=entry,
                )
            )
        return hits

    def rebuild(self, entries: Sequence[KnowledgeEntry] | None = None) -> None:
        """Build a fresh index (from `entries`, default the current ones), save it, and switch
        searches over to it. Searches running meanwhile keep using the old snapshot."""
        self._refresh(entries, force=True)

    def refresh(self, entries: Sequence[KnowledgeEntry]) -> str | None:
        """Switch to `entries`: load from disk if a matching index is saved, otherwise build.
        Returns why it built, or None if it loaded."""
        return self._refresh(entries, force=False)

    def _refresh(self, entries: Sequence[KnowledgeEntry] | None, *, force: bool) -> str | None:
        with self._write_lock:
            source = self._snapshot.entries if entries is None else entries
            snapshot, reason = _load_or_build(
                self._directory, source, self._embedder, force=force, signing_key=self._signing_key
            )
            self._snapshot = snapshot
            self._build_reason = reason
            return reason


# --- load or build --------------------------------------------------------------------------------


def _load_or_build(
    directory: Path,
    entries: Sequence[KnowledgeEntry],
    embedder: Embedder,
    *,
    force: bool,
    signing_key: bytes | None,
) -> tuple[_Snapshot, str | None]:
    ordered = _ordered(entries)
    digest = content_hash(ordered)
    with build_lock(directory) as writable:
        if force:
            reason = "rebuild requested"
        else:
            snapshot, reason = _try_load(directory, ordered, digest, embedder, signing_key)
            if snapshot is not None:
                log.debug(
                    "knowledge index loaded",
                    extra={"directory": str(directory), "entries": len(ordered)},
                )
                return snapshot, None
        level = logging.WARNING if reason in _DAMAGE_REASONS else logging.INFO
        log.log(
            level, "building knowledge index", extra={"entries": len(ordered), "reason": reason}
        )
        snapshot = _build(ordered, digest, embedder)
        if writable:
            try:
                _save(directory, snapshot, embedder, signing_key)
            except OSError as exc:
                log.warning(
                    "knowledge index built but not saved",
                    extra={"directory": str(directory), "error": str(exc)},
                )
        return snapshot, reason


def _ordered(entries: Sequence[KnowledgeEntry]) -> tuple[KnowledgeEntry, ...]:
    if not entries:
        raise KnowledgeBaseError("the knowledge base has no entries")
    ordered = tuple(sorted(entries, key=lambda entry: entry.id))
    for previous, current in zip(ordered, ordered[1:], strict=False):
        if previous.id == current.id:
            raise KnowledgeBaseError(f"duplicate knowledge entry id '{current.id}'")
    return ordered


def _snapshot(hnsw: Any, entries: tuple[KnowledgeEntry, ...], digest: str) -> _Snapshot:
    hnsw.set_ef(ef_for(len(entries)))
    return _Snapshot(
        hnsw=hnsw,
        entries=entries,
        by_id={entry.id: entry for entry in entries},
        content_hash=digest,
    )


def _build(entries: tuple[KnowledgeEntry, ...], digest: str, embedder: Embedder) -> _Snapshot:
    vectors = embedder.embed([entry.text_for_embedding for entry in entries])
    if vectors.shape != (len(entries), embedder.dimension):
        raise ValueError(
            f"embedder returned shape {vectors.shape}, expected ({len(entries)}, "
            f"{embedder.dimension})"
        )
    hnsw = hnswlib.Index(space="cosine", dim=embedder.dimension)
    hnsw.init_index(
        max_elements=len(entries),
        M=HNSW_M,
        ef_construction=HNSW_EF_CONSTRUCTION,
        random_seed=RANDOM_SEED,
    )
    # One thread: insertion order then fixes the graph, so a rebuild is reproducible.
    hnsw.add_items(vectors, np.arange(len(entries)), num_threads=1)
    return _snapshot(hnsw, entries, digest)


def _try_load(
    directory: Path,
    entries: tuple[KnowledgeEntry, ...],
    digest: str,
    embedder: Embedder,
    signing_key: bytes | None,
) -> tuple[_Snapshot | None, str]:
    manifest_path = directory / MANIFEST_NAME
    if not manifest_path.exists():
        return None, "no saved index"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError("not an object")
        if signing_key is not None and not hmac.compare_digest(
            str(manifest.get("signature", "")), _signature(manifest, signing_key)
        ):
            return None, "manifest signature mismatch"
        version = manifest["format_version"]
        model = manifest["model"]
        dimension = manifest["dimension"]
        hnsw_params = manifest["hnsw"]
        saved_hash = manifest["content_hash"]
        ids = manifest["ids"]
        count = manifest["count"]
        index_file = manifest["index_file"]
        checksum = manifest["index_sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return None, "manifest unreadable"
    if version != FORMAT_VERSION:
        return None, f"format version {version} != {FORMAT_VERSION}"
    if model != embedder.name:
        return None, "embedding model changed"
    if dimension != embedder.dimension:
        return None, f"dimension {dimension} != {embedder.dimension}"
    if not isinstance(hnsw_params, dict) or (
        hnsw_params.get("M"),
        hnsw_params.get("ef_construction"),
    ) != (HNSW_M, HNSW_EF_CONSTRUCTION):
        return None, "HNSW parameters changed"
    if saved_hash != digest:
        return None, "knowledge content changed"
    if ids != [entry.id for entry in entries] or count != len(entries):
        return None, "entry list changed"
    if not isinstance(index_file, str) or Path(index_file).name != index_file:
        return None, "manifest unreadable"
    index_path = directory / index_file
    try:
        actual = sha256_file(index_path)
    except OSError:
        return None, "index file missing"
    if actual != checksum:
        return None, "index file checksum mismatch"
    hnsw = hnswlib.Index(space="cosine", dim=embedder.dimension)
    try:
        hnsw.load_index(str(index_path), max_elements=len(entries))
    except (RuntimeError, ValueError, OSError):
        return None, "index file unreadable"
    if hnsw.element_count != len(entries):
        return None, "index entry count mismatch"
    return _snapshot(hnsw, entries, digest), "loaded"


# --- files ----------------------------------------------------------------------------------------


def _signature(manifest: Mapping[str, Any], key: bytes) -> str:
    """HMAC-SHA256 of the manifest (which holds the index file's SHA-256) without its signature."""
    unsigned = {name: value for name, value in manifest.items() if name != "signature"}
    canonical = json.dumps(unsigned, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key, canonical, hashlib.sha256).hexdigest()


def _save(
    directory: Path, snapshot: _Snapshot, embedder: Embedder, signing_key: bytes | None
) -> None:
    tmp_index = directory / f".tmp-{uuid.uuid4().hex}{INDEX_SUFFIX}"
    try:
        snapshot.hnsw.save_index(str(tmp_index))
        fsync_path(tmp_index)
        checksum = sha256_file(tmp_index)
        index_name = f"{INDEX_PREFIX}{checksum[:16]}{INDEX_SUFFIX}"
        os.replace(tmp_index, directory / index_name)
    finally:
        tmp_index.unlink(missing_ok=True)
    manifest = {
        "format_version": FORMAT_VERSION,
        "model": embedder.name,
        "dimension": embedder.dimension,
        "content_hash": snapshot.content_hash,
        "count": len(snapshot.entries),
        "ids": [entry.id for entry in snapshot.entries],
        "hnsw": {
            "space": "cosine",
            "M": HNSW_M,
            "ef_construction": HNSW_EF_CONSTRUCTION,
            "ef": int(snapshot.hnsw.ef),
        },
        "index_file": index_name,
        "index_sha256": checksum,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    if signing_key is not None:
        manifest["signature"] = _signature(manifest, signing_key)
    atomic_write_text(directory / MANIFEST_NAME, json.dumps(manifest, indent=2) + "\n")
    fsync_path(directory)
    # Safe under the build lock: no other process is writing; leftovers come from crashed builds.
    for stale in [*directory.glob(f"{INDEX_PREFIX}*{INDEX_SUFFIX}"), *directory.glob(".tmp-*")]:
        if stale.name != index_name:
            stale.unlink(missing_ok=True)
    log.info("knowledge index saved", extra={"directory": str(directory)})
