"""The Mood page's server-side run for a long history: median ≤ 0.5 s (issue #7).

Usage: .venv/bin/python bench/mood_page_bench.py [--runs 9]

One person with ≈ 5 years of daily mood entries (1,800; plus 1,000 journal entries and 100
screenings, bench/_history.py) on SQLite, logged in through Home.py in Streamlit's AppTest (the
real page: login check, the log form, the statistics, five Plotly charts, insights, the recent
entries). The page is run once to warm up, then `--runs` times; the median is printed against
the 0.5 s target, for the default range (90 days) and for "All" (every entry). As a baseline
measured in the same run: the same page for a person with no entries, which is the cost of
Home.py and the page's frame without any mood data.
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 0.5


def _environment(folder: Path) -> None:
    os.environ.update(
        {
            "APP_ENV": "test",
            "RUNTIME_DIR": str(folder / "var"),
            "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
            "MASTER_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "COOKIE_KEY": secrets.token_urlsafe(48),
            "BCRYPT_ROUNDS": "4",
            "LOG_LEVEL": "ERROR",
            "OLLAMA_WARM_UP": "false",
            "KNOWLEDGE_WARM_UP": "false",
            "OLLAMA_HOST": "http://127.0.0.1:9",
            "HF_HUB_OFFLINE": "1",
        }
    )


def _timed_runs(at: object, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        at.run()  # type: ignore[attr-defined]
        times.append(time.perf_counter() - started)
        assert not at.exception, at.exception  # type: ignore[attr-defined]
    return times


def main() -> int:
    """Build the history, time the page, print the medians against the target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        _environment(Path(folder))
        # Imported after the environment is set: the app reads it once.
        import streamlit.testing.v1.app_test as app_test_module
        from streamlit.testing.v1 import AppTest

        from bench._history import ENTRIES, MOODS, SCREENINGS, fill_history
        from core.adapters.ollama import ollama_from_settings
        from tests.factories import GOOD_PASSWORD, make_user
        from tests.fakes.adapters import fake_adapters
        from tests.ui.conftest import _NavigationPagesManager, log_in
        from ui.runtime import get_app, use_adapters

        app_test_module.PagesManager = _NavigationPagesManager  # type: ignore[misc]
        use_adapters(lambda settings: fake_adapters(settings, llm=ollama_from_settings(settings)))
        app = get_app()
        person = make_user(app, "bench")
        make_user(app, "empty")  # the baseline: the same page with no entries
        fill_history(app, person.id)

        def page(username: str) -> AppTest:
            at = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=60)
            at = log_in(at.run(), username, GOOD_PASSWORD)
            at = at.switch_page("pages/mood.py").run()
            assert not at.exception, at.exception
            return at

        at = page("bench")
        default = _timed_runs(at, args.runs)
        charts = len(at.get("plotly_chart"))
        at.segmented_control(key="mood_view_range").set_value("All").run()
        every = _timed_runs(at, args.runs)
        baseline = _timed_runs(page("empty"), args.runs)
        app.engine.dispose()
    median, median_all, base = (statistics.median(t) for t in (default, every, baseline))
    print(f"history: {MOODS} mood, {ENTRIES} journal, {SCREENINGS} screenings; {charts} charts")
    for label, value, times in (
        ("Mood page, last 90 days (default)", median, default),
        ("Mood page, all 5 years", median_all, every),
    ):
        verdict = "OK" if value <= TARGET_SECONDS else "OVER"
        print(
            f"{label}: median {value * 1000:.0f} ms, best {min(times) * 1000:.0f} ms; "
            f"target {TARGET_SECONDS * 1000:.0f} ms: {verdict} ({value / TARGET_SECONDS:.2f}x)"
        )
    print(
        f"baseline (the same page, no entries): median {base * 1000:.0f} ms; "
        f"long history / baseline = {median / base:.1f}x"
    )
    return 0 if max(median, median_all) <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
