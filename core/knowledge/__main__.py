"""Command line: `python -m core.knowledge build [--force]` and `search "QUERY" [-k N] [--json]`.

Output goes to stdout; logs go to stderr, so `search --json` prints nothing but the JSON list.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from core.adapters import HybridRetriever, SentenceTransformerEmbedder, open_retriever
from core.bootstrap import load_settings
from core.config import Settings
from core.knowledge import KnowledgeBaseError
from core.logging_setup import configure_logging
from core.ports import EmbeddingModelError

EXIT_MALFORMED_KB = 2
EXIT_MODEL = 3


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core.knowledge", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the index (skipped if it is up to date)")
    build.add_argument("--force", action="store_true", help="rebuild even if up to date")
    search = commands.add_parser("search", help="print the entries closest to QUERY")
    search.add_argument("query")
    search.add_argument(
        "-k", type=_positive_int, default=None, help="number of hits (default: settings)"
    )
    search.add_argument("--json", action="store_true", help="print only a JSON list")
    return parser


def _open(settings: Settings, *, force: bool = False) -> HybridRetriever:
    """The app's retriever (HNSW + BM25 + lexicons), without the language model's rewrite, so a
    search from the shell is repeatable."""
    embedder = SentenceTransformerEmbedder(settings.embedding_model_path)
    return open_retriever(settings, embedder, force=force)


def _build(settings: Settings, force: bool) -> int:
    started = time.perf_counter()
    retriever = _open(settings, force=force)
    seconds = time.perf_counter() - started
    index = retriever.index
    action = "built" if index.build_reason else "up to date"
    print(f"{action}: {len(index)} entries in {seconds:.2f} s at {index.directory}")
    return 0


def _search(retriever: HybridRetriever, query: str, k: int, as_json: bool) -> int:
    hits = retriever.search(query, k=k)
    if as_json:
        rows = [
            {"id": h.id, "title": h.title, "topic": h.topic, "score": round(h.score, 4)}
            for h in hits
        ]
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if not hits:
        print("no results")
    for rank, hit in enumerate(hits, start=1):
        print(f"{rank}. {hit.score:.3f}  [{hit.topic}] {hit.title}  ({hit.id})")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    args = _parser().parse_args(argv)
    settings = load_settings()
    configure_logging(settings.log_level, "text")
    try:
        if args.command == "build":
            return _build(settings, args.force)
        k = settings.retrieval_top_k if args.k is None else args.k
        return _search(_open(settings), args.query, k, args.json)
    except KnowledgeBaseError as exc:
        print(f"error: malformed knowledge base: {exc}", file=sys.stderr)
        return EXIT_MALFORMED_KB
    except EmbeddingModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_MODEL


if __name__ == "__main__":
    raise SystemExit(main())
