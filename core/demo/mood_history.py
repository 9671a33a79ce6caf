"""The demo account's 120 days of mood: realistic, unremarkable, and the same every time.

A seeded random generator (`SEED`) draws each day from a gentle monthly rhythm, better weekends,
and a few habits that go with better or worse days (walks and time with friends up, late work
down), so the charts have shape and the insights have something true to say about the demo.
About one day in twelve is missed, some days are logged twice, and some entries have a note.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from core.db.models import MoodEntry
from core.mood import EMOTIONS, MoodDraft, TagBook, fill_entry
from core.store import UserUnit

SEED = 120
DAYS = 120
# (tag, kind, chance on a day, effect on the score, weekdays only)
HABITS: tuple[tuple[str, str, float, float, bool], ...] = (
    ("walk", "activity", 0.40, 0.9, False),
    ("gym", "activity", 0.20, 0.6, False),
    ("reading", "activity", 0.30, 0.3, False),
    ("cooking", "activity", 0.25, 0.2, False),
    ("work late", "activity", 0.25, -1.3, True),
    ("Sam", "people", 0.45, 0.5, False),
    ("Mum", "people", 0.12, 0.2, False),
    ("Jordan", "people", 0.10, 0.7, False),
)
_LOW = ("tired", "stressed", "anxious", "sad", "overwhelmed", "irritable", "lonely")
_MID = ("calm", "tired", "content", "bored", "stressed", "hopeful")
_HIGH = ("happy", "calm", "grateful", "content", "hopeful", "proud", "excited")
NOTES = (
    "Long day, but the walk home in the cold air helped.",
    "Slept badly. Coffee and a slow start.",
    "Dinner with Sam, we laughed a lot.",
    "Deadline moved again. Felt the tension in my shoulders all afternoon.",
    "Called Mum; she sounded well.",
    "Finished the book I started last month.",
    "Quiet Sunday. Cooked soup for the week.",
    "Presentation went better than I feared.",
    "Couldn't focus. Went to bed early.",
    "Morning run before work, felt clear-headed.",
)


def seed_mood(unit: UserUnit, now: datetime) -> None:
    """120 days of mood entries with emotions, tags and a few notes (see the module doc)."""
    rng = random.Random(SEED)
    tags = TagBook(unit)
    for days_ago in range(DAYS - 1, -1, -1):
        day = now - timedelta(days=days_ago)
        if days_ago > 2 and rng.random() < 0.08:
            continue  # a missed day (never the last three: the demo has a streak)
        habits = [habit for habit in HABITS if _happens(rng, habit, day)]
        score = _score(rng, day, days_ago, habits)
        evening = _moment(day, now, rng.randint(18, 22), rng.randint(0, 59))
        _add(unit, tags, rng, score, habits, evening)
        if rng.random() < 0.2:  # a second, morning entry now and then
            morning = _moment(day, now, rng.randint(7, 10), rng.randint(0, 59))
            _add(unit, tags, rng, max(1, min(10, score + rng.choice((-1, 0, 1)))), [], morning)


def _happens(rng: random.Random, habit: tuple[str, str, float, float, bool], day: datetime) -> bool:
    _, _, chance, _, weekdays_only = habit
    drawn = rng.random() < chance
    return drawn and not (weekdays_only and day.weekday() >= 5)


def _score(
    rng: random.Random,
    day: datetime,
    days_ago: int,
    habits: list[tuple[str, str, float, float, bool]],
) -> int:
    rhythm = 0.8 * math.sin(2 * math.pi * days_ago / 30)
    weekend = 0.6 if day.weekday() >= 5 else 0.0
    low_patch = -1.2 if 40 <= days_ago <= 48 else 0.0  # a hard week a month and a half ago
    effect = sum(habit[3] for habit in habits)
    value = 5.8 + rhythm + weekend + low_patch + effect + rng.gauss(0, 1.0)
    return max(1, min(10, round(value)))


def _moment(day: datetime, now: datetime, hour: int, minute: int) -> datetime:
    at = day.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return min(at, now - timedelta(minutes=5))


def _add(
    unit: UserUnit,
    tags: TagBook,
    rng: random.Random,
    score: int,
    habits: list[tuple[str, str, float, float, bool]],
    at: datetime,
) -> None:
    pool = _LOW if score <= 4 else _MID if score <= 6 else _HIGH
    emotions = tuple(sorted(set(rng.sample(pool, rng.randint(1, 3))), key=EMOTIONS.index))
    draft = MoodDraft(
        score=score,
        emotions=emotions,
        activities=tuple(name for name, kind, *_ in habits if kind == "activity"),
        people=tuple(name for name, kind, *_ in habits if kind == "people"),
        note=rng.choice(NOTES) if rng.random() < 0.15 else "",
    )
    row = MoodEntry(user_id=unit.user_id, score=score, logged_at=at)
    fill_entry(unit, tags, row, draft)
    unit.add(row)
