"""How long the streamed answer's output check takes for a long answer (issue #6 item 13).

Prints the time to pass answers of 2,000 to 20,000 characters through
`core.chat.streaming.checked_sentences` in small pieces (as a model streams them), against one
`check_output` of the whole text (the floor) measured in the same run. Linear means the ratio
stays flat as the answer grows.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.chat.streaming import checked_sentences  # noqa: E402
from core.safety import check_output  # noqa: E402

SENTENCE = (
    "Try a few slow breaths and notice how your shoulders feel, then write down one small step. "
)
REPEATS = 5


def _median_seconds(action: object) -> float:
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> int:
    """Print the table; returns 0."""
    print(f"{'chars':>7} {'streamed check ms':>18} {'one check_output ms':>20} {'ratio':>6}")
    for size in (2_000, 8_000, 20_000):
        answer = (SENTENCE * (size // len(SENTENCE) + 1))[:size]
        pieces = [answer[i : i + 6] for i in range(0, len(answer), 6)]
        streamed = _median_seconds(lambda pieces=pieces: "".join(checked_sentences(iter(pieces))))
        whole = _median_seconds(lambda answer=answer: check_output(answer))
        print(f"{size:>7} {streamed * 1000:>18.1f} {whole * 1000:>20.1f} {streamed / whole:>6.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
