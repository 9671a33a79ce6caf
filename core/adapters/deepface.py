"""The `EmotionModel` port on DeepFace's facial-expression model (PyTorch engine), offline.

Faces are found by the project's shipped detector; each face crop goes to DeepFace with
detection skipped (`detector_backend="skip"`), so DeepFace never fetches a detector's weights.
The emotion model's weights must already be under `DEEPFACE_HOME` (see `core.emotion`); when
they are missing this adapter says so instead of letting DeepFace download at run time.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.emotion import EMOTIONS, weights_status
from core.emotion.faces import FaceDetector, crop
from core.lazy import keep_for_good
from core.ports import EmotionModelError, EmotionReading

log = logging.getLogger(__name__)

# DeepFace picks its engine from what is installed; pinning it means a later TensorFlow install
# can't switch the model (and its weights file) silently.
ENGINE = "pytorch"


class DeepFaceEmotionModel:
    """DeepFace's emotion classifier over the faces the shipped detector finds."""

    def __init__(self, deepface_home: Path, detector: FaceDetector | None = None) -> None:
        self._home = deepface_home
        self._detector = detector or FaceDetector()
        self._lock = threading.Lock()
        self._deepface: Any = None

    def _load(self) -> Any:
        """Import DeepFace with its home and engine pinned, and build the model once."""
        with self._lock:
            if self._deepface is not None:
                return self._deepface
            status = weights_status(self._home)
            if not status.ready:
                raise EmotionModelError(status.advice)
            # DeepFace reads both from the environment (its only configuration channel). The home
            # is needed only while the model is built and is put back after, so this process's
            # own settings (which read DEEPFACE_HOME too) never see another value.
            previous_home = os.environ.get("DEEPFACE_HOME")
            os.environ["DEEPFACE_HOME"] = str(self._home)
            os.environ["DEEPFACE_BACKEND_ENGINE"] = ENGINE
            began = time.perf_counter()
            try:
                _check_weights(status.path)
                from deepface import DeepFace

                # DeepFace keeps built models in a process-wide cache: built once per process.
                DeepFace.build_model(task="facial_attribute", model_name="Emotion")
            except Exception as exc:  # an unreadable weights file, a broken install
                log.warning("emotion model failed to load: %s", type(exc).__name__)
                raise EmotionModelError(
                    "The emotion model could not be loaded; its weights file may be damaged. "
                    f"Reinstall it with `python -m core.emotion install-weights` ({status.path})."
                ) from exc
            finally:
                if previous_home is None:
                    os.environ.pop("DEEPFACE_HOME", None)
                else:
                    os.environ["DEEPFACE_HOME"] = previous_home
            log.info("emotion model loaded in %.1f s", time.perf_counter() - began)
            keep_for_good()
            self._deepface = DeepFace
            return DeepFace

    def warm_up(self) -> None:
        """Load the model now (once per process) instead of on the first frame."""
        self._load()

    def analyse(self, frame: NDArray[np.uint8]) -> list[EmotionReading]:
        """One reading per face in a BGR frame, largest face first; [] when there is none."""
        deepface = self._load()
        readings = []
        for box in self._detector.find(frame):
            try:
                result = deepface.analyze(
                    img_path=crop(frame, box),
                    actions=["emotion"],
                    detector_backend="skip",
                    enforce_detection=False,
                    silent=True,
                )
            except Exception as exc:
                raise EmotionModelError("the emotion model failed on a frame") from exc
            readings.append(EmotionReading(scores=_probabilities(result[0]["emotion"]), box=box))
        return readings


def _check_weights(path: Path) -> None:
    """Refuse a weights file that is not the emotion model's (damaged, truncated, another one).

    Loaded as plain tensors only (`weights_only`), so a crafted file can't run code.
    """
    import torch
    from deepface.models.demography.pytorch.Emotion import base_model

    state = torch.load(path, map_location="cpu", weights_only=True)
    expected = base_model().state_dict()
    if not isinstance(state, dict) or set(state) != set(expected):
        raise ValueError("not the emotion model's weights")
    if any(state[name].shape != tensor.shape for name, tensor in expected.items()):
        raise ValueError("weights of the wrong shape")


def _probabilities(percentages: dict[str, Any]) -> dict[str, float]:
    """DeepFace's percentages as probabilities over the seven labels, summing to 1."""
    values = np.array([float(percentages.get(label, 0.0)) for label in EMOTIONS])
    total = float(values.sum())
    if total <= 0 or not np.isfinite(total):
        return dict.fromkeys(EMOTIONS, 1 / len(EMOTIONS))
    return {label: float(value / total) for label, value in zip(EMOTIONS, values, strict=True)}
