"""Finding faces in a video frame offline: OpenCV's Haar cascade, shipped with the project."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from core.emotion import FACE_CASCADE_FILE

Box = tuple[int, int, int, int]  # x, y, width, height

# Below this mean brightness (0-255) a face can't be read reliably: the page asks for light.
DARK_FRAME_LEVEL = 40.0


class FaceDetector:
    """Frontal faces in BGR frames; loaded once, safe to call from one worker thread."""

    def __init__(self, cascade_file: Path = FACE_CASCADE_FILE, min_face: int = 60) -> None:
        self._cascade = cv2.CascadeClassifier(str(cascade_file))
        if self._cascade.empty():
            raise FileNotFoundError(f"face detector file missing or unreadable: {cascade_file}")
        self._min_face = min_face

    def find(self, frame: NDArray[np.uint8]) -> list[Box]:
        """The faces in `frame`, largest first."""
        grey = cv2.equalizeHist(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY))
        found = self._cascade.detectMultiScale(
            grey, scaleFactor=1.1, minNeighbors=4, minSize=(self._min_face, self._min_face)
        )
        boxes = [(int(x), int(y), int(w), int(h)) for x, y, w, h in found]
        return sorted(boxes, key=lambda box: box[2] * box[3], reverse=True)


def brightness(frame: NDArray[np.uint8]) -> float:
    """Mean brightness of the frame, 0 (black) to 255, on a cheap subsample."""
    return float(cv2.cvtColor(frame[::4, ::4], cv2.COLOR_BGR2GRAY).mean())


def crop(frame: NDArray[np.uint8], box: Box, margin: float = 0.1) -> NDArray[np.uint8]:
    """The face with a small margin, clipped to the frame."""
    x, y, w, h = box
    pad_x, pad_y = int(w * margin), int(h * margin)
    top, left = max(0, y - pad_y), max(0, x - pad_x)
    bottom = min(frame.shape[0], y + h + pad_y)
    right = min(frame.shape[1], x + w + pad_x)
    return frame[top:bottom, left:right]
