"""Retrieval quality and speed: topic hit@3 per style and language, and the query path's latency.

Usage (from the repo root):

    .venv/bin/python bench/search_bench.py              # every tests/data/retrieval_*.jsonl set
    .venv/bin/python bench/search_bench.py --misses     # also list the messages that missed

Each set is JSON lines {"text", "topics": [1-2 topic ids], "style", "lang"}; a hit is any of the
top 3 entries having one of the message's topics. Two retrievers are compared over the shipped
knowledge base with the real MiniLM model: the HNSW index alone ("dense", what the app used
before) and the hybrid retriever the app uses now (HNSW + BM25 fused, per-sentence scoring, the
offline language path, a topic cap in the top 3; no language model).

Latency, measured in the same run on the same messages, single-threaded: one embedding of the
message (the baseline), and the hybrid query path from text to hits, embedding included. The
target is a median of at most 2x one embedding.

The HNSW ef benchmark at 100k entries is bench/hnsw_bench.py.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from core.adapters.embeddings import SentenceTransformerEmbedder  # noqa: E402
from core.adapters.hnsw import KnowledgeIndex  # noqa: E402
from core.knowledge.corpus import content_hash, load_entries  # noqa: E402
from core.knowledge.hybrid import HybridRetriever  # noqa: E402
from core.knowledge.language import LanguageRouter  # noqa: E402
from core.knowledge.lexical import LexicalIndex  # noqa: E402
from core.ports import SearchHit  # noqa: E402

DATA_DIR = REPO_ROOT / "tests" / "data"
KNOWLEDGE_DIR = REPO_ROOT / "data" / "knowledge"
K = 3
TARGET_HIT = 0.95
TARGET_STYLE_HIT = 0.9
TARGET_RATIO = 2.0

Search = Callable[[str], list[SearchHit]]
Row = dict[str, object]


def load_set(path: Path) -> list[Row]:
    """The JSON lines of one evaluation set."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def hit(row: Row, hits: Sequence[SearchHit]) -> bool:
    """True when one of the hits is of one of the message's topics."""
    wanted = set(row["topics"])  # type: ignore[call-overload]
    return any(h.topic in wanted for h in hits[:K])


def evaluate(rows: Sequence[Row], search: Search) -> tuple[dict[str, list[bool]], list[str]]:
    """hit@3 outcomes grouped by "all", "style:<s>" and "lang:<l>", and the missed messages."""
    groups: dict[str, list[bool]] = defaultdict(list)
    misses: list[str] = []
    for row in rows:
        hits = search(str(row["text"]))
        ok = hit(row, hits)
        for key in ("all", f"style:{row['style']}", f"lang:{row['lang']}"):
            groups[key].append(ok)
        if not ok:
            got = ", ".join(h.topic for h in hits)
            misses.append(
                f"  [{row['style']}/{row['lang']}] want {row['topics']} got [{got}]: "
                f"{str(row['text'])[:90]}"
            )
    return groups, misses


def _fraction(values: list[bool]) -> str:
    return f"{sum(values):>3}/{len(values):<3} {sum(values) / len(values):.2f}"


def print_table(name: str, results: dict[str, dict[str, list[bool]]]) -> None:
    """One row per group, one column per retriever."""
    labels = list(results)
    print(f"\n{name}")
    print(f"{'group':<16}" + "".join(f"{label:>16}" for label in labels))
    keys = sorted(next(iter(results.values())), key=lambda k: (k != "all", k))
    for key in keys:
        print(f"{key:<16}" + "".join(f"{_fraction(results[label][key]):>16}" for label in labels))


def verdict(groups: dict[str, list[bool]]) -> str:
    """Whether a set meets the issue's targets (overall and per style)."""
    overall = sum(groups["all"]) / len(groups["all"])
    styles = {k: sum(v) / len(v) for k, v in groups.items() if k.startswith("style:")}
    worst = min(styles, key=lambda s: styles[s])
    ok = overall >= TARGET_HIT and styles[worst] >= TARGET_STYLE_HIT
    return (
        f"hit@3 {overall:.3f} (target {TARGET_HIT}), worst style {worst} {styles[worst]:.2f} "
        f"(target {TARGET_STYLE_HIT}): {'MET' if ok else 'NOT MET'}"
    )


def timings(texts: Sequence[str], retriever: HybridRetriever, rounds: int) -> None:
    """Median and p95 of one embedding and of the hybrid query path, interleaved."""
    embedder = retriever.embedder
    embed_ms: list[float] = []
    path_ms: list[float] = []
    for text in texts[:10]:  # warm both paths
        embedder.embed([text])
        retriever.search(text, K)
    for _ in range(rounds):
        for text in texts:
            t0 = time.perf_counter()
            embedder.embed([text])
            t1 = time.perf_counter()
            retriever.search(text, K)
            t2 = time.perf_counter()
            embed_ms.append((t1 - t0) * 1000)
            path_ms.append((t2 - t1) * 1000)
    e50, e95 = np.percentile(embed_ms, [50, 95])
    p50, p95 = np.percentile(path_ms, [50, 95])
    ratio = p50 / e50
    print(f"\nlatency over {len(path_ms)} searches (single-threaded, embedding included):")
    print(f"  one embedding       median {e50:7.2f} ms   p95 {e95:7.2f} ms")
    print(f"  hybrid query path   median {p50:7.2f} ms   p95 {p95:7.2f} ms")
    status = "MET" if ratio <= TARGET_RATIO else "NOT MET"
    print(f"  median ratio {ratio:.2f}x one embedding (target <= {TARGET_RATIO}x): {status}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the messages that missed")
    parser.add_argument("--rounds", type=int, default=2, help="timing rounds over the dev set")
    parser.add_argument("sets", nargs="*", type=Path, help="sets (default tests/data/retrieval_*)")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    entries = load_entries(KNOWLEDGE_DIR)
    embedder = SentenceTransformerEmbedder()
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        dense = KnowledgeIndex.open(Path(tmp), entries, embedder)
    lexical = LexicalIndex.build(dense.entries, content_hash(dense.entries))
    router = LanguageRouter.load(KNOWLEDGE_DIR / "lexicon")
    hybrid = HybridRetriever(dense, lexical, router)
    topics = sorted({e.topic for e in entries})
    print(
        f"model {embedder.name}; {len(entries)} entries in {len(topics)} topics; "
        f"lexicons: {', '.join(router.languages) or 'none'}"
    )
    retrievers: dict[str, Search] = {
        "dense (before)": lambda text: dense.search(text, K),
        "hybrid": lambda text: hybrid.search(text, K),
    }
    paths = args.sets or sorted(DATA_DIR.glob("retrieval_*.jsonl"))
    for path in paths:
        rows = load_set(path)
        results: dict[str, dict[str, list[bool]]] = {}
        missed: list[str] = []
        for label, search in retrievers.items():
            results[label], misses = evaluate(rows, search)
            missed = misses
        print_table(f"{path.name}: {len(rows)} messages, topic hit@{K}", results)
        print(f"hybrid: {verdict(results['hybrid'])}")
        if args.misses and missed:
            print("hybrid misses:")
            print("\n".join(missed))
    dev = load_set(paths[0])
    timings([str(row["text"]) for row in dev], hybrid, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
