"""The breathing service: completed sessions saved, bad ones refused, per-day counts."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from core.bootstrap import App
from core.breathing import breathing_sessions_by_day
from core.errors import InvalidInput
from tests.conftest import build_app, make_settings
from tests.factories import make_user
from tests.fakes.adapters import fake_adapters
from tests.fakes.clock import FakeClock


def test_a_session_is_saved_and_summed_up(any_app: App) -> None:
    user = make_user(any_app)
    any_app.breathing.record(user_id=user.id, pattern_id="box", phases="4-4-4-4",
                             duration_seconds=176, stress_before=7, stress_after=3)  # fmt: skip
    [session] = any_app.breathing.recent(user_id=user.id)
    assert (session.pattern_id, session.stress_before, session.stress_after) == ("box", 7, 3)
    [stats] = any_app.breathing.stats(user_id=user.id)
    assert (stats.sessions, stats.average_change) == (1, -4)


def test_the_pace_the_microphone_measured_is_kept_and_averaged_per_pattern(
    any_app: App,
) -> None:
    user = make_user(any_app)
    for measured in (6.04, 5.0, None):
        any_app.breathing.record(
            user_id=user.id, pattern_id="resonance", phases="5.5-5.5", duration_seconds=180,
            stress_before=6, stress_after=4, breaths_per_minute=measured,
        )  # fmt: skip
    sessions = any_app.breathing.recent(user_id=user.id)
    assert sorted((s.breaths_per_minute or 0) for s in sessions) == [0, 5.0, 6.0]  # 0.1 steps
    assert sessions[0].target_breaths_per_minute == pytest.approx(60 / 11)
    [stats] = any_app.breathing.stats(user_id=user.id)
    assert (stats.sessions, stats.measured_sessions) == (3, 2)
    assert stats.average_measured_bpm == pytest.approx(5.5)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"breaths_per_minute": 0.0}, "breathing rate"),
        ({"breaths_per_minute": 250.0}, "breathing rate"),
        ({"breaths_per_minute": float("nan")}, "breathing rate"),
        ({"breaths_per_minute": True}, "breathing rate"),
        ({"stress_before": 0}, "from 1"),
        ({"stress_after": 11}, "from 1"),
        ({"pattern_id": "yoga"}, "choose one"),
        ({"duration_seconds": 3600}, "at most 30"),
        ({"duration_seconds": 0}, "at most 30"),
    ],
)
def test_a_bad_session_is_refused_and_nothing_saved(
    app: App, changes: dict[str, object], words: str
) -> None:
    user = make_user(app)
    values: dict[str, object] = {
        "pattern_id": "box",
        "phases": "4-4-4-4",
        "duration_seconds": 120,
        "stress_before": 5,
        "stress_after": 4,
    }
    values.update(changes)  # fmt: skip
    with pytest.raises(InvalidInput, match=words):
        app.breathing.record(user_id=user.id, **values)  # type: ignore[arg-type]
    assert app.breathing.recent(user_id=user.id) == []


def test_sessions_are_counted_by_local_day(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    clock = FakeClock(datetime(2026, 3, 2, 23, 30))  # 00:30 on 3 March in Berlin
    app = build_app(settings, fake_adapters(settings, clock=clock))
    user = make_user(app)
    for _ in range(2):
        app.breathing.record(user_id=user.id, pattern_id="sigh", phases="2.5-1-6",
                             duration_seconds=60, stress_before=5, stress_after=4)  # fmt: skip
    with app.store.unit(user.id) as unit:
        assert breathing_sessions_by_day(unit, "Europe/Berlin") == {date(2026, 3, 3): 2}
        assert breathing_sessions_by_day(unit, "UTC") == {date(2026, 3, 2): 2}
