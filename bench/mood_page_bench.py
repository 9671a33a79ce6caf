"""The Mood page's server-side run for a long history: median ≤ 0.5 s (issue #7).

Usage: .venv/bin/python bench/mood_page_bench.py [--runs 9]

One person with ≈ 5 years of daily mood entries (1,800; plus 1,000 journal entries and 100
screenings, bench/_history.py) on SQLite, logged in through Home.py in Streamlit's AppTest (the
real page: login check, the log form, the statistics, five Plotly charts, insights, the recent
entries). The page is run once to warm up, then `--runs` times; the median is printed against
the 0.5 s target, for the default range (90 days) and for "All" (every entry), with CPU time.
As a baseline measured in the same run: the same page for a person with no entries, which is the
cost of Home.py and the page's frame without any mood data.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._history import (  # noqa: E402
    ENTRIES,
    MOODS,
    SCREENINGS,
    page_bench,
    rerun,
    timed,
    verdict,
)

TARGET_SECONDS = 0.5


def main() -> int:
    """Build the history, time the page, print the medians against the target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with page_bench("pages/mood.py") as (_app, open_page):
        at = open_page("bench")
        default, default_cpu = timed(rerun(at), args.runs)
        charts = len(at.get("plotly_chart"))
        at.segmented_control(key="mood_view_range").set_value("All").run()
        every, every_cpu = timed(rerun(at), args.runs)
        baseline, _ = timed(rerun(open_page("empty")), args.runs)
    print(f"history: {MOODS} mood, {ENTRIES} journal, {SCREENINGS} screenings; {charts} charts")
    print(verdict("Mood page, last 90 days (default)", default, TARGET_SECONDS))
    print(verdict("Mood page, all 5 years", every, TARGET_SECONDS))
    print(
        f"CPU time: median {statistics.median(default_cpu) * 1000:.0f} ms (90 days), "
        f"{statistics.median(every_cpu) * 1000:.0f} ms (all); load {os.getloadavg()[0]:.1f}"
    )
    median, base = statistics.median(default), statistics.median(baseline)
    print(
        f"baseline (the same page, no entries): median {base * 1000:.0f} ms; "
        f"long history / baseline = {median / base:.1f}x"
    )
    return 0 if max(median, statistics.median(every)) <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
