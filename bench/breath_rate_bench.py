"""Breath-rate estimation: time per second of audio, and error on synthetic breathing audio.

Usage (from the repo root):

    .venv/bin/python bench/breath_rate_bench.py

For each rate from 4 to 20 breaths a minute (half steps) and three noise seeds, 90 s of
synthetic breath sound at 48 kHz (airflow noise louder out than in, background noise at 0.3 and
0.6 of the loudest breath, the rate wobbling by 5 %) is fed to `BreathRateMeter` in 20 ms pieces
as WebRTC delivers them, asking for an estimate once a second as the page does. Prints the
processing time per second of audio (against real time: 1 s of audio a second), and the
estimate's error at the end of each clip (limit: ±1 breath a minute).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.breathing_rate import BreathRateMeter  # noqa: E402
from tests.factories import breathing_audio  # noqa: E402

RATE = 48_000
PIECE = 960  # 20 ms
SECONDS = 90


def run(bpm: float, noise: float, seed: int) -> tuple[float | None, float]:
    """The final estimate, and the processing seconds for the clip."""
    audio = breathing_audio(bpm, seconds=SECONDS, rate=RATE, noise=noise, jitter=0.05, seed=seed)
    meter = BreathRateMeter()
    began = time.perf_counter()
    estimate = None
    for n, start in enumerate(range(0, len(audio), PIECE)):
        meter.feed(audio[start : start + PIECE], RATE)
        if n % 50 == 49:  # once a second
            estimate = meter.estimate()
    return estimate, time.perf_counter() - began


def main() -> int:
    """Print the figures; exit 1 if any clip is off by more than one breath a minute."""
    errors, spent, missed = [], 0.0, 0
    for bpm in np.arange(4, 20.5, 0.5):
        for seed in range(3):
            for noise in (0.3, 0.6):
                found, seconds = run(float(bpm), noise, seed)
                spent += seconds
                if found is None:
                    missed += 1
                else:
                    errors.append(abs(found - bpm))
    clips = len(errors) + missed
    per_second = spent / (clips * SECONDS)
    print(f"clips: {clips} ({SECONDS} s each at {RATE} Hz), rates 4-20 /min, noise 0.3 and 0.6")
    print(f"time per second of audio: {per_second * 1000:.2f} ms "
          f"({1 / per_second:.0f}x faster than real time)")  # fmt: skip
    print(
        f"error: mean {np.mean(errors):.2f}, max {max(errors):.2f} breaths/min; "
        f"no estimate on {missed} clips; within ±1: {sum(e <= 1 for e in errors)}/{clips}"
    )
    return 0 if missed == 0 and max(errors) <= 1 else 1


if __name__ == "__main__":
    sys.exit(main())
