"""Quality and speed of `core.safety.assess` on the labelled sets.

Usage (from the repo root):

    .venv/bin/python bench/safety_eval.py              # every set, with mistakes listed
    .venv/bin/python bench/safety_eval.py --quiet      # metrics only
    .venv/bin/python bench/safety_eval.py --semantic   # rules-only and rules+semantic side by side

Evaluates every `tests/data/safety_*.jsonl` file it finds, each separately. For each file prints
crisis recall and precision, the false-positive rate on "none" messages, a confusion matrix and the
mean/p99 time per `assess` call in microseconds, then the worst-case time for very large inputs.

`tests/data/safety_labeled.jsonl` is the set the rules are developed against (tests enforce recall
>= 0.98 and none-FPR <= 0.05 on it); it includes the former held-out set (its last 89 lines), merged
in once that set had been used as a measure. Any other file (such as `safety_blind2.jsonl`, written
by someone who had not seen the rules) is for reporting only: never tune the rules on it.

`data/safety_dev.jsonl` is the project's own dev split for issue 13 (written blind to the
evaluation sets, used for choices, never trained on: the trainer drops training lines too close
to it). Run with `--quiet` to see figures only: without it, mistakes are listed line by line.

`--semantic` loads the local MiniLM model and the shipped semantic layer
(`data/safety_semantic.npz`, trained by `python -m core.safety.train_semantic` on the labelled
set and the `data/safety_training*.jsonl` files only) and prints, for each file, the rules alone
next to the rules escalated by the semantic layer, then (unless --quiet) every message whose
verdict the semantic layer changed. The labelled set is part of the semantic layer's training
data, so only files it was not trained on measure it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.safety import Assessment, RiskScorer, assess  # noqa: E402
from core.safety.evaluation import (  # noqa: E402
    LEVELS,
    EvalReport,
    evaluate,
    format_report,
    load_labeled,
)

DATA = ROOT / "tests" / "data"
LABELED = DATA / "safety_labeled.jsonl"
DEV = ROOT / "data" / "safety_dev.jsonl"


def _sets() -> list[Path]:
    """The labelled set first, then every other `safety_*.jsonl` file in name order, then the
    project's own held-out dev split (`data/safety_dev.jsonl`, never trained on)."""
    found = sorted(DATA.glob("safety_*.jsonl"))
    return [LABELED, *(path for path in found if path != LABELED), DEV]


def _large_input_timings() -> list[tuple[str, float]]:
    cases = {
        "1 MB of 'a'": "a" * 1_000_000,
        "1 MB of words": ("i went to work and it was fine " * 40_000)[:1_000_000],
        "1 MB of emoji": "😂" * 250_000,
        "100k repeated 'kill '": "kill " * 20_000,
    }
    results = []
    for name, text in cases.items():
        start = time.perf_counter()
        assess(text)
        results.append((name, (time.perf_counter() - start) * 1000))
    return results


def _load_semantic() -> RiskScorer | None:
    from core.adapters.embeddings import SentenceTransformerEmbedder
    from core.safety.semantic import load_default

    embedder = SentenceTransformerEmbedder()
    embedder.warm_up()
    return load_default(embedder)


def _rows(report: EvalReport, path: Path) -> dict[str, float]:
    """The side-by-side metrics, including concern recall and crisis recall per language."""
    confusion = report.confusion
    concern = report.count("concern")
    crisis_by_lang: dict[str, int] = {}
    for example in load_labeled(path):
        if example.level == "crisis":
            crisis_by_lang[example.lang] = crisis_by_lang.get(example.lang, 0) + 1
    missed_by_lang: dict[str, int] = {}
    for mistake in report.mistakes:
        if mistake.example.level == "crisis":
            lang = mistake.example.lang
            missed_by_lang[lang] = missed_by_lang.get(lang, 0) + 1
    # Resources are shown for any level above "none".
    at_risk = report.count("concern") + report.count("crisis")
    unresourced = confusion["concern"]["none"] + confusion["crisis"]["none"]
    rows = {
        "crisis recall": report.crisis_recall,
        "crisis precision": report.crisis_precision,
        "none false-pos rate": report.none_false_positive_rate,
        "concern recall (exact)": confusion["concern"]["concern"] / concern if concern else 0.0,
        "concern flagged (>= concern)": (
            (confusion["concern"]["concern"] + confusion["concern"]["crisis"]) / concern
            if concern
            else 0.0
        ),
        "accuracy (3-way)": report.accuracy,
        "resources shown, crisis+concern": 1 - unresourced / at_risk if at_risk else 0.0,
    }
    for group in sorted(crisis_by_lang):
        total = crisis_by_lang[group]
        rows[f"crisis recall {group} (n={total})"] = 1 - missed_by_lang.get(group, 0) / total
    rows["median time per message (ms)"] = report.median_us / 1000
    rows["p95 time per message (ms)"] = report.p95_us / 1000
    rows["p99 time per message (ms)"] = report.p99_us / 1000
    return rows


