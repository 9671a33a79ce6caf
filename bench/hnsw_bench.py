"""HNSW vs exact search on real MiniLM embeddings of generated sentences.

Usage (from the repo root):

    .venv/bin/python bench/hnsw_bench.py            # 100,000 entries, 1,000 queries
    .venv/bin/python bench/hnsw_bench.py --n 5000   # quick run

Random i.i.d. vectors say nothing about HNSW on text (every graph index's recall collapses on
them), so the corpus is natural-ish sentences about feelings, sleep, work and relationships from
templates x vocabulary, embedded once with the app's real model and cached in `bench/.cache/`
(keyed by generator version + model fingerprint). Queries are 1,000 further sentences from a
different seed that are not in the corpus. Ground truth is exact search (normalised dot product)
in NumPy; both sides run single-threaded so the latency comparison is like for like.

Prints recall@10 and single-query latency p50/p99 per ef, the exact-search latency and speed-up,
the chosen ef (smallest with recall@10 >= 0.95 and p99 <= 2 ms), build time, load time, file
size and the RSS growth of a fresh process that loads the index.
"""

from __future__ import annotations

import os

# Exact search must be single-threaded to compare fairly with knn_query(num_threads=1). Set before
# NumPy loads OpenBLAS; it does not affect torch (used only to embed the corpus once).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import hnswlib  # noqa: E402
import numpy as np  # noqa: E402
from numpy.typing import NDArray  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = Path(__file__).resolve().parent / ".cache"
sys.path.insert(0, str(REPO_ROOT))

from core.adapters.embeddings import SentenceTransformerEmbedder  # noqa: E402

GENERATOR_VERSION = "sentences-v1"
CORPUS_SEED = 20240601
QUERY_SEED = 7
DEFAULT_N = 100_000
N_QUERIES = 1_000
CHUNK = 10_000  # embeddings are cached in chunks so an interrupted run resumes
K = 10
M = 16
EF_CONSTRUCTION = 200
EF_SWEEP = (10, 16, 24, 32, 48, 64, 96, 128)
TARGET_RECALL = 0.95
TARGET_P99_MS = 2.0

Matrix = NDArray[np.float32]

# --- sentence generator ---------------------------------------------------------------------------


def _options(text: str) -> tuple[str, ...]:
    """Vocabulary written as "a|b|c" (compact); a blank option is written as an empty field."""
    return tuple(option.strip() for option in text.split("|"))


