"""The real emotion pipeline offline: shipped detector + DeepFace's model with test weights."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from core.adapters.deepface import DeepFaceEmotionModel
from core.emotion import EMOTIONS, INSTALL_COMMAND, weights_status
from core.emotion.faces import FaceDetector, brightness
from core.emotion.live import LiveAnalyzer
from core.ports import EmotionModelError
from tests.emotion_weights import drawn_face, install_test_weights


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> DeepFaceEmotionModel:
    home = tmp_path_factory.mktemp("deepface")
    install_test_weights(home)
    built = DeepFaceEmotionModel(home)
    built.warm_up()
    return built


def test_shipped_detector_finds_a_drawn_face_offline() -> None:
    boxes = FaceDetector().find(drawn_face())
    assert len(boxes) == 1
    x, y, w, h = boxes[0]
    assert 180 < x + w / 2 < 460 and 120 < y + h / 2 < 360


def test_detector_finds_no_face_on_a_plain_wall_and_two_side_by_side() -> None:
    wall = np.full((480, 640, 3), 120, np.uint8)
    assert FaceDetector().find(wall) == []
    two = np.concatenate([drawn_face(320, 480, scale=0.8), drawn_face(320, 480, scale=0.8)], axis=1)
    assert len(FaceDetector().find(two)) == 2


def test_real_deepface_model_reads_a_drawn_face(model: DeepFaceEmotionModel) -> None:
    readings = model.analyse(drawn_face())
    assert len(readings) == 1
    scores = readings[0].scores
    assert tuple(scores) == EMOTIONS
    assert sum(scores.values()) == pytest.approx(1.0, abs=1e-6)
    assert all(0.0 <= v <= 1.0 for v in scores.values())
    assert readings[0].dominant in EMOTIONS
    assert readings[0].box is not None


def test_one_analysis_is_fast_enough_for_four_a_second(model: DeepFaceEmotionModel) -> None:
    frame = drawn_face()
    model.analyse(frame)
    began = time.perf_counter()
    for _ in range(3):
        model.analyse(frame)
    # Timing, not accuracy: well under the 250 ms a 4-per-second rate allows, even on a busy CI.
    assert (time.perf_counter() - began) / 3 < 1.0


def test_missing_weights_say_how_to_install_them(tmp_path: Path) -> None:
    status = weights_status(tmp_path)
    assert not status.ready and INSTALL_COMMAND in status.advice
    with pytest.raises(EmotionModelError, match="install-weights"):
        DeepFaceEmotionModel(tmp_path).analyse(drawn_face())


def test_damaged_weights_are_a_clear_error(tmp_path: Path) -> None:
    path = install_test_weights(tmp_path)
    path.write_bytes(b"not a torch file")
    with pytest.raises(EmotionModelError, match="damaged"):
        DeepFaceEmotionModel(tmp_path).warm_up()


def test_live_analyzer_smooths_and_summarises(model: DeepFaceEmotionModel) -> None:
    clock = [0.0]
    live = LiveAnalyzer(lambda: model, rate_hz=4, smoothing_seconds=3, monotonic=lambda: clock[0])
    frame = drawn_face()
    for step in range(6):
        clock[0] = step * 0.25
        state = live.analyse_now(frame)
    assert state.hint == "ok" and state.scores is not None and state.analyses == 6
    assert state.dominant in EMOTIONS and 0 < state.confidence <= 1
    annotated = live.annotate(frame)
    assert annotated.shape == frame.shape and not np.array_equal(annotated, frame)
    clock[0] = 12.0
    summary = live.summary()
    assert summary.analyses == 6 and summary.duration_seconds == 12
    assert summary.average is not None and sum(summary.average.values()) == pytest.approx(1.0)


def test_live_hints_for_darkness_no_face_and_missing_model(
    model: DeepFaceEmotionModel, tmp_path: Path
) -> None:
    live = LiveAnalyzer(lambda: model)
    dark = (drawn_face() * 0.1).astype(np.uint8)
    assert brightness(dark) < 40
    assert live.analyse_now(dark).hint == "too_dark"
    assert live.analyse_now(np.full((480, 640, 3), 120, np.uint8)).hint == "no_face"
    missing = LiveAnalyzer(lambda: DeepFaceEmotionModel(tmp_path))
    assert missing.analyse_now(drawn_face()).hint == "unavailable"


def test_a_face_missed_for_a_moment_keeps_the_reading(model: DeepFaceEmotionModel) -> None:
    clock = [0.0]
    live = LiveAnalyzer(lambda: model, monotonic=lambda: clock[0])
    face, wall = drawn_face(), np.full((480, 640, 3), 120, np.uint8)
    reading = live.analyse_now(face)
    assert reading.hint == "ok"
    clock[0] = 1.0  # one frame without the face: the reading stands, box and all
    assert live.analyse_now(wall) == reading
    clock[0] = 2.0  # still none after the grace period: now the hint says so
    missing = live.analyse_now(wall)
    assert missing.hint == "no_face" and missing.box is None and missing.analyses == 1
    clock[0] = 2.2
    assert live.analyse_now(face).hint == "ok"


def test_live_worker_thread_keeps_to_its_rate(model: DeepFaceEmotionModel) -> None:
    live = LiveAnalyzer(lambda: model, rate_hz=4)
    frame = drawn_face()
    began = time.monotonic()
    while time.monotonic() - began < 1.6:
        live.submit(frame)  # 100 frames a second offered; never blocks
        time.sleep(0.01)
    live.stop()
    # At most 4 a second (plus the first), however many frames were offered.
    assert 1 <= live.state().analyses <= 8
