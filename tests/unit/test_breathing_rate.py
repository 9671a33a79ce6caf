"""Breath-rate estimation on synthetic breathing audio of known rates, with noise."""

from __future__ import annotations

import numpy as np
import pytest

from core.breathing_rate import BreathRateMeter, breaths_per_minute
from tests.factories import breathing_audio

RATE = 4_000


@pytest.mark.parametrize("bpm", [4, 5.5, 6, 8, 10, 12, 15, 18, 20])
def test_known_rates_are_found_within_one_breath_a_minute(bpm: float) -> None:
    audio = breathing_audio(bpm, seconds=60, rate=RATE, noise=0.3, seed=int(bpm * 10))
    found = breaths_per_minute(audio, RATE)
    assert found is not None and abs(found - bpm) <= 1, found


def test_an_uneven_breath_with_loud_noise_is_still_found() -> None:
    audio = breathing_audio(7, seconds=60, rate=RATE, noise=0.6, jitter=0.08, seed=3)
    found = breaths_per_minute(audio, RATE)
    assert found is not None and abs(found - 7) <= 1


def test_noise_alone_and_silence_give_no_rate() -> None:
    rng = np.random.default_rng(1)
    assert breaths_per_minute(rng.normal(0, 0.3, RATE * 60), RATE) is None
    assert breaths_per_minute(np.zeros(RATE * 60), RATE) is None
    assert breaths_per_minute(np.zeros(RATE * 2), RATE) is None  # too short to tell


def test_the_meter_fed_in_pieces_matches_and_keeps_only_the_envelope() -> None:
    audio = breathing_audio(6, seconds=90, rate=48_000, noise=0.3, seed=6)
    meter = BreathRateMeter()
    for start in range(0, len(audio), 960):  # 20 ms pieces, as WebRTC sends them
        meter.feed(audio[start : start + 960], 48_000)
    assert meter.seconds == pytest.approx(60)  # the last minute only
    found = meter.estimate()
    assert found is not None and abs(found - 6) <= 1
    assert len(meter._values) == 1200  # 20 numbers a second, never samples
