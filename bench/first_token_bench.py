"""App-side time before the first LLM token, against the cost of one embedding, in a warm process.

A turn has to embed the person's message at least once (the semantic safety layer and retrieval
both read its vector), so the floor for the work before the request goes to Ollama is one
embedding. This measures, in one run, on the real MiniLM model, the real HNSW index and the real
semantic safety layer:

- one embedding of each message (`embedder.embed([text])`);
- the safety screen alone (`core.safety.assess` with the semantic layer; it embeds on its own);
- the app-side time before the first token: the full `ChatService.prepare` (safety screen on the
  message's one shared vector + HNSW search + prompt build + saving the encrypted turn on SQLite;
  the LLM is not called), with its own phase timings.

Each message goes through all three, in an order that rotates from one message to the next, so
no measurement always runs right after another. The app is built by `bootstrap` with the real
adapters, on a SQLite database in a temporary folder with throwaway keys; the index and the
safety layer are loaded and a few turns are run before anything is timed. Conversations are
TURNS_PER_CONVERSATION turns long. Each message has two sentences, since the semantic layer now also
scores every sentence of a message (issue 13) and the screen sees the conversation's last turns.
Goal (issue 13): median(prepare) <= 3x median(one embedding); it was 1.5x while the screen read the
message's one shared vector only.

    .venv/bin/python bench/first_token_bench.py [--n 300]
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.adapters import real_adapters  # noqa: E402
from core.bootstrap import bootstrap, load_settings, prepare_database  # noqa: E402
from core.chat import ChatService  # noqa: E402
from core.ports import Vector  # noqa: E402
from core.safety import assess  # noqa: E402

GOAL_RATIO = 3.0
WARM_UP_TURNS = 20
TURNS_PER_CONVERSATION = 10
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
    return [
        f"{OPENINGS[i % len(OPENINGS)]}. It started {DETAILS[i % len(DETAILS)]} ({i})"
        for i in range(n)
    ]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _throwaway_keys() -> dict[str, str]:
    return {
        "master_key": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "cookie_key": secrets.token_urlsafe(48),
    }


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=300, help="messages to time")
    args = parser.parse_args()
    runtime = Path(tempfile.mkdtemp(prefix="bench-first-token-"))
    settings = load_settings(
        app_env="test",
        runtime_dir=runtime,
        database_url=f"sqlite:///{runtime / 'bench.db'}",
        ollama_warm_up=False,
        knowledge_warm_up=False,
        bcrypt_rounds=4,
        **_throwaway_keys(),
    )
    adapters = real_adapters(settings)
    app = bootstrap(settings, adapters)
    prepare_database(app)
    started = time.perf_counter()
    app.knowledge()  # loads the embedding model and builds the index in the temp folder
    print(f"index open (build or load) + model load: {(time.perf_counter() - started):.2f} s")
    scorer = app.risk_scorer()
    print(f"semantic safety layer: {'on' if scorer else 'OFF (rules only)'}")
    embedder = adapters.embedder()  # the one instance the index and the safety layer share

    embed_calls = 0
    embed = embedder.embed

    def counting_embed(texts: Sequence[str]) -> Vector:
        nonlocal embed_calls
        embed_calls += 1
        return embed(texts)

    embedder.embed = counting_embed  # type: ignore[method-assign]

    user = app.auth.register(username="bench", password="quiet river lantern 42")
    chat: ChatService = app.chat
    conversation: str | None = None
    turns = 0
    levels: Counter[str] = Counter()

    def turn(text: str) -> dict[str, float]:
        nonlocal conversation, turns
        if turns % TURNS_PER_CONVERSATION == 0:
            conversation = None
        plan = chat.prepare(user_id=user.id, conversation_id=conversation, text=text, region="US")
        conversation = plan.conversation_id
        turns += 1
        levels[plan.assessment.level] += 1
        return plan.timings_ms

    messages = _messages(args.n)
    for text in messages[:WARM_UP_TURNS]:  # warm: first calls pay for lazy initialisation
        embedder.embed([text])
        assess(text, region="US", semantic=scorer)
        turn(text)
    levels.clear()
    turns = 0

    phase: dict[str, list[float]] = {
        "embed": [],
        "screen": [],
        "prepare": [],
        "safety": [],
        "retrieval": [],
        "prompt": [],
        "rest": [],
    }
    prepare_embeds = 0

    def time_embed(text: str) -> None:
        t0 = time.perf_counter()
        embedder.embed([text])
        phase["embed"].append((time.perf_counter() - t0) * 1000)

    def time_screen(text: str) -> None:
        t0 = time.perf_counter()
        assess(text, region="US", semantic=scorer)
        phase["screen"].append((time.perf_counter() - t0) * 1000)

    def time_prepare(text: str) -> None:
        nonlocal prepare_embeds
        calls = embed_calls
        t0 = time.perf_counter()
        timings = turn(text)
        total = (time.perf_counter() - t0) * 1000
        prepare_embeds += embed_calls - calls
        phase["prepare"].append(total)
        for name in ("safety", "retrieval", "prompt"):
            phase[name].append(timings.get(name, 0.0))
        phase["rest"].append(total - sum(timings.values()))

    steps: list[Callable[[str], None]] = [time_embed, time_screen, time_prepare]
    for i, text in enumerate(messages):
        shift = i % len(steps)
        for step in steps[shift:] + steps[:shift]:
            step(text)

    print(
        f"\napp-side time before the first LLM token, {args.n} messages, warm process, "
        f"{TURNS_PER_CONVERSATION} turns a conversation (ms):"
    )
    print(f"{'phase':<40}{'median':>10}{'p95':>10}{'max':>10}")
    labels = {
        "embed": "one embedding (embed([text]))",
        "screen": "safety screen alone (rules+semantic)",
        "prepare": "ChatService.prepare TOTAL (app-side)",
        "safety": "  safety (one embedding + screen)",
        "retrieval": "  HNSW search (shared vector)",
        "prompt": "  prompt build",
        "rest": "  the rest (SQLite, encryption)",
    }
    for name, values in phase.items():
        print(
            f"{labels[name]:<40}{statistics.median(values):>10.2f}"
            f"{_percentile(values, 0.95):>10.2f}{max(values):>10.2f}"
        )
    print(
        f"\nembeddings per prepare: {prepare_embeds / args.n:.2f}; levels: "
        + ", ".join(f"{level} {levels[level]}" for level in ("none", "concern", "crisis"))
    )
    embedding = statistics.median(phase["embed"])
    app_side = statistics.median(phase["prepare"])
    ratio = app_side / embedding
    print(
        f"ratio median(app-side) / median(one embedding): {app_side:.2f} / {embedding:.2f} ms"
        f" = {ratio:.2f}x"
    )
    print(f"goal: <= {GOAL_RATIO}x")
    print("meets the goal" if ratio <= GOAL_RATIO else "MISSES the goal")
    app.engine.dispose()
    shutil.rmtree(runtime, ignore_errors=True)


if __name__ == "__main__":
    main()
