"""Breathing patterns, custom patterns checked, session lengths, stats per pattern."""

from __future__ import annotations

import pytest

from core.breathing import (
    breathing_sessions_by_day,
    custom_pattern,
    pattern,
    pattern_stats,
    patterns,
    session_seconds,
)
from core.db.models import BreathingSession
from core.errors import InvalidInput
from ui.pacer import session_length


def test_the_shipped_patterns_have_their_classic_timings() -> None:
    assert [known.id for known in patterns()] == ["box", "4-7-8", "resonance", "sigh"]
    assert pattern("box").phases_label == "4-4-4-4"
    assert pattern("4-7-8").phases_label == "4-7-8"
    assert pattern("resonance").breaths_per_minute == pytest.approx(5.45, abs=0.1)
    sigh = pattern("sigh")
    assert [phase.kind for phase in sigh.phases] == ["in", "in", "out"]
    assert sigh.phases[1].shown == "A little more in"


def test_a_custom_pattern_drops_empty_holds() -> None:
    custom = custom_pattern(4, 0, 6, 0)
    assert [(p.kind, p.seconds) for p in custom.phases] == [("in", 4), ("out", 6)]
    assert custom.breaths_per_minute == 6
    assert custom.name == "Custom (4-0-6-0)"


@pytest.mark.parametrize(
    ("phases", "words"),
    [
        ((0, 0, 0, 0), "at least 1 second"),  # a breath of 0 seconds
        ((150, 150, 150, 150), "at most 20"),  # a breath of 600 seconds
        ((20, 20, 20, 5), "at most 60 seconds"),
        ((4, -1, 4, 0), "negative"),
        ((float("nan"), 0, 4, 0), "negative"),
        ((True, 0, 4, 0), "number"),
    ],
)
def test_a_custom_pattern_that_cannot_be_followed_is_refused(
    phases: tuple[float, float, float, float], words: str
) -> None:
    with pytest.raises(InvalidInput, match=words):
        custom_pattern(*phases)


def test_session_length_is_checked_and_rounded_to_whole_breaths() -> None:
    assert session_seconds(3) == 180
    for bad in (0, 0.2, 31, -1, float("nan")):
        with pytest.raises(InvalidInput):
            session_seconds(bad)
    assert session_length(pattern("4-7-8"), 180) == 9 * 19  # 9.47 breaths -> 9
    assert session_length(pattern("box"), 10) == 16  # at least one breath


def test_stats_per_pattern_sum_minutes_and_average_the_change() -> None:
    rows = [
        BreathingSession(user_id="u", pattern_id="box", duration_seconds=120,
                         stress_before=7, stress_after=4, completed=True),
        BreathingSession(user_id="u", pattern_id="box", duration_seconds=180,
                         stress_before=6, stress_after=5, completed=True),
        BreathingSession(user_id="u", pattern_id="custom", duration_seconds=60,
                         stress_before=5, stress_after=5, completed=True),
    ]  # fmt: skip
    box, custom = pattern_stats(rows)
    assert (box.pattern_id, box.sessions, box.minutes, box.average_change) == ("box", 2, 5, -2)
    assert (custom.sessions, custom.average_change) == (1, 0)


def test_sessions_by_day_is_importable_for_insights() -> None:
    assert callable(breathing_sessions_by_day)
