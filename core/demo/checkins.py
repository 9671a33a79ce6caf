"""The demo's emotion check-ins: a few a month over four months, camera and by hand."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from core.checkin import CheckinDraft, new_checkin
from core.emotion import EMOTIONS
from core.store import UserUnit

# (days ago, hour, what the person said they felt, their rating, a note or "")
CHECKINS: tuple[tuple[int, int, str, int, str], ...] = (
    (118, 21, "sad", 3, "Long week. Glad it's Friday."),
    (111, 8, "neutral", 5, ""),
    (103, 19, "fear", 4, "Presentation tomorrow, stomach in knots."),
    (96, 20, "happy", 7, "Dinner with Sam, laughed a lot."),
    (88, 7, "neutral", 5, ""),
    (80, 22, "sad", 4, "Couldn't sleep again."),
    (71, 18, "happy", 7, "Walked by the river after work."),
    (63, 9, "surprise", 6, "Got the job interview!"),
    (55, 21, "angry", 4, "Argument about chores. Took a time-out, it helped."),
    (46, 8, "neutral", 6, ""),
    (38, 20, "happy", 8, "Good run, good sleep."),
    (29, 19, "fear", 5, "Worrying about money; made a list."),
    (21, 7, "neutral", 6, ""),
    (13, 21, "happy", 7, "Quiet evening, read a book."),
    (6, 20, "sad", 5, "Missing home a bit."),
    (1, 19, "happy", 7, "Breathing exercise before bed helps."),
)


def _reading(rng: random.Random, feeling: str) -> dict[str, float]:
    """A plausible averaged camera reading that mostly, not always, agrees with the person."""
    raw = {label: rng.uniform(0.02, 0.15) for label in EMOTIONS}
    shown = feeling if rng.random() < 0.6 else rng.choice(("neutral", "sad", "happy"))
    raw[shown] += rng.uniform(0.3, 0.6)
    total = sum(raw.values())
    return {label: value / total for label, value in raw.items()}


def seed_checkins(unit: UserUnit, now: datetime) -> None:
    """Sixteen check-ins over four months; two in three with a camera reading."""
    rng = random.Random(20261203)
    for days_ago, hour, feeling, rating, note in CHECKINS:
        moment = (now - timedelta(days=days_ago)).replace(hour=hour, minute=0, second=0)
        moment = min(moment, now - timedelta(minutes=10))
        camera = rng.random() < 0.67
        average = _reading(rng, feeling) if camera else None
        draft = CheckinDraft(
            started_at=moment,
            feeling=feeling,
            rating=rating,
            note=note,
            source="webcam" if camera else "manual",
            duration_seconds=rng.randint(30, 120) if camera else 0,
            analyses=rng.randint(100, 450) if camera else 0,
            model_dominant=max(average, key=average.__getitem__) if average else None,
            model_average=average,
        )
        unit.add(new_checkin(unit, draft, note))
