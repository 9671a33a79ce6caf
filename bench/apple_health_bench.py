"""Apple Health import: parse rate and peak memory on a large synthetic export.

Usage (from the repo root):

    .venv/bin/python bench/apple_health_bench.py            # 200 MB export
    .venv/bin/python bench/apple_health_bench.py --mb 20    # quick run

Writes a synthetic `export.xml` the size asked (a DTD internal subset like Apple's, step-count
and heart-rate records as most of the bulk, and three years of nights of sleep-analysis records
with old and new stage values), then parses it with the app's importer
(`core.sleep.importers.apple_health_nights`). Prints the parse rate in MB/s and the peak resident
memory above the process baseline measured just before parsing (sampled every 5 ms), against
the 150 MB limit of issue #8.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.sleep.importers import apple_health_nights  # noqa: E402
from tests.factories import write_apple_health_export  # noqa: E402

LIMIT_MB = 150.0


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    """Write, parse, print the figures; exit 1 if the memory limit is broken."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="size of the synthetic export")
    size = parser.parse_args().mb
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xml"
        nights = write_apple_health_export(path, size)
        megabytes = path.stat().st_size / 1_000_000
        baseline, peak, done = _rss_mb(), [0.0], threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _rss_mb())
                time.sleep(0.005)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        began = time.perf_counter()
        with path.open("rb") as source:
            found = apple_health_nights(source, "Europe/London")
        elapsed = time.perf_counter() - began
        done.set()
        sampler.join()
    above = max(0.0, peak[0] - baseline)
    print(f"export: {megabytes:.1f} MB, {nights} nights written, {len(found)} nights parsed")
    print(f"parse: {elapsed:.1f} s, {megabytes / elapsed:.1f} MB/s")
    print(f"RSS: baseline {baseline:.1f} MB, peak {peak[0]:.1f} MB, above baseline {above:.1f} MB")
    verdict = "within" if above < LIMIT_MB else "OVER"
    print(f"peak above baseline / limit: {above:.1f} / {LIMIT_MB:.0f} MB "
          f"= {above / LIMIT_MB:.2f} ({verdict} the limit)")  # fmt: skip
    return 0 if above < LIMIT_MB else 1


if __name__ == "__main__":
    sys.exit(main())
