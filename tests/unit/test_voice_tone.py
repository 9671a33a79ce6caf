"""Voice cues on synthetic speech-like audio of known pitch, loudness and syllable rate."""

from __future__ import annotations

import numpy as np
import pytest

from core.emotion.voice import VoiceBuffer, analyse_voice

RATE = 16_000


def _speech(f0: float, amplitude: float, syllables: float, vibrato: float = 0.0) -> np.ndarray:
    """A harmonic tone at `f0` (with optional pitch swing in semitones), pulsed per syllable."""
    t = np.arange(0, 4, 1 / RATE)
    freq = f0 * 2 ** (vibrato * np.sin(2 * np.pi * 0.5 * t) / 12)
    phase = 2 * np.pi * np.cumsum(freq) / RATE
    tone = sum(np.sin(k * phase) / k for k in range(1, 6)) / 2
    return amplitude * tone * np.sin(np.pi * syllables * t) ** 2


@pytest.mark.parametrize(("f0", "syllables"), [(110.0, 3.0), (210.0, 5.0), (300.0, 6.0)])
def test_pitch_and_rate_are_recovered(f0: float, syllables: float) -> None:
    tone = analyse_voice(_speech(f0, 0.2, syllables), RATE)
    assert tone.pitch_hz == pytest.approx(f0, rel=0.05)
    assert tone.syllables_per_second == pytest.approx(syllables, abs=0.5)


def test_louder_faster_more_varied_speech_reads_as_more_tense() -> None:
    calm = analyse_voice(_speech(120, 0.03, 3), RATE)
    tense = analyse_voice(_speech(220, 0.4, 6, vibrato=4), RATE)
    assert calm.loudness_dbfs is not None and tense.loudness_dbfs is not None
    assert tense.loudness_dbfs > calm.loudness_dbfs + 15
    assert tense.pitch_spread_semitones is not None and tense.pitch_spread_semitones > 2
    assert calm.arousal is not None and tense.arousal is not None
    assert calm.arousal < 0.35 < 0.65 < tense.arousal
    assert (calm.label, tense.label) == ("calm", "tense")


def test_silence_and_noise_give_no_reading() -> None:
    for signal in (np.zeros(RATE * 3), np.random.default_rng(1).normal(0, 0.1, RATE * 3)):
        tone = analyse_voice(signal, RATE)
        assert tone.arousal is None and tone.label == "not enough speech yet"
    assert analyse_voice(np.zeros(10), RATE).pitch_hz is None


def test_the_buffer_keeps_only_the_last_seconds() -> None:
    buffer = VoiceBuffer(seconds=2.0)
    speech = _speech(150, 0.2, 4)
    for start in range(0, len(speech), 1_600):
        buffer.feed(speech[start : start + 1_600], RATE)
    tone = buffer.tone()
    assert tone.seconds == pytest.approx(2.0, abs=0.11)
    assert tone.pitch_hz == pytest.approx(150, rel=0.05)
    buffer.clear()
    assert buffer.tone().seconds == 0
