"""Voice tone over the last few seconds: loudness, pitch level and variability, speaking rate,
and an estimate of arousal (calm ↔ tense). Tone, not a diagnosis; nothing is stored unless the
person saves it with a check-in, and the audio itself never is.

Method (documented for the UI and the README):
- loudness: RMS level of the voiced frames in dBFS;
- pitch (F0): autocorrelation per 40 ms frame (20 ms hop), searched in 75–400 Hz, a frame
  counted as voiced when its normalised autocorrelation peak exceeds 0.5; reported as the
  median F0 in Hz and its variability as the standard deviation in semitones;
- speaking rate: peaks of the smoothed intensity envelope per second, from the first voiced
  frame to the last, a simplified form of de Jong & Wempe's (2009) syllable-nuclei count;
- arousal: higher loudness, wider pitch variation and faster speech go with higher vocal
  arousal across studies (Scherer 2003; Juslin & Laukka 2003, Psychological Bulletin 129:770).
  Each cue is scaled against typical conversational speech (about -30 dBFS, 2 semitones, 4
  syllables a second) and the mean is squashed to 0 (calm) … 1 (tense). Without a recording of
  the person's own calm voice this is coarse, and the page says so.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FRAME_SECONDS = 0.04
HOP_SECONDS = 0.02
F0_MIN, F0_MAX = 75.0, 400.0
VOICING_THRESHOLD = 0.5
SILENCE_DBFS = -50.0

# Typical conversational speech, the middle of the arousal scale: (centre, spread) per cue.
LOUDNESS_REF = (-30.0, 8.0)
PITCH_SPREAD_REF = (2.0, 1.5)
RATE_REF = (4.0, 1.5)


@dataclass(frozen=True, slots=True)
class VoiceTone:
    """The voice cues of the last seconds; None where there was not enough voiced sound."""

    seconds: float
    voiced_seconds: float
    loudness_dbfs: float | None
    pitch_hz: float | None
    pitch_spread_semitones: float | None
    syllables_per_second: float | None
    arousal: float | None  # 0 calm … 1 tense

    @property
    def label(self) -> str:
        """The arousal estimate in words."""
        if self.arousal is None:
            return "not enough speech yet"
        if self.arousal < 0.35:
            return "calm"
        return "tense" if self.arousal > 0.65 else "in between"


def _frames(signal: NDArray[np.float64], rate: int) -> NDArray[np.float64]:
    size, hop = int(FRAME_SECONDS * rate), int(HOP_SECONDS * rate)
    if len(signal) < size:
        return np.empty((0, size))
    count = 1 + (len(signal) - size) // hop
    index = np.arange(size)[None, :] + hop * np.arange(count)[:, None]
    return np.asarray(signal[index], dtype=np.float64)


def _dbfs(frames: NDArray[np.float64]) -> NDArray[np.float64]:
    rms = np.sqrt(np.mean(frames**2, axis=1))
    return np.asarray(20 * np.log10(np.maximum(rms, 1e-10)), dtype=np.float64)


def _pitch(frame: NDArray[np.float64], rate: int) -> float | None:
    """F0 of one frame by normalised autocorrelation, or None when unvoiced."""
    centred = frame - frame.mean()
    energy = float(np.dot(centred, centred))
    if energy <= 0:
        return None
    corr = np.correlate(centred, centred, mode="full")[len(centred) - 1 :] / energy
    low, high = int(rate / F0_MAX), min(int(rate / F0_MIN), len(corr) - 1)
    if high <= low:
        return None
    lag = low + int(np.argmax(corr[low:high]))
    return rate / lag if corr[lag] > VOICING_THRESHOLD else None


def _squash(value: float, reference: tuple[float, float]) -> float:
    centre, spread = reference
    return max(-3.0, min(3.0, (value - centre) / spread))


def analyse_voice(signal: NDArray[np.float64], rate: int) -> VoiceTone:
    """The voice cues of a mono signal in -1..1 at `rate` samples a second."""
    seconds = len(signal) / rate if rate else 0.0
    frames = _frames(np.asarray(signal, dtype=np.float64), rate)
    if len(frames) == 0:
        return VoiceTone(seconds, 0.0, None, None, None, None, None)
    levels = _dbfs(frames)
    loud = levels > SILENCE_DBFS
    pitches = [
        _pitch(frame, rate) if is_loud else None
        for frame, is_loud in zip(frames, loud, strict=True)
    ]
    voiced = np.array([p is not None for p in pitches])
    voiced_seconds = float(voiced.sum() * HOP_SECONDS)
    if voiced_seconds < 0.5:
        return VoiceTone(seconds, voiced_seconds, None, None, None, None, None)
    f0 = np.array([p for p in pitches if p is not None])
    loudness = float(20 * np.log10(np.sqrt(np.mean(10 ** (levels[voiced] / 10)))))
    semitones = 12 * np.log2(f0 / np.median(f0))
    spread = float(np.std(semitones))
    from scipy.signal import find_peaks  # imported here: scipy.signal costs a second to load

    envelope = np.convolve(10 ** (levels / 20), np.ones(3) / 3, mode="same")
    peaks, _ = find_peaks(envelope, prominence=0.25 * float(envelope.max()), distance=5)
    voiced_at = np.flatnonzero(voiced)
    span = max(HOP_SECONDS, float((voiced_at[-1] - voiced_at[0] + 1) * HOP_SECONDS))
    rate_sps = len(peaks) / span  # speech rate: pauses between words count, silence around not
    cues = [_squash(loudness, LOUDNESS_REF), _squash(spread, PITCH_SPREAD_REF)]
    cues.append(_squash(rate_sps, RATE_REF))
    arousal = 1 / (1 + math.exp(-float(np.mean(cues))))
    return VoiceTone(
        seconds, voiced_seconds, loudness, float(np.median(f0)), spread, rate_sps, arousal
    )


class VoiceBuffer:
    """The last `seconds` of microphone audio, fed from the WebRTC audio callback."""

    def __init__(self, seconds: float = 6.0) -> None:
        self._seconds = seconds
        self._lock = threading.Lock()
        self._chunks: deque[NDArray[np.float64]] = deque()
        self._rate = 0
        self._length = 0

    def feed(self, samples: NDArray[np.float64], rate: int) -> None:
        """Add mono samples in -1..1; older audio beyond the window is dropped."""
        with self._lock:
            if rate != self._rate:
                self._chunks.clear()
                self._rate, self._length = rate, 0
            self._chunks.append(samples)
            self._length += len(samples)
            while self._chunks and self._length - len(self._chunks[0]) >= self._seconds * rate:
                self._length -= len(self._chunks.popleft())

    def tone(self) -> VoiceTone:
        """The voice cues of the audio in the window now."""
        with self._lock:
            rate = self._rate
            signal = np.concatenate(list(self._chunks)) if self._chunks else np.zeros(0)
        return analyse_voice(signal, rate or 16_000)

    def clear(self) -> None:
        """Forget every sample."""
        with self._lock:
            self._chunks.clear()
            self._length = 0