V: dict[str, tuple[str, ...]] = {
    "time": _options(
        "this morning|last night|on Sunday evening|after lunch|at 3am|every night this week|"
        "since the holidays|yesterday afternoon|on my day off|before the meeting|"
        "right after work|over the weekend|on Monday morning|late last night|"
        "during the school run|at the end of the day|earlier today|for the past month|"
        "since last spring|around dinner time|first thing today|on my birthday|"
        "halfway through the week|on the way home"
    ),
    "feeling": _options(
        "anxious|exhausted|on edge|numb|restless|hopeful|overwhelmed|irritable|lonely|calm|"
        "guilty|ashamed|proud|tense|drained|low|jittery|content|frustrated|sad|scared|"
        "embarrassed|relieved|bored|angry|confused|grateful|heartbroken|stuck|worn out|"
        "panicky|flat|empty|jealous|nervous|unmotivated|cheerful|homesick|resentful|hopeless"
    ),
    "intensity": _options(
        "a bit|really|so|completely|quite|weirdly|slightly|properly|incredibly|kind of||"
    ),
    "person": _options(
        "my sister|my boss|my partner|my flatmate|my dad|my mum|my best friend|a colleague|"
        "my neighbour|my teacher|my son|my daughter|my grandmother|the new manager|my ex|"
        "my brother|my husband|my wife|my girlfriend|my boyfriend|my team lead|an old friend|"
        "my landlord|my coach|my cousin|my doctor|a stranger|my stepdad"
    ),
    "place": _options(
        "at work|on the bus|in the supermarket|at home|in bed|at the gym|in class|"
        "at my parents' house|in a meeting|on the train|at the park|in the office kitchen|"
        "at the doctor's|in the car|at a party|at church|in the library|at the school gates|"
        "on a video call|in the shower|at the pub|in the queue at the bank|on my lunch break|"
        "at the airport"
    ),
    "activity": _options(
        "going for a run|cooking dinner|reading|doing the laundry|answering emails|"
        "studying for my exam|walking the dog|playing guitar|scrolling on my phone|"
        "cleaning the kitchen|gardening|meditating|watching a film|writing in my journal|"
        "driving to work|doing yoga|playing video games|painting|swimming|listening to music|"
        "tidying my room|baking bread|cycling|sitting in traffic|folding clothes|lying awake"
    ),
    "sleep": _options(
        "I only slept four hours|I woke up at 4am and couldn't get back to sleep|"
        "I couldn't fall asleep|I had nightmares again|I overslept and missed my alarm|"
        "I kept waking up every hour|I slept right through for once|"
        "I was up scrolling until 2am|the neighbours kept me awake|the baby was up all night|"
        "I napped for three hours in the afternoon|I lay there with my thoughts racing|"
        "I dreamt about my old job|I went to bed far too late|I woke up drenched in sweat"
    ),
    "reason": _options(
        "the deadline got moved forward|we argued about money|my exam results came out|"
        "the rent went up|I missed the train|nobody replied to my message|"
        "I got some good news|the doctor called|my friend cancelled on me|"
        "I made a mistake in the report|my dog got sick|I lost my job|we broke up|"
        "my mum went into hospital|I moved to a new city|my grandad passed away|"
        "I started a new job|the kids were fighting all day|my car broke down|"
        "I forgot an important appointment|I got a promotion|my presentation went badly|"
        "my best friend moved abroad|I saw old photos of us|my bank account went overdrawn|"
        "I was left out of the group chat|my manager criticised me in front of everyone|"
        "the weather has been grey for weeks|I finally finished the project|"
        "I had an argument with my neighbour"
    ),
    "reason_ing": _options(
        "arguing with my partner|working a double shift|seeing my ex|failing my test|"
        "getting a parking ticket|visiting my grandmother|cancelling my plans|"
        "losing my wallet|reading the news|talking to my landlord|"
        "hearing back from the interview|spending all day alone|a long day of meetings|"
        "the funeral|the school meeting|a week of bad sleep|finishing the marathon|"
        "a row with my sister|waiting for test results|moving house"
    ),
    "body": _options(
        "my chest feels tight|my shoulders are tense|my stomach is in knots|"
        "my head is pounding|my hands are shaking|my jaw is clenched|my heart races|"
        "I feel dizzy|I can't catch my breath|my legs feel heavy|I get butterflies|"
        "my neck aches|I feel sick|I start sweating|my mind goes blank|I can't sit still"
    ),
    "topic": _options(
        "money|my job|the future|my health|my relationship|my exams|my family|getting older|"
        "my weight|the kids|my debts|the interview|the move|my friends|being alone|"
        "the wedding|my parents getting older|climate change|going back to work|"
        "the test results"
    ),
    "want": _options(
        "to talk to someone|to sleep for a week|to be left alone|to feel normal again|"
        "to get some fresh air|to cry|to run away|to scream into a pillow|a hug|to go home|"
        "some quiet|to start over|to stop thinking|to be taken seriously|a proper holiday|"
        "to feel less alone"
    ),
    "freq": _options(
        "every day|most mornings|twice this week|all the time|now and then|more and more|"
        "every evening|on and off|for weeks|most nights"
    ),
    "coping": _options(
        "took a few slow breaths|went for a walk|called a friend|wrote it all down|"
        "had a long bath|made a cup of tea|put some music on|stepped outside|"
        "tried to ignore it|went to bed early|did some stretching|cried for a while|"
        "ate a whole packet of biscuits|cleaned the whole flat|texted my sister|"
        "watched something funny"
    ),
}

TEMPLATES: tuple[str, ...] = (
    "{time} I felt {intensity} {feeling} {place}.",
    "I've been feeling {feeling} {freq} since {reason}.",
    "{person} said something {place} and now I feel {intensity} {feeling}.",
    "{time} {sleep}, so I feel {feeling} today.",
    "When I'm {activity} I feel {intensity} {feeling}.",
    "{body} whenever I think about {topic}.",
    "After {reason_ing} I just want {want}.",
    "I keep worrying about {topic} {place}.",
    "{time} {person} and I talked about {topic} and I felt {feeling}.",
    "I felt {feeling} {place}, so I {coping}.",
    "Ever since {reason}, {body}.",
    "Is it normal to feel {feeling} {freq} after {reason_ing}?",
    "{sleep} because I was thinking about {topic}.",
    "I can't stop thinking about {topic} when I'm {activity}.",
    "{person} doesn't understand why I feel {feeling} {freq}.",
    "{time} I {coping} and felt {intensity} {feeling} afterwards.",
    "I feel {intensity} {feeling} around {person} since {reason}.",
    "How do I stop feeling {feeling} {place}?",
    "{body} {place} and I don't know why.",
    "I used to love {activity}, but now I feel {feeling} doing it.",
    "Honestly I just want {want}; {reason} and I'm {intensity} {feeling}.",
    "{time} {body} while I was {activity}.",
    "I snapped at {person} {place} because I was {feeling}.",
    "I miss {person} and feel {feeling} {freq}.",
)


