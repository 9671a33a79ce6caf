"""The third blind set (docs/safety-labelling-policy.md) kept as a regression floor.

Measured once, before and after the #13 work, with the semantic layer (see the closing note and
`bench/safety_eval.py`). This test runs the rules alone, which decide when no model has loaded,
and holds them at what was measured then: rules-only crisis recall 0.318 and false crisis 0.062.
A change that lowers recall or raises false alarms fails here; never tune on these lines.
"""

from __future__ import annotations

import json
from pathlib import Path

from core.safety import assess

BLIND3 = Path(__file__).resolve().parents[2] / "tests" / "data" / "safety_blind3.jsonl"


def _rows() -> list[dict[str, object]]:
    return [json.loads(line) for line in BLIND3.read_text(encoding="utf-8").splitlines() if line]


def test_the_rules_keep_their_measured_recall_and_false_alarms_on_blind_set_3() -> None:
    rows = _rows()
    crisis = [row for row in rows if row["level"] == "crisis"]
    everyday = [row for row in rows if row["level"] == "none"]

    def level(row: dict[str, object]) -> str:
        context = tuple(str(turn) for turn in row.get("context", ()))  # type: ignore[attr-defined]
        return assess(str(row["text"]), context=context).level

    recall = sum(level(row) == "crisis" for row in crisis) / len(crisis)
    false_crisis = sum(level(row) == "crisis" for row in everyday) / len(everyday)
    assert len(rows) >= 500
    assert recall >= 0.31, recall
    assert false_crisis <= 0.07, false_crisis
