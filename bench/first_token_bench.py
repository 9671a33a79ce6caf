"""App-side time before the first LLM token, in a warm process.

What is timed per message: safety assessment (rules + the embedding-based layer, as in the app)
+ query embedding + HNSW search + prompt build
(the work the app does before it can send the request to Ollama). Also printed: the full
`ChatService.prepare` (the above plus saving the encrypted message on SQLite), for context.
Target from the issue: median <= 30 ms.

    .venv/bin/python bench/first_token_bench.py [--n 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.bootstrap import bootstrap  # noqa: E402
from core.chat import SYSTEM_PROMPT, ChatService  # noqa: E402
from core.config import Settings  # noqa: E402
from core.knowledge import open_default_index  # noqa: E402
from core.prompt import build_prompt  # noqa: E402
from core.safety import assess  # noqa: E402
from core.safety.semantic import load_default  # noqa: E402

TARGET_MS = 30.0
OPENINGS = [
    "I can't sleep again",
    "My chest feels tight before meetings",
    "I snapped at my sister and feel awful",
    "Everything feels flat lately",
    "My dad died in spring and the holidays are coming",
    "I keep replaying what I said at the party",
    "Work keeps piling up and I freeze",
    "I feel so alone in this new city",
]
DETAILS = [
    "and it has been like this for weeks.",
    "and I don't know where to start.",
    "even though I try to stay positive.",
    "and my friends don't really get it.",
    "so I lie awake until three.",
]


def _messages(n: int) -> list[str]:
    return [f"{OPENINGS[i % len(OPENINGS)]} {DETAILS[i % len(DETAILS)]} ({i})" for i in range(n)]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=300, help="messages to time")
    args = parser.parse_args()
    runtime = Path(tempfile.mkdtemp(prefix="bench-first-token-"))
    settings = Settings(runtime_dir=runtime, ollama_warm_up=False, bcrypt_rounds=4)
    started = time.perf_counter()
    index = open_default_index(settings)
    print(f"index open (build or load) + model load: {(time.perf_counter() - started):.2f} s")
    scorer = load_default(index.embedder)
    print(f"semantic safety layer: {'on' if scorer else 'OFF (rules only)'}")
    messages = _messages(args.n)
    for text in messages[:20]:  # warm: first calls pay for lazy initialisation
        index.search(text, 3)
        assess(text, semantic=scorer)

    phase: dict[str, list[float]] = {"safety": [], "retrieval": [], "prompt": [], "total": []}
    for text in messages:
        t0 = time.perf_counter()
        assess(text, region="US", semantic=scorer)
        t1 = time.perf_counter()
        hits = index.search(text, settings.retrieval_top_k)
        t2 = time.perf_counter()
        build_prompt(
            system=SYSTEM_PROMPT,
            knowledge=[(hit.title, hit.entry.body) for hit in hits],
            summary=None,
            history=[],
            user_message=text,
            num_ctx=settings.ollama_num_ctx,
            reserve_tokens=settings.ollama_num_predict,
        )
        t3 = time.perf_counter()
        for name, value in (("safety", t1 - t0), ("retrieval", t2 - t1), ("prompt", t3 - t2)):
            phase[name].append(value * 1000)
        phase["total"].append((t3 - t0) * 1000)

    print(f"\napp-side time before the first LLM token, {args.n} messages, warm process (ms):")
    print(f"{'phase':<28}{'median':>10}{'p95':>10}{'max':>10}")
    labels = {
        "safety": "safety (rules+semantic)",
        "retrieval": "embedding + HNSW search",
        "prompt": "prompt build",
        "total": "TOTAL",
    }
    for name, values in phase.items():
        print(
            f"{labels[name]:<28}{statistics.median(values):>10.2f}"
            f"{_percentile(values, 0.95):>10.2f}{max(values):>10.2f}"
        )
    median = statistics.median(phase["total"])
    verdict = "meets" if median <= TARGET_MS else "MISSES"
    print(
        f"\nmedian {median:.2f} ms vs target {TARGET_MS:.0f} ms: {median / TARGET_MS:.2f}x of the"
    )
    print(f"budget, {verdict} the target")

    app = bootstrap(settings.model_copy(update={"app_env": "test"}), retriever=index)
    user = app.auth.register(username="bench", password="quiet river lantern 42")
    chat: ChatService = app.chat
    conversation = None
    prepare_ms = []
    for text in messages[:100]:
        t0 = time.perf_counter()
        plan = chat.prepare(user_id=user.id, conversation_id=conversation, text=text, region="US")
        prepare_ms.append((time.perf_counter() - t0) * 1000)
        conversation = plan.conversation_id
    print(
        f"\nfor context, ChatService.prepare incl. encrypted SQLite writes and growing history: "
        f"median {statistics.median(prepare_ms):.2f} ms, p95 {_percentile(prepare_ms, 0.95):.2f} ms"
    )


if __name__ == "__main__":
    main()