def _fill(template: str, rng: random.Random) -> str:
    values = {slot: rng.choice(options) for slot, options in V.items()}
    text = " ".join(template.format(**values).split())
    return text[0].upper() + text[1:]


def _stream(seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    while True:
        yield _fill(rng.choice(TEMPLATES), rng)


def generate_corpus(n: int) -> list[str]:
    """The first `n` distinct sentences of the corpus stream (a prefix for any smaller n)."""
    seen: set[str] = set()
    out: list[str] = []
    for sentence in _stream(CORPUS_SEED):
        if sentence not in seen:
            seen.add(sentence)
            out.append(sentence)
            if len(out) == n:
                return out
    raise AssertionError("unreachable")


def generate_queries(n: int, exclude: set[str]) -> list[str]:
    """`n` distinct sentences from another seed, none of them in `exclude`."""
    seen: set[str] = set()
    out: list[str] = []
    for sentence in _stream(QUERY_SEED):
        if sentence not in exclude and sentence not in seen:
            seen.add(sentence)
            out.append(sentence)
            if len(out) == n:
                return out
    raise AssertionError("unreachable")


# --- embedding cache ------------------------------------------------------------------------------


def _cache_key(model: str, role: str, part: int, size: int) -> str:
    raw = f"{GENERATOR_VERSION}|{model}|{role}|{part}|{size}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def embed_cached(
    texts: list[str], role: str, embedder: SentenceTransformerEmbedder, chunk: int = CHUNK
) -> tuple[Matrix, float]:
    """Embed `texts` in chunks cached as .npy; returns the matrix and seconds spent embedding."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    parts: list[Matrix] = []
    spent = 0.0
    for part, start in enumerate(range(0, len(texts), chunk)):
        full = texts[start : start + chunk]
        # The cache always holds whole chunks so a smaller --n reuses a bigger run's work.
        path = CACHE_DIR / f"emb-{role}-{_cache_key(embedder.name, role, part, chunk)}.npy"
        if path.exists():
            parts.append(np.load(path)[: len(full)])
            continue
        if role == "corpus" and len(full) < chunk:
            full = generate_corpus(start + chunk)[start:]
        t0 = time.perf_counter()
        vectors = embedder.embed(full)
        spent += time.perf_counter() - t0
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, vectors)
        tmp.replace(path)
        print(f"  embedded {role} chunk {part} ({len(full)} texts)", file=sys.stderr, flush=True)
        parts.append(vectors[: len(texts) - start])
    return np.ascontiguousarray(np.concatenate(parts), dtype=np.float32), spent


# --- measurement ----------------------------------------------------------------------------------


def percentiles_ms(samples_ns: list[int]) -> tuple[float, float]:
    """p50 and p99 of nanosecond samples, in milliseconds."""
    arr = np.asarray(samples_ns, dtype=np.float64) / 1e6
    return float(np.percentile(arr, 50)), float(np.percentile(arr, 99))


def exact_search(corpus: Matrix, queries: Matrix, k: int) -> tuple[NDArray[np.int64], list[int]]:
    """Exact top-k by dot product, one query at a time; returns ids and per-query ns."""
    ids = np.empty((len(queries), k), dtype=np.int64)
    times: list[int] = []
    for i in range(len(queries)):
        t0 = time.perf_counter_ns()
        scores = corpus @ queries[i]
        top = np.argpartition(-scores, k)[:k]
        top = top[np.argsort(-scores[top])]
        times.append(time.perf_counter_ns() - t0)
        ids[i] = top
    return ids, times


def timed_queries(
    index: hnswlib.Index, queries: Matrix, k: int
) -> tuple[NDArray[np.int64], list[int]]:
    """One knn_query call per query vector (num_threads=1); returns labels and per-call ns."""
    labels = np.empty((len(queries), k), dtype=np.int64)
    times: list[int] = []
    for i in range(len(queries)):
        q = queries[i : i + 1]
        t0 = time.perf_counter_ns()
        found, _ = index.knn_query(q, k=k, num_threads=1)
        times.append(time.perf_counter_ns() - t0)
        labels[i] = found[0]
    return labels, times


def recall_at_k(found: NDArray[np.int64], truth: NDArray[np.int64]) -> float:
    """Mean fraction of the true top-k present in the found top-k."""
    hits = sum(len(set(f.tolist()) & set(t.tolist())) for f, t in zip(found, truth, strict=True))
    return hits / truth.size


_LOAD_PROBE = """
import json, sys, time, hnswlib
def rss_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0
path, dim, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
index = hnswlib.Index(space="cosine", dim=dim)
before = rss_kb()
t0 = time.perf_counter()
index.load_index(path, max_elements=n)
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "rss_kb": rss_kb() - before}))
"""


def measure_load(path: Path, dim: int, n: int) -> tuple[float, int]:
    """Load the saved index in a fresh process: seconds and VmRSS growth in KiB."""
    out = subprocess.run(
        [sys.executable, "-c", _LOAD_PROBE, str(path), str(dim), str(n)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(out)
    return float(result["seconds"]), int(result["rss_kb"])


def choose_ef(rows: list[tuple[int, float, float, float]]) -> int | None:
    """Smallest ef whose recall@10 and p99 meet the targets."""
    for ef, recall, _p50, p99 in rows:
        if recall >= TARGET_RECALL and p99 <= TARGET_P99_MS:
            return ef
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=DEFAULT_N, help="corpus size (default 100000)")
    parser.add_argument("--queries", type=int, default=N_QUERIES, help="number of queries")
    parser.add_argument("--build-threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    say: Callable[[str], None] = lambda line: print(line, flush=True)  # noqa: E731

    embedder = SentenceTransformerEmbedder()
    say(f"model {embedder.name}  dim {embedder.dimension}  generator {GENERATOR_VERSION}")
    t0 = time.perf_counter()
    corpus_texts = generate_corpus(max(args.n, DEFAULT_N))
    query_texts = generate_queries(args.queries, set(corpus_texts))
    corpus_texts = corpus_texts[: args.n]
    say(
        f"generated {len(corpus_texts):,} corpus + {len(query_texts):,} query sentences "
        f"in {time.perf_counter() - t0:.1f} s, e.g. {corpus_texts[0]!r} / {query_texts[0]!r}"
    )

    corpus, spent_c = embed_cached(corpus_texts, "corpus", embedder)
    queries, spent_q = embed_cached(query_texts, f"queries{len(query_texts)}", embedder)
    if spent_c + spent_q:
        say(f"embedded (not cached) in {spent_c + spent_q:.1f} s")
    else:
        say("embeddings loaded from bench/.cache")
    n, dim = corpus.shape

    truth, exact_ns = exact_search(corpus, queries, K)
    exact_p50, exact_p99 = percentiles_ms(exact_ns)

    index = hnswlib.Index(space="cosine", dim=dim)
    index.init_index(max_elements=n, M=M, ef_construction=EF_CONSTRUCTION, random_seed=100)
    t0 = time.perf_counter()
    index.add_items(corpus, np.arange(n), num_threads=args.build_threads)
    build_s = time.perf_counter() - t0

    rows: list[tuple[int, float, float, float]] = []
    say("")
    say(
        f"n={n:,}  queries={len(queries):,}  k={K}  M={M}  ef_construction={EF_CONSTRUCTION}  "
        f"(single-threaded queries)"
    )
    say(f"{'ef':>5} {'recall@10':>10} {'p50 ms':>8} {'p99 ms':>8} {'x exact p50':>12}")
    timed_queries(index, queries[:100], K)  # warm caches before the first timed row
    for ef in EF_SWEEP:
        index.set_ef(max(ef, K))
        found, ns = timed_queries(index, queries, K)
        p50, p99 = percentiles_ms(ns)
        recall = recall_at_k(found, truth)
        rows.append((ef, recall, p50, p99))
        say(f"{ef:>5} {recall:>10.4f} {p50:>8.3f} {p99:>8.3f} {exact_p50 / p50:>11.0f}x")
    say(f"exact NumPy (1 thread): p50 {exact_p50:.3f} ms  p99 {exact_p99:.3f} ms")

    chosen = choose_ef(rows)
    if chosen is None:
        say(f"no ef meets recall@10 >= {TARGET_RECALL} with p99 <= {TARGET_P99_MS} ms")
    else:
        ef, recall, p50, p99 = next(r for r in rows if r[0] == chosen)
        say(
            f"chosen ef={ef}: smallest ef with recall@10 >= {TARGET_RECALL} "
            f"({recall:.4f}) and p99 <= {TARGET_P99_MS} ms ({p99:.3f} ms); "
            f"p50 {exact_p50 / p50:.0f}x faster than exact"
        )

    with tempfile.TemporaryDirectory(prefix="hnsw-bench-") as tmp:
        path = Path(tmp) / "index.bin"
        index.save_index(str(path))
        size_mb = path.stat().st_size / 2**20
        load_s, rss_kb = measure_load(path, dim, n)
    say(
        f"build {build_s:.1f} s ({args.build_threads} threads)  load {load_s * 1000:.0f} ms  "
        f"file {size_mb:.1f} MiB  RSS growth on load {rss_kb / 1024:.1f} MiB  "
        f"(raw vectors {corpus.nbytes / 2**20:.1f} MiB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
