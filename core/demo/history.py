"""The demo account's longer past: 120 days of journal writing and a check-in every two weeks.

Drawn by a seeded random generator (`SEED`), so every seed gives the same history moved to
today. The journal mixes free writing, gratitude and thought records, on about one day in three
(skipping the days of the hand-written entries in `core.demo.content`). PHQ-9 and GAD-7 are
taken every 14 days and ease from "moderate" to "mild" over the four months, as they might with
self-help; item 9 is always 0: the demo shows the everyday app, never a crisis.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from core.db.models import JournalEntry
from core.demo.content import JOURNAL
from core.journal import seal_entry
from core.journal_forms import Draft, ThoughtRecord, gratitude_entry, thought_record_entry
from core.safety_events import record_screening
from core.screening import GAD7, PHQ9, SELF_HARM_ITEM, Instrument, save_result, score
from core.store import UserUnit

SEED = 7
DAYS = 120
SCREEN_EVERY = 14

_OPENINGS = (
    "Work was a lot today.",
    "A slow, grey morning.",
    "Better day than yesterday.",
    "Didn't sleep much last night.",
    "Spent the evening with Sam.",
    "The week is nearly over.",
    "Rain all day, stayed in.",
    "Went for a long walk after lunch.",
)
_MIDDLES = (
    "The meeting ran over and I felt the old tightness in my chest, but it passed.",
    "I kept thinking about the deadline even while cooking.",
    "I noticed I was kinder to myself than usual about the mistake in the report.",
    "Called Mum and we talked about the garden for an hour.",
    "I managed twenty minutes of reading before bed without my phone.",
    "Felt flat in the afternoon; a cup of tea and some air helped a little.",
    "I said no to an extra project, which felt strange and also right.",
    "Laughed properly for the first time in a while.",
)
_ENDINGS = (
    "Tomorrow: one thing at a time.",
    "Going to bed early.",
    "Grateful the day is done.",
    "Small steps.",
    "I think I'm getting better at noticing.",
)
_GOOD_THINGS = (
    "Warm coffee on the balcony",
    "Sam's terrible jokes",
    "A sunny walk by the river",
    "Finishing the week's washing",
    "A kind message from a colleague",
    "Soup I made from scratch",
    "The cat asleep on my feet",
    "A good chapter of my book",
    "Getting to the gym",
    "An early night",
)
_THOUGHTS = (
    ThoughtRecord(
        "My manager didn't reply to my email all day",
        "She thinks my work isn't good enough",
        "anxious",
        65,
        "She replied quickly last week",
        "She was in workshops all day; she praised the last report",
        "She was busy; silence isn't a verdict on my work",
        35,
    ),
    ThoughtRecord(
        "A friend cancelled dinner at the last minute",
        "People don't really want to spend time with me",
        "lonely",
        60,
        "This is the second time this month",
        "She apologised and suggested Sunday instead",
        "Plans change; she still made a new one with me",
        30,
    ),
    ThoughtRecord(
        "Made a mistake in the spreadsheet I sent round",
        "Everyone will think I'm careless",
        "embarrassed",
        70,
        "Two people noticed it",
        "I fixed it within the hour; nobody seemed bothered",
        "Everyone makes slips; I caught it and fixed it",
        30,
    ),
)


def _written_days() -> set[int]:
    return {spec.days_ago for spec in JOURNAL}


def seed_journal_history(unit: UserUnit, now: datetime) -> None:
    """About 40 entries over the last 120 days: free writing, gratitude and thought records."""
    chance = random.Random(SEED)
    taken = _written_days()
    for days_ago in range(DAYS, 0, -1):
        if days_ago in taken or chance.random() > 0.33:
            continue
        written = (now - timedelta(days=days_ago)).replace(
            hour=chance.choice((7, 12, 20, 21, 22)), minute=chance.randrange(60), microsecond=0
        )
        pick = chance.random()
        if pick < 0.2:
            draft = gratitude_entry(chance.sample(_GOOD_THINGS, 3))
        elif pick < 0.3:
            draft = thought_record_entry(chance.choice(_THOUGHTS))
        else:
            body = " ".join(
                (chance.choice(_OPENINGS), chance.choice(_MIDDLES), chance.choice(_ENDINGS))
            )
            draft = Draft(body.split(".")[0], body, "free")
        entry = JournalEntry(user_id=unit.user_id, created_at=written, updated_at=written)
        seal_entry(unit, entry, title=draft.title, body=draft.body, kind=draft.kind)
        unit.add(entry)
        record_screening(unit, "none", source="journal", at=written)


def _answers(which: Instrument, total: int, chance: random.Random) -> list[int]:
    """Item answers (0-3) summing to `total`, item 9 of the PHQ-9 kept at 0."""
    answers = [0] * len(which.items)
    open_items = [i for i in range(len(answers)) if not (which is PHQ9 and i == SELF_HARM_ITEM)]
    for _ in range(total):
        item = chance.choice([i for i in open_items if answers[i] < 3])
        answers[item] += 1
    return answers


def seed_screenings(unit: UserUnit, now: datetime) -> None:
    """PHQ-9 and GAD-7 every two weeks for 120 days, easing from moderate to mild."""
    chance = random.Random(SEED + 1)
    checks = list(range(DAYS - 1, 0, -SCREEN_EVERY))
    for step, days_ago in enumerate(checks):
        progress = step / max(len(checks) - 1, 1)
        taken = (now - timedelta(days=days_ago)).replace(hour=19, minute=30, microsecond=0)
        for which, start, end in ((PHQ9, 12, 5), (GAD7, 13, 6)):
            total = round(start + (end - start) * progress) + chance.choice((-1, 0, 0, 1))
            result = score(which.id, _answers(which, total, chance))
            save_result(unit, result, taken_at=taken + timedelta(minutes=5 * (which is GAD7)))
