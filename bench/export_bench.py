"""The full data export for a long history: ≤ 1 s (issue #7).

Usage: .venv/bin/python bench/export_bench.py [--runs 7]

One person with 1,800 mood entries, 1,000 journal entries and 100 screenings (bench/_history.py)
on SQLite. Prints the median and best of `--runs` exports of the whole zip (wall clock, and CPU
time, which is what the export costs when other processes share the cores), and as the baseline,
measured in the same run, reading the same rows through the store without decrypting or writing
CSV: the ratio is what decryption, CSV and zip add.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._history import ENTRIES, MOODS, SCREENINGS, fill_history, timed  # noqa: E402
from core.export import exported_tables  # noqa: E402
from tests.conftest import build_app, make_settings  # noqa: E402
from tests.factories import make_user  # noqa: E402

TARGET_SECONDS = 1.0


def main() -> int:
    """Build the history, time the export and the baseline, print both."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(make_settings(Path(folder)))
        user = make_user(app, "bench")
        fill_history(app, user.id)
        tables = exported_tables()

        def read_only() -> None:
            with app.store.unit(user.id) as unit:
                for table in tables:
                    unit.every(table.model, owner_column=table.owner, order_by=table.order_by)

        export, export_cpu = timed(lambda: app.export.archive(user_id=user.id), args.runs)
        baseline, _ = timed(read_only, args.runs)
        data = app.export.archive(user_id=user.id)
        rows = sum(
            len(zipfile.ZipFile(io.BytesIO(data)).read(name).splitlines()) - 1
            for name in zipfile.ZipFile(io.BytesIO(data)).namelist()
            if name.endswith(".csv")
        )
        app.engine.dispose()
    median, base = statistics.median(export), statistics.median(baseline)
    print(f"history: {MOODS} mood, {ENTRIES} journal, {SCREENINGS} screenings; {rows} CSV rows")
    verdict = "OK" if median <= TARGET_SECONDS else "OVER"
    cpu = statistics.median(export_cpu)
    print(
        f"export zip: median {median * 1000:.0f} ms, best {min(export) * 1000:.0f} ms "
        f"({len(data):,} bytes); target {TARGET_SECONDS * 1000:.0f} ms: {verdict} "
        f"({median / TARGET_SECONDS:.2f}x the target)"
    )
    print(f"export CPU time: median {cpu * 1000:.0f} ms (load average {os.getloadavg()[0]:.1f})")
    print(
        f"baseline (the same rows read through the store, no decryption or CSV): median "
        f"{base * 1000:.0f} ms; export / baseline = {median / base:.1f}x"
    )
    return 0 if median <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
