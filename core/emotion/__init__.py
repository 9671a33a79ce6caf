"""The webcam emotion check-in's model side: labels, the weights on disk, and what to say when
they are missing.

DeepFace's facial-expression model (a small CNN trained on FER2013, about 57% accurate there) is
a hint, never a measurement and never a risk signal: the page shows it with its confidence and
the person corrects it. Its weights are not shipped; `python -m core.emotion install-weights`
fetches them on a machine with internet, into `DEEPFACE_HOME`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# DeepFace's seven labels, in its own order.
EMOTIONS: tuple[str, ...] = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")

WEIGHTS_FILE = "facial_expression_model_weights.pth"
INSTALL_COMMAND = "python -m core.emotion install-weights"
# Shipped with the project (OpenCV's frontal-face Haar cascade, Intel licence in the file), so
# face detection works offline whatever the installed OpenCV wheel carries.
FACE_CASCADE = Path(__file__).resolve().parent.parent.parent / "data" / "models"
FACE_CASCADE_FILE = FACE_CASCADE / "haarcascade_frontalface_default.xml"


def weights_path(deepface_home: Path) -> Path:
    """Where DeepFace looks for the emotion model's weights under `deepface_home`."""
    return deepface_home / ".deepface" / "weights" / WEIGHTS_FILE


@dataclass(frozen=True, slots=True)
class WeightsStatus:
    """Whether the emotion model can run, and if not, what a person can do about it."""

    ready: bool
    path: Path
    advice: str


def weights_status(deepface_home: Path) -> WeightsStatus:
    """Check for the weights file without loading anything."""
    path = weights_path(deepface_home)
    if path.is_file() and path.stat().st_size > 0:
        return WeightsStatus(True, path, "")
    advice = (
        "The emotion model's weights are not installed on this server, so the live emotion "
        "hint is off. You can still save a check-in by hand below. To turn the hint on, an "
        f"administrator runs `{INSTALL_COMMAND}` once on a machine with internet access "
        f"(it saves the file to {path})."
    )
    return WeightsStatus(False, path, advice)
