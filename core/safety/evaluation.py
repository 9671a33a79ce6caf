"""Metrics for `assess` on a labelled JSONL file (used by the tests and `bench/safety_eval.py`).

Each line is a JSON object with "text", "level" ("none" | "concern" | "crisis"), "lang" and
"note". The texts are synthetic test data, not user data.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from core.safety.detector import Assessment, Level, assess

LEVELS: tuple[Level, ...] = ("none", "concern", "crisis")


@dataclass(frozen=True, slots=True)
class LabeledExample:
    """One labelled message."""

    text: str
    level: Level
    lang: str
    note: str


@dataclass(frozen=True, slots=True)
class Mistake:
    """A labelled example the detector got wrong."""

    example: LabeledExample
    predicted: Level


@dataclass(frozen=True, slots=True)
class EvalReport:
    """Detector quality and speed on one labelled set.

    `confusion[label][predicted]` counts examples. Recall and precision are for "crisis";
    `none_false_positive_rate` is the fraction of "none" examples assessed as anything else.
    """

    path: str
    total: int
    confusion: dict[Level, dict[Level, int]]
    crisis_recall: float
    crisis_precision: float
    none_false_positive_rate: float
    accuracy: float
    mean_us: float
    p99_us: float
    mistakes: tuple[Mistake, ...]
    median_us: float = 0.0
    p95_us: float = 0.0

    def count(self, label: Level) -> int:
        """How many examples carry `label`."""
        return sum(self.confusion[label].values())


def load_labeled(path: str | Path) -> list[LabeledExample]:
    """Read and validate a labelled JSONL file; raises ValueError naming the bad line."""
    examples: list[LabeledExample] = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        if not isinstance(row, dict):
            raise ValueError(f"{path}:{number}: expected an object")
        text, level = row.get("text"), row.get("level")
        if not isinstance(text, str) or not text:
            raise ValueError(f"{path}:{number}: 'text' must be a non-empty string")
        if level not in LEVELS:
            raise ValueError(f"{path}:{number}: 'level' must be one of {LEVELS}")
        examples.append(
            LabeledExample(
                text=text,
                level=cast(Level, level),
                lang=str(row.get("lang", "en")),
                note=str(row.get("note", "")),
            )
        )
    return examples


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def _percentile(sorted_values: Sequence[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def evaluate(
    path: str | Path,
    *,
    assessor: Callable[[str], Assessment] = assess,
    repeats: int = 5,
) -> EvalReport:
    """Run `assessor` over every example in `path` and compute metrics and timings.

    Each example is timed `repeats` times (the first pass also warms caches); the mean and p99
    are over all timed calls, in microseconds.
    """
    examples = load_labeled(path)
    confusion: dict[Level, dict[Level, int]] = {a: dict.fromkeys(LEVELS, 0) for a in LEVELS}
    mistakes: list[Mistake] = []
    timings: list[float] = []
    assessor("warm up")
    for example in examples:
        predicted: Level = assessor(example.text).level
        for _ in range(max(1, repeats)):
            start = time.perf_counter_ns()
            assessor(example.text)
            timings.append((time.perf_counter_ns() - start) / 1000)
        confusion[example.level][predicted] += 1
        if predicted != example.level:
            mistakes.append(Mistake(example, predicted))

    true_crisis = confusion["crisis"]["crisis"]
    labelled_crisis = sum(confusion["crisis"].values())
    predicted_crisis = sum(confusion[label]["crisis"] for label in LEVELS)
    labelled_none = sum(confusion["none"].values())
    timings.sort()
    return EvalReport(
        path=str(path),
        total=len(examples),
        confusion=confusion,
        crisis_recall=_ratio(true_crisis, labelled_crisis),
        crisis_precision=_ratio(true_crisis, predicted_crisis),
        none_false_positive_rate=_ratio(labelled_none - confusion["none"]["none"], labelled_none),
        accuracy=_ratio(sum(confusion[level][level] for level in LEVELS), len(examples)),
        mean_us=sum(timings) / len(timings) if timings else 0.0,
        p99_us=_percentile(timings, 0.99),
        mistakes=tuple(mistakes),
        median_us=_percentile(timings, 0.5),
        p95_us=_percentile(timings, 0.95),
    )


def format_report(report: EvalReport, *, show_mistakes: bool = True) -> str:
    """A plain-text summary: metrics, confusion matrix, timings and (optionally) mistakes."""
    lines = [
        f"{report.path}  ({report.total} messages: "
        + ", ".join(f"{report.count(level)} {level}" for level in LEVELS)
        + ")",
        f"  crisis recall        {report.crisis_recall:.3f}",
        f"  crisis precision     {report.crisis_precision:.3f}",
        f"  none false-pos rate  {report.none_false_positive_rate:.3f}",
        f"  accuracy (3-way)     {report.accuracy:.3f}",
        f"  assess() time        median {report.median_us:.1f} us, p95 {report.p95_us:.1f} us,"
        f" mean {report.mean_us:.1f} us, p99 {report.p99_us:.1f} us",
        "  confusion (rows = label, columns = predicted):",
        "    " + "".join(f"{level:>9}" for level in ("", *LEVELS)),
    ]
    for label in LEVELS:
        row = "".join(f"{report.confusion[label][p]:>9}" for p in LEVELS)
        lines.append(f"    {label:>9}{row}")
    if show_mistakes and report.mistakes:
        lines.append("  mistakes (label -> predicted):")
        for mistake in report.mistakes:
            ex = mistake.example
            text = ex.text if len(ex.text) <= 100 else ex.text[:97] + "..."
            lines.append(f"    {ex.level:>7} -> {mistake.predicted:<7} [{ex.note}] {text!r}")
    return "\n".join(lines)