def _side_by_side(path: Path, rules: EvalReport, combined: EvalReport) -> str:
    left, right = _rows(rules, path), _rows(combined, path)
    lines = [
        f"{path}  ({rules.total} messages: "
        + ", ".join(f"{rules.count(level)} {level}" for level in LEVELS)
        + ")",
        f"  {'':<32}{'rules':>10}{'+semantic':>12}{'change':>10}",
    ]
    for name in dict.fromkeys([*left, *right]):
        value, other = left.get(name, 0.0), right.get(name, 0.0)
        lines.append(f"  {name:<32}{value:>10.3f}{other:>12.3f}{other - value:>+10.3f}")
    lines.append("  confusion (rows = label, columns = predicted), rules | +semantic:")
    lines.append(
        "    "
        + "".join(f"{level:>9}" for level in ("", *LEVELS))
        + "   |"
        + "".join(f"{level:>9}" for level in LEVELS)
    )
    for label in LEVELS:
        row = "".join(f"{rules.confusion[label][p]:>9}" for p in LEVELS)
        row2 = "".join(f"{combined.confusion[label][p]:>9}" for p in LEVELS)
        lines.append(f"    {label:>9}{row}   |{row2}")
    return "\n".join(lines)


def _changes(path: Path, scorer: RiskScorer) -> list[str]:
    """Every message whose verdict the semantic layer changed, marked right or wrong."""
    lines = []
    for example in load_labeled(path):
        before, after = assess(example.text).level, assess(example.text, semantic=scorer).level
        if before == after:
            continue
        mark = "+" if after == example.level else ("~" if before != example.level else "-")
        text = example.text if len(example.text) <= 90 else example.text[:87] + "..."
        lines.append(
            f"    {mark} {example.level:>7}: {before:>7} -> {after:<7} [{example.lang}] {text!r}"
        )
    return lines


def _run_semantic(args: argparse.Namespace) -> int:
    scorer = _load_semantic()
    if scorer is None:
        print("the semantic layer is disabled (see the warning above); nothing to compare")
        return 1

    def combined(text: str) -> Assessment:
        return assess(text, semantic=scorer)

    for path in _sets():
        if not path.exists():
            print(f"{path}: missing")
            continue
        try:
            rules = evaluate(path, repeats=args.repeats)
            both = evaluate(path, assessor=combined, repeats=1)
        except ValueError as exc:
            print(f"{path}: cannot evaluate: {exc}")
            continue
        print(_side_by_side(path, rules, both))
        if path == LABELED:
            print("  (training data of the semantic layer: a sanity check, not a measure)")
        if not args.quiet:
            changes = _changes(path, scorer)
            print(f"  changed by the semantic layer ({len(changes)}; + right, - wrong, ~ other):")
            print("\n".join(changes) if changes else "    none")
        print()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quiet", action="store_true", help="do not list mistakes")
    parser.add_argument("--repeats", type=int, default=20, help="timed calls per message")
    parser.add_argument(
        "--semantic",
        action="store_true",
        help="compare the rules with rules+semantic layer (loads the embedding model)",
    )
    args = parser.parse_args()
    if args.semantic:
        return _run_semantic(args)
    for path in _sets():
        if not path.exists():
            print(f"{path}: missing")
            continue
        try:
            report = evaluate(path, repeats=args.repeats)
        except ValueError as exc:
            print(f"{path}: cannot evaluate: {exc}")
            continue
        print(format_report(report, show_mistakes=not args.quiet))
        print()
    print("large inputs (single call):")
    for name, ms in _large_input_timings():
        print(f"  {name:<24} {ms:8.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
