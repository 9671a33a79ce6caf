"""The sleep diary service: one night per person and date, sealed notes, kind refusals,
coaching from the person's own last two weeks, and the insights function."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from core.bootstrap import App
from core.errors import InvalidInput, NotFound
from core.sleep import sleep_hours_by_night
from tests.conftest import build_app, make_settings, raw_rows
from tests.factories import diary_entry as entry
from tests.factories import make_user
from tests.fakes.adapters import fake_adapters
from tests.fakes.clock import FakeClock


def test_a_night_is_saved_listed_edited_and_deleted(any_app: App) -> None:
    user = make_user(any_app)
    saved = any_app.sleep.add(user_id=user.id, entry=entry(note="Dreamt of the sea"))
    [view] = any_app.sleep.list(user_id=user.id)
    assert (view.id, view.note, view.metrics.total_sleep) == (saved.id, "Dreamt of the sea", 400)
    assert saved.assessment is not None and saved.assessment.level == "none"
    any_app.sleep.update(user_id=user.id, night_id=saved.id, entry=entry(latency=50, note=""))
    changed = any_app.sleep.get(user_id=user.id, night_id=saved.id)
    assert (changed.metrics.total_sleep, changed.note) == (370, "")
    any_app.sleep.delete(user_id=user.id, night_id=saved.id)
    assert any_app.sleep.list(user_id=user.id) == []
    with pytest.raises(NotFound):
        any_app.sleep.get(user_id=user.id, night_id=saved.id)


def test_the_note_is_encrypted_at_rest(any_app: App) -> None:
    user = make_user(any_app)
    any_app.sleep.add(user_id=user.id, entry=entry(note="Dreamt of the sea"))
    assert "sea" not in repr(raw_rows(any_app, "sleep_logs"))


def test_a_second_entry_for_the_same_night_is_refused_and_the_first_kept(any_app: App) -> None:
    user = make_user(any_app)
    any_app.sleep.add(user_id=user.id, entry=entry())
    with pytest.raises(InvalidInput, match="already has the night"):
        any_app.sleep.add(user_id=user.id, entry=entry(latency=5))
    [view] = any_app.sleep.list(user_id=user.id)
    assert view.night.sleep_latency_minutes == 20


def test_a_bad_edit_leaves_the_night_as_it_was(any_app: App) -> None:
    user = make_user(any_app)
    saved = any_app.sleep.add(user_id=user.id, entry=entry())
    with pytest.raises(InvalidInput):
        any_app.sleep.update(user_id=user.id, night_id=saved.id, entry=entry(wake_minutes=-5))
    other = any_app.sleep.add(user_id=user.id, entry=entry(date(2026, 3, 3)))
    with pytest.raises(InvalidInput, match="already has"):
        any_app.sleep.update(user_id=user.id, night_id=other.id, entry=entry())
    assert any_app.sleep.get(user_id=user.id, night_id=saved.id).night.wake_minutes == 30


def test_overview_coaches_on_the_last_two_weeks_only(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    clock = FakeClock(datetime(2026, 3, 30, 12, 0))
    app = build_app(settings, fake_adapters(settings, clock=clock))
    user = make_user(app)
    for back in range(1, 8):  # a week of poor nights, recent
        night_of = date(2026, 3, 30) - timedelta(days=back)
        app.sleep.add(user_id=user.id, entry=entry(night_of, latency=60, wake_minutes=60))
    app.sleep.add(user_id=user.id, entry=entry(date(2026, 1, 5)))  # outside the two weeks
    overview = app.sleep.overview(user_id=user.id, timezone="Europe/London")
    assert overview.recent_nights == 7 and len(overview.nights) == 8
    assert overview.advice[0].key == "stimulus_control"
    assert overview.window is not None and overview.window.minutes == 330  # 5 h 30 floor
    hours = sleep_hours_by_night_of(app, user.id)
    assert hours[date(2026, 3, 29)] == pytest.approx(330 / 60)
    assert len(hours) == 8


def sleep_hours_by_night_of(app: App, user_id: str) -> dict[date, float]:
    with app.store.unit(user_id) as unit:
        return sleep_hours_by_night(unit, "Europe/London")


def test_a_crisis_note_is_saved_and_screened(app: App) -> None:
    user = make_user(app)
    saved = app.sleep.add(user_id=user.id, entry=entry(note="I want to kill myself tonight"))
    assert saved.assessment is not None and saved.assessment.level == "crisis"
    assert app.sleep.get(user_id=user.id, night_id=saved.id).note.startswith("I want")


FITBIT_CSV = (
    "Start Time,End Time,Minutes Asleep,Minutes Awake,Number of Awakenings,Time in Bed\n"
    "2026-03-02 10:45PM,2026-03-03 6:45AM,400,80,3,480\n"
    "2026-03-03 11:00PM,2026-03-04 7:00AM,450,30,1,480\n"
)


def test_imported_nights_merge_with_typed_ones_and_a_second_import_adds_nothing(
    any_app: App,
) -> None:
    user = make_user(any_app)
    any_app.sleep.add(user_id=user.id, entry=entry(date(2026, 3, 2), note="typed"))

    def run() -> object:
        return any_app.sleep.import_file(
            user_id=user.id, kind="fitbit", source=io.BytesIO(FITBIT_CSV.encode()),
            timezone="Europe/London",
        )  # fmt: skip

    first = run()
    assert (first.found, first.added, first.already) == (2, 1, 1)  # type: ignore[attr-defined]
    second = run()
    assert (second.found, second.added, second.already) == (2, 0, 2)  # type: ignore[attr-defined]
    nights = {view.night.night_of: view for view in any_app.sleep.list(user_id=user.id)}
    assert nights[date(2026, 3, 2)].note == "typed"  # the typed night is kept as it was
    assert nights[date(2026, 3, 3)].night.source == "fitbit"
    assert nights[date(2026, 3, 3)].metrics.total_sleep == 450


def test_a_broken_import_saves_nothing(app: App) -> None:
    user = make_user(app)
    broken = FITBIT_CSV + "2026-03-05 11:00PM,soon,1,1,1,1\n"
    with pytest.raises(InvalidInput):
        app.sleep.import_file(user_id=user.id, kind="fitbit", source=io.BytesIO(broken.encode()),
                              timezone="Europe/London")  # fmt: skip
    with pytest.raises(InvalidInput):
        app.sleep.import_file(
            user_id=user.id, kind="apple_health", source=io.BytesIO(b"<HealthData><Rec"),
            timezone="UTC",
        )  # fmt: skip
    assert app.sleep.list(user_id=user.id) == []
