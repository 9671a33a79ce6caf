"""Breathing rate from the sound of breath: an envelope, then its strongest rhythm.

Only the envelope is kept: `BreathRateMeter.feed` turns each piece of microphone audio into one
loudness value per 50 ms at once and drops the samples, so no audio is stored or logged. The
rate is the lag of the highest autocorrelation peak of the last minute of envelope, between
4 and 20 breaths a minute (3-15 s), refined by parabolic interpolation. Breath is louder out
than in, so a whole breath (in and out) repeats more strongly than a half one.
"""

from __future__ import annotations

import threading
from collections import deque

import numpy as np
from numpy.typing import NDArray
from scipy.ndimage import uniform_filter1d
from scipy.signal import find_peaks

HOP_SECONDS = 0.05  # one envelope value per 50 ms: 20 Hz, plenty for a 0.33 Hz rhythm
WINDOW_SECONDS = 60.0
MIN_BPM, MAX_BPM = 4.0, 20.0
MIN_CLARITY = 0.25  # a weaker rhythm than this is noise, not breathing
Samples = NDArray[np.floating]


def envelope(samples: Samples, rate: int) -> NDArray[np.float64]:
    """RMS loudness of `samples` (mono) per 50 ms."""
    frame = max(1, int(rate * HOP_SECONDS))
    whole = len(samples) // frame * frame
    blocks = np.asarray(samples[:whole], dtype=np.float64).reshape(-1, frame)
    loudness: NDArray[np.float64] = np.sqrt(np.mean(blocks**2, axis=1))
    return loudness


def rate_from_envelope(values: NDArray[np.float64], hop: float = HOP_SECONDS) -> float | None:
    """Breaths a minute of an envelope sampled every `hop` s; None without a clear rhythm.

    Needs at least two of the slowest breaths it looks for, or two of the rhythm it finds.
    """
    if len(values) * hop < 2 * 60 / MAX_BPM:
        return None
    smooth = uniform_filter1d(np.log(values + 1e-9), size=max(1, int(0.3 / hop)))
    centred = smooth - smooth.mean()
    size = 1 << int(np.ceil(np.log2(2 * len(centred))))
    spectrum = np.fft.rfft(centred, size)
    acf = np.fft.irfft(spectrum * np.conj(spectrum), size)[: len(centred)]
    if acf[0] <= 0:
        return None
    acf = acf / acf[0]  # biased: a multiple of the true lag never outscores it
    low = int(60 / MAX_BPM / hop * 0.9)
    high = min(int(60 / MIN_BPM / hop * 1.1), len(acf) // 2)  # a margin: a peak isn't an edge
    if high <= low + 2:
        return None
    peaks, _ = find_peaks(acf[low : high + 1])
    if len(peaks) == 0:
        return None
    best = int(peaks[np.argmax(acf[low + peaks])]) + low
    if acf[best] < MIN_CLARITY:
        return None
    lag = best + _parabola(float(acf[best - 1]), float(acf[best]), float(acf[best + 1]))
    return float(60 / (lag * hop))


def _parabola(left: float, middle: float, right: float) -> float:
    bend = left - 2 * middle + right
    return 0.0 if bend == 0 else 0.5 * (left - right) / bend


def breaths_per_minute(samples: Samples, rate: int) -> float | None:
    """Breaths a minute in a recording (mono samples at `rate` Hz); None without a rhythm."""
    return rate_from_envelope(envelope(samples, rate))


class BreathRateMeter:
    """A live estimate from microphone audio; keeps only the last minute of envelope.

    Thread-safe: a WebRTC audio callback feeds it, the page reads it.
    """

    def __init__(self, window_seconds: float = WINDOW_SECONDS) -> None:
        self._values: deque[float] = deque(maxlen=int(window_seconds / HOP_SECONDS))
        self._carry = np.zeros(0)
        self._rate = 0
        self._lock = threading.Lock()

    def feed(self, samples: Samples, rate: int) -> None:
        """Add a piece of mono audio; its samples are reduced to loudness and dropped."""
        with self._lock:
            if rate != self._rate:
                self._carry, self._rate = np.zeros(0), rate
            joined = np.concatenate([self._carry, np.asarray(samples, dtype=np.float64)])
            frame = max(1, int(rate * HOP_SECONDS))
            whole = len(joined) // frame * frame
            self._values.extend(envelope(joined[:whole], rate).tolist())
            self._carry = joined[whole:]

    @property
    def seconds(self) -> float:
        """How much breathing the estimate is based on."""
        with self._lock:
            return len(self._values) * HOP_SECONDS

    def estimate(self) -> float | None:
        """Breaths a minute over the last minute; None until a rhythm is clear."""
        with self._lock:
            values = np.array(self._values)
        return rate_from_envelope(values) if len(values) else None
