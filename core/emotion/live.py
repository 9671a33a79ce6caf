"""The live emotion hint: frames in, a smoothed reading out, never blocking the video.

The WebRTC frame callback calls `submit` (it only keeps a reference to the newest frame) and
`annotate` (draws the latest result); a worker thread analyses the newest frame at a bounded
rate. Nothing here touches Streamlit, and no frame is kept beyond the next one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import cv2
import numpy as np
from numpy.typing import NDArray

from core.emotion import EMOTIONS
from core.emotion.faces import DARK_FRAME_LEVEL, Box, brightness
from core.ports import EmotionModel, EmotionModelError, EmotionReading

log = logging.getLogger(__name__)

Hint = Literal["starting", "ok", "no_face", "several_faces", "too_dark", "unavailable"]

HINT_TEXT: dict[Hint, str] = {
    "starting": "Getting ready… press Start and look towards the camera. The first time, the "
    "emotion model takes a few seconds to load.",
    "ok": "Reading your expression.",
    "no_face": "No face found: look towards the camera, with your face in the frame.",
    "several_faces": "More than one face: the hint follows the largest one.",
    "too_dark": "It is too dark to see your face: turn towards a light.",
    "unavailable": "The emotion hint is off on this server; you can still check in by hand.",
}


@dataclass(frozen=True, slots=True)
class LiveState:
    """What the page shows beside the video: the smoothed hint and how sure it is."""

    hint: Hint
    scores: dict[str, float] | None = None
    box: Box | None = None
    analyses: int = 0

    @property
    def dominant(self) -> str | None:
        """The most likely emotion of the smoothed reading."""
        return max(self.scores, key=self.scores.__getitem__) if self.scores else None

    @property
    def confidence(self) -> float:
        """The smoothed probability of the dominant emotion (0 when there is no reading)."""
        return max(self.scores.values()) if self.scores else 0.0

    @property
    def message(self) -> str:
        """The hint in words."""
        return HINT_TEXT[self.hint]


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """What a saved check-in keeps of a live session: no frame, only these numbers."""

    duration_seconds: int
    analyses: int
    dominant: str | None
    average: dict[str, float] | None


@dataclass
class _Readings:
    recent: deque[tuple[float, dict[str, float]]] = field(default_factory=deque)
    totals: NDArray[np.float64] = field(default_factory=lambda: np.zeros(len(EMOTIONS)))
    count: int = 0
    last_face_at: float | None = None


# A face the detector misses in one frame (a turn of the head, motion blur) should not make the
# reading flicker to "no face": the last reading stands this long before the hint changes.
MISSED_FACE_GRACE_SECONDS = 1.5


class LiveAnalyzer:
    """Analyses the newest submitted frame at most `rate_hz` times a second on its own thread."""

    def __init__(
        self,
        model: Callable[[], EmotionModel],
        *,
        rate_hz: float = 4.0,
        smoothing_seconds: float = 3.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate_hz <= 0:
            raise ValueError("rate_hz must be positive")
        self._model = model
        self._interval = 1.0 / rate_hz
        self._window = smoothing_seconds
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._frame_ready = threading.Event()
        self._stopped = threading.Event()
        self._frame: NDArray[np.uint8] | None = None
        self._state = LiveState("starting")
        self._readings = _Readings()
        self._started_at = monotonic()
        self._thread: threading.Thread | None = None

    # -- the frame callback's side (must stay cheap) ---------------------------------------

    def submit(self, frame: NDArray[np.uint8]) -> None:
        """Offer the newest frame; an older one not yet analysed is dropped."""
        with self._lock:
            self._frame = frame
        self._frame_ready.set()
        if self._thread is None:
            self.start()

    def annotate(self, frame: NDArray[np.uint8]) -> NDArray[np.uint8]:
        """The frame with the latest face box and label drawn on it (a copy)."""
        state = self.state()
        if state.box is None or state.dominant is None:
            return frame
        x, y, w, h = state.box
        out = frame.copy()
        colour = (180, 200, 120)  # a soft teal in BGR
        cv2.rectangle(out, (x, y), (x + w, y + h), colour, 2)
        label = f"{state.dominant} {state.confidence:.0%}"
        cv2.putText(out, label, (x, max(20, y - 8)), cv2.FONT_HERSHEY_SIMPLEX, 0.7, colour, 2)
        return out

    # -- the page's side -------------------------------------------------------------------

    def state(self) -> LiveState:
        """The latest smoothed reading and hint."""
        with self._lock:
            return self._state

    def summary(self) -> SessionSummary:
        """Duration, number of analyses, and the distribution averaged over the session."""
        with self._lock:
            count, totals = self._readings.count, self._readings.totals.copy()
        duration = int(round(self._monotonic() - self._started_at))
        if count == 0:
            return SessionSummary(duration, 0, None, None)
        average = {label: float(v) for label, v in zip(EMOTIONS, totals / count, strict=True)}
        return SessionSummary(duration, count, max(average, key=average.__getitem__), average)

    def start(self) -> None:
        """Start the worker thread (idempotent)."""
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name="emotion-live", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop the worker thread and drop the last frame."""
        self._stopped.set()
        self._frame_ready.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        with self._lock:
            self._frame = None

    # -- the worker thread -----------------------------------------------------------------

    def _run(self) -> None:
        self._load_model()
        while not self._stopped.is_set():
            if not self._frame_ready.wait(timeout=0.5):
                continue
            self._frame_ready.clear()
            with self._lock:
                frame, self._frame = self._frame, None
            if frame is None or self._stopped.is_set():
                continue
            began = self._monotonic()
            self.analyse_now(frame)
            # Bounded rate: the model never runs more than rate_hz times a second.
            self._stopped.wait(max(0.0, self._interval - (self._monotonic() - began)))

    def _load_model(self) -> None:
        """Load the model before the first frame (slow the first time in a process), so the
        video never waits on it and the hint is ready as soon as frames arrive."""
        try:
            self._model().analyse(np.zeros((8, 8, 3), np.uint8))  # no face: loads, finds none
        except EmotionModelError:
            self._set(LiveState("unavailable"))
        except Exception:
            log.exception("emotion model failed to load")
            self._set(LiveState("unavailable"))

    def analyse_now(self, frame: NDArray[np.uint8]) -> LiveState:
        """Analyse one frame on the calling thread and update the state (the worker's step)."""
        if brightness(frame) < DARK_FRAME_LEVEL:
            return self._face_missing("too_dark")
        try:
            readings = self._model().analyse(frame)
        except EmotionModelError:
            return self._set(LiveState("unavailable"))
        except Exception:  # never let one bad frame end the session
            log.exception("emotion analysis failed on a frame")
            return self._set(LiveState("unavailable"))
        if not readings:
            return self._face_missing("no_face")
        return self._set(self._smoothed(readings))

    def _face_missing(self, hint: Hint) -> LiveState:
        """No face in this frame: keep the last reading for a moment, then say why."""
        with self._lock:
            last_face_at, count, current = (
                self._readings.last_face_at,
                self._readings.count,
                self._state,
            )
        if (
            last_face_at is not None
            and self._monotonic() - last_face_at < MISSED_FACE_GRACE_SECONDS
        ):
            return current
        return self._set(LiveState(hint, analyses=count))

    def _smoothed(self, readings: list[EmotionReading]) -> LiveState:
        now = self._monotonic()
        face = readings[0]
        with self._lock:
            data = self._readings
            data.recent.append((now, face.scores))
            while data.recent and now - data.recent[0][0] > self._window:
                data.recent.popleft()
            data.totals += np.array([face.scores.get(label, 0.0) for label in EMOTIONS])
            data.count += 1
            data.last_face_at = now
            count = data.count
            mean = np.mean([[s.get(label, 0.0) for label in EMOTIONS] for _, s in data.recent], 0)
        scores = {label: float(v) for label, v in zip(EMOTIONS, mean, strict=True)}
        hint: Hint = "several_faces" if len(readings) > 1 else "ok"
        return LiveState(hint, scores=scores, box=face.box, analyses=count)

    def _set(self, state: LiveState) -> LiveState:
        with self._lock:
            self._state = state
        return state
