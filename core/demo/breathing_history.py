"""The demo's breathing practice: 30 sessions over the last seven weeks, stress mostly easing;
about a third with the pace the microphone measured, a little faster than the pattern's."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from core.breathing import patterns
from core.db.models import BreathingSession
from core.store import UserUnit

SESSIONS = 30
MEASURED_EVERY = 3  # one session in three used the microphone


def seed_breathing(unit: UserUnit, now: datetime) -> None:
    """Thirty completed sessions, the box and resonance patterns most often."""
    rng = random.Random(30)
    paces = random.Random(31)  # its own stream: the sessions stay as they were before
    choices = [known for known in patterns() for _ in range(3 if known.id != "sigh" else 1)]
    for number in range(SESSIONS):
        chosen = rng.choice(choices)
        minutes = rng.choice([2, 3, 3, 5, 5, 10])
        before = rng.randint(4, 9)
        started = now - timedelta(days=48 - number * 1.6, hours=rng.randint(0, 10))
        unit.add(
            BreathingSession(
                user_id=unit.user_id,
                pattern_id=chosen.id,
                phases=chosen.phases_label,
                started_at=min(started, now - timedelta(hours=1)),
                duration_seconds=minutes * 60,
                completed=True,
                stress_before=before,
                stress_after=max(1, before - rng.choice([0, 1, 2, 2, 3, 4])),
                breaths_per_minute=(
                    round(chosen.breaths_per_minute + paces.uniform(-0.4, 1.2), 1)
                    if number % MEASURED_EVERY == 1
                    else None
                ),
            )
        )
