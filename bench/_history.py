"""A long history for the benchmarks: ≈ 5 years of daily mood, 1,000 journal entries and 100
screenings for one person, written through the per-user store as the app writes them; and what
the page benchmarks share (the AppTest set-up, timing, the printed verdict)."""

from __future__ import annotations

import base64
import os
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.bootstrap import App  # noqa: E402
from core.db.models import JournalEntry, MoodEntry  # noqa: E402
from core.journal import seal_entry  # noqa: E402
from core.journal_forms import KINDS  # noqa: E402
from core.safety_events import record_screening  # noqa: E402
from core.screening import save_result, score  # noqa: E402

MOODS, ENTRIES, SCREENINGS = 1_800, 1_000, 100
_WORDS = (
    "tired calm work deadline friend walk rain coffee sleep anxious hopeful tea garden meeting "
    "family evening morning quiet busy laughed worried relieved proud lonely run book music"
).split()


def _text(chance: random.Random, words: int) -> str:
    return " ".join(chance.choice(_WORDS) for _ in range(words)).capitalize() + "."


def fill_history(app: App, user_id: str, *, seed: int = 5) -> None:
    """Write the history, oldest first, ending now (a few thousand rows: about 10-20 s)."""
    chance = random.Random(seed)
    now = app.clock.now()
    with app.store.unit(user_id) as unit:
        for day in range(MOODS):
            moment = now - timedelta(days=MOODS - day, hours=chance.randrange(12))
            mood = MoodEntry(user_id=user_id, score=chance.randint(1, 10), logged_at=moment)
            mood.emotions = ",".join(chance.sample(["calm", "tired", "happy", "anxious"], 2))
            unit.seal(mood, "note_ct", _text(chance, 12) if day % 3 == 0 else None)
            unit.add(mood)
        for number in range(ENTRIES):
            written = now - timedelta(hours=(ENTRIES - number) * 26)
            entry = JournalEntry(user_id=user_id, created_at=written, updated_at=written)
            body = " ".join(_text(chance, 15) for _ in range(chance.randint(2, 8)))
            seal_entry(unit, entry, title=_text(chance, 4), body=body, kind=chance.choice(KINDS))
            unit.add(entry)
            record_screening(unit, "none", source="journal", at=written)
        for number in range(SCREENINGS):
            taken = now - timedelta(days=(SCREENINGS - number) * 14)
            answers = [chance.randint(0, 3) for _ in range(9 if number % 2 else 7)]
            answers[-1] = 0 if number % 2 else answers[-1]
            instrument = "PHQ-9" if number % 2 else "GAD-7"
            save_result(unit, score(instrument, answers), taken_at=taken)


def stamp() -> str:
    """When the run happened, for the printed report."""
    return datetime.now().isoformat(timespec="seconds")


def timed(run: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each of `runs` calls (CPU shows the work itself when other
    processes share the cores)."""
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall, cpu


def verdict(label: str, times: Sequence[float], target: float) -> str:
    """One printed line: the median and best against `target`, with the ratio."""
    median = statistics.median(times)
    word = "OK" if median <= target else "OVER"
    return (
        f"{label}: median {median * 1000:.0f} ms, best {min(times) * 1000:.0f} ms; "
        f"target {target * 1000:.0f} ms: {word} ({median / target:.2f}x)"
    )


@contextmanager
def page_bench(page: str) -> Iterator[tuple[App, Callable[[str], Any]]]:
    """An app on a fresh SQLite file with users "bench" (the long history) and "empty" (the
    baseline), and a function that logs a user in through Home.py in Streamlit's AppTest and
    opens `page` (e.g. "pages/mood.py"), giving the AppTest after its first run."""
    with tempfile.TemporaryDirectory() as folder:
        _environment(Path(folder))
        # Imported after the environment is set: the app reads it once.
        import streamlit.testing.v1.app_test as app_test_module
        from streamlit.testing.v1 import AppTest

        from core.adapters.ollama import ollama_from_settings
        from tests.factories import GOOD_PASSWORD, make_user
        from tests.fakes.adapters import fake_adapters
        from tests.ui.conftest import _NavigationPagesManager, log_in
        from ui.runtime import get_app, use_adapters

        app_test_module.PagesManager = _NavigationPagesManager  # type: ignore[misc]
        use_adapters(lambda settings: fake_adapters(settings, llm=ollama_from_settings(settings)))
        app = get_app()
        person = make_user(app, "bench")
        make_user(app, "empty")
        fill_history(app, person.id)

        def open_page(username: str) -> AppTest:
            at = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=60)
            at = log_in(at.run(), username, GOOD_PASSWORD)
            at = at.switch_page(page).run()
            assert not at.exception, at.exception
            # The journal search's one-time background warm-up (vectors of entries saved before
            # vectors existed) is not part of a page run: let it finish before timing.
            for thread in threading.enumerate():
                if thread.name == "journal-search-warm-up":
                    thread.join()
            return at

        try:
            yield app, open_page
        finally:
            app.engine.dispose()


def rerun(at: Any) -> Callable[[], None]:
    """One server-side run of an open page, failing loudly on an exception."""

    def run() -> None:
        at.run()
        assert not at.exception, at.exception

    return run


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
