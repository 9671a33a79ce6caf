"""A long history for the benchmarks: ≈ 5 years of daily mood, 1,000 journal entries and 100
screenings for one person, written through the per-user store as the app writes them."""

from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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
