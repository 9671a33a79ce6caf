"""Test weights for DeepFace's real emotion model, made here, so the pipeline runs offline.

The model is DeepFace's own architecture (`deepface.models.demography.pytorch.Emotion`); its
weights are random with a fixed seed, so readings are meaningless but shaped like real ones.
A drawn face (`drawn_face`) is what the shipped detector finds in tests and in the fake camera.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from core.emotion import weights_path


def install_test_weights(deepface_home: Path, seed: int = 7) -> Path:
    """Build DeepFace's emotion model, save seeded random weights where DeepFace looks."""
    import torch
    from deepface.models.demography.pytorch.Emotion import base_model

    torch.manual_seed(seed)
    path = weights_path(deepface_home)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(base_model().state_dict(), path)
    return path


def drawn_face(
    width: int = 640, height: int = 480, centre: tuple[int, int] | None = None, scale: float = 1.0
) -> NDArray[np.uint8]:
    """A BGR frame with a simple drawn face (oval, eyes, brows, nose, smile) on a plain wall."""
    cx, cy = centre or (width // 2, height // 2)
    img = np.full((height, width, 3), (90, 110, 120), np.uint8)

    def at(dx: float, dy: float) -> tuple[int, int]:
        return cx + int(dx * scale), cy + int(dy * scale)

    def size(n: float) -> int:
        return max(1, int(n * scale))

    cv2.ellipse(img, (cx, cy), (size(85), size(110)), 0, 0, 360, (140, 170, 215), -1)
    img = cv2.GaussianBlur(img, (0, 0), 3)
    for side in (-35, 35):
        cv2.ellipse(img, at(side, -25), (size(22), size(10)), 0, 0, 360, (245, 245, 245), -1)
        cv2.circle(img, at(side, -25), size(8), (40, 30, 30), -1)
        cv2.line(img, at(side - 22, -48), at(side + 22, -50), (50, 60, 80), size(6))
    cv2.line(img, at(0, -15), at(-8, 25), (110, 130, 170), size(4))
    cv2.ellipse(img, at(0, 50), (size(30), size(12)), 0, 0, 180, (60, 60, 150), size(5))
    return np.asarray(cv2.GaussianBlur(img, (0, 0), 1.5), dtype=np.uint8)
