"""Webcam check-in speed: one analysis, and whether analysis slows the video.

In one run, on DeepFace's real emotion model (its own architecture, with weights this bench
makes, so it runs offline; timing does not depend on the weights' values) and the shipped face
detector:

- per-analysis latency (detection + classification of a 640×480 frame with one face), median
  and p95;
- the delivered frame rate of a 640×480 stream at 15 fps through the same frame callback the
  page uses (decode to an array, hand to the analyzer, draw the latest box, encode back), with
  the analyzer on (at EMOTION_ANALYSES_PER_SECOND, default 4) and off, and their ratio.
  Goal: with analysis on, video stays at >= 90% of its frame rate.

    .venv/bin/python bench/emotion_bench.py [--seconds 10] [--rate 4]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.adapters.deepface import DeepFaceEmotionModel  # noqa: E402
from core.emotion.live import LiveAnalyzer  # noqa: E402
from tests.emotion_weights import drawn_face, install_test_weights  # noqa: E402

FPS = 15


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95)] * 1000


def analysis_latency(model: DeepFaceEmotionModel, repeats: int) -> tuple[float, float]:
    """Median and p95 milliseconds of one `analyse` call on a frame with one face."""
    frame = drawn_face()
    model.analyse(frame)
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        model.analyse(frame)
        times.append(time.perf_counter() - began)
    return _percentiles(times)


def delivered_fps(
    callback: Callable[[av.VideoFrame], av.VideoFrame], seconds: float
) -> tuple[float, float]:
    """Frames a second delivered by `callback` for a 15 fps source, and its p95 time (ms).

    A frame is delivered when the callback returns before the next frame is due; a late
    frame pushes the schedule back, as a real track would drop or delay frames.
    """
    source = [av.VideoFrame.from_ndarray(drawn_face(centre=(320 + s, 240))) for s in (-8, 0, 8)]
    interval = 1 / FPS
    delivered, durations = 0, []
    began = time.perf_counter()
    due = began
    while time.perf_counter() - began < seconds:
        start = time.perf_counter()
        callback(source[delivered % len(source)])
        durations.append(time.perf_counter() - start)
        delivered += 1
        due += interval
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        else:
            due = time.perf_counter()  # late: the next frame is due now, not in the past
    elapsed = time.perf_counter() - began
    return delivered / elapsed, _percentiles(durations)[1]


def passthrough(frame: av.VideoFrame) -> av.VideoFrame:
    """The callback's own work without analysis: decode and encode the frame."""
    image = frame.to_ndarray(format="bgr24")
    return av.VideoFrame.from_ndarray(image, format="bgr24")


def analysing(analyzer: LiveAnalyzer) -> Callable[[av.VideoFrame], av.VideoFrame]:
    """The page's callback (ui/webcam.py): hand the frame over, draw the latest reading."""

    def callback(frame: av.VideoFrame) -> av.VideoFrame:
        image = np.asarray(frame.to_ndarray(format="bgr24"), dtype=np.uint8)
        analyzer.submit(image)
        return av.VideoFrame.from_ndarray(analyzer.annotate(image), format="bgr24")

    return callback


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="stream length per run")
    parser.add_argument("--rate", type=float, default=4.0, help="analyses a second")
    parser.add_argument("--repeats", type=int, default=40, help="timed analyses")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        install_test_weights(Path(home))
        model = DeepFaceEmotionModel(Path(home))
        model.warm_up()
        median, p95 = analysis_latency(model, args.repeats)
        print(
            f"per analysis (detect + classify, 640x480, 1 face): median {median:.1f} ms, "
            f"p95 {p95:.1f} ms"
        )
        off_fps, off_p95 = delivered_fps(passthrough, args.seconds)
        analyzer = LiveAnalyzer(lambda: model, rate_hz=args.rate)
        analyzer.start()
        on_fps, on_p95 = delivered_fps(analysing(analyzer), args.seconds)
        analyses = analyzer.state().analyses
        analyzer.stop()
    print(f"stream 640x480 @ {FPS} fps, {args.seconds:.0f} s each:")
    print(f"  analysis off: {off_fps:.2f} fps delivered (callback p95 {off_p95:.1f} ms)")
    print(
        f"  analysis on:  {on_fps:.2f} fps delivered (callback p95 {on_p95:.1f} ms), "
        f"{analyses} analyses = {analyses / args.seconds:.1f}/s"
    )
    ratio = on_fps / off_fps
    print(f"  on/off ratio: {ratio:.3f} (goal >= 0.90: {'met' if ratio >= 0.9 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
