"""Builders for test data."""

from __future__ import annotations

import itertools
from datetime import date, time

import numpy as np
from numpy.typing import NDArray

from core.auth import AuthUser
from core.bootstrap import App
from core.sleep.diary import DiaryInput, from_clock_times

GOOD_PASSWORD = "quiet river lantern 42"
_counter = itertools.count()


def make_user(app: App, name: str | None = None, password: str = GOOD_PASSWORD) -> AuthUser:
    """Register a user with a valid password."""
    username = name or f"user{next(_counter)}"
    return app.auth.register(username=username, password=password, display_name=username.title())


def diary_entry(
    night_of: date = date(2026, 3, 2),
    clocks: tuple[str, str, str, str] = ("22:45", "23:00", "06:30", "06:45"),
    *,
    timezone: str = "Europe/London",
    latency: int = 20,
    awakenings: int = 2,
    wake_minutes: int = 30,
    quality: int = 3,
    **more: object,
) -> DiaryInput:
    """A diary entry typed as clock times, placed the way the page places them."""
    moments = from_clock_times(night_of, [time.fromisoformat(c) for c in clocks])
    bed, lights, wake, up = moments
    return DiaryInput(
        night_of, timezone, bed, lights, latency, awakenings, wake_minutes, wake, up, quality,
        **more,  # type: ignore[arg-type]
    )  # fmt: skip


def breathing_audio(
    bpm: float,
    *,
    seconds: float,
    rate: int,
    noise: float = 0.3,
    jitter: float = 0.0,
    seed: int = 0,
) -> NDArray[np.float64]:
    """Synthetic breath sound: airflow noise loud on the way out, softer in, quiet at the turns,
    over background noise (`noise` is its level against the loudest breath)."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    # The phase advances at the breathing rate, wobbling by `jitter` (fraction of the rate).
    wobble = 1 + jitter * np.sin(2 * np.pi * t / 23.0)
    phase = np.cumsum(np.full(len(t), bpm / 60 / rate) * wobble) % 1.0
    flow = np.sin(2 * np.pi * phase)  # > 0 breathing in, < 0 breathing out
    loudness = np.where(flow > 0, 0.45 * flow, -flow) ** 1.5
    breath = rng.normal(0, 1, len(t)) * loudness
    return breath + rng.normal(0, noise, len(t))
