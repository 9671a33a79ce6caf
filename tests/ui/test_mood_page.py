"""The Mood page: log, back-date, edit, delete, charts, insights, import, and every bad input."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import timedelta

from streamlit.testing.v1 import AppTest

from core.bootstrap import App
from core.demo import DEMO_PASSWORD, DEMO_USERNAME, seed
from core.mood import MoodDraft, MoodView
from tests.factories import GOOD_PASSWORD, make_user
from tests.ui.conftest import log_in, texts

DAYLIO = (
    "full_date,date,weekday,time,mood,activities,note_title,note\n"
    "2024-03-05,March 5,Tuesday,9:35 PM,good,walk | friends,,A fine evening\n"
    "2024-03-04,March 4,Monday,08:10,meh,,,\n"
    "2024-03-03,March 3,Sunday,10:00,weird-custom,,,\n"
)


def _mood(new_app_test: Callable[[], AppTest], core_app: App) -> tuple[AppTest, str]:
    user = make_user(core_app, "sam")
    at = log_in(new_app_test().run(), "sam", GOOD_PASSWORD)
    return at.switch_page("pages/mood.py").run(), user.id


def _entries(core_app: App, user_id: str) -> list[MoodView]:
    return core_app.mood.recent(user_id=user_id, limit=100)


def _log(at: AppTest, score: int | None = 8, **fields: object) -> AppTest:
    if score is not None:
        at.segmented_control(key="mood_score_faces").set_value(score)
    if "emotions" in fields:
        at.button_group(key="mood_emotions").set_value(fields["emotions"])
    if "activities" in fields:
        at.multiselect(key="mood_activities").set_value(fields["activities"])
    if "people" in fields:
        at.multiselect(key="mood_people").set_value(fields["people"])
    if "note" in fields:
        at.text_area(key="mood_note").input(fields["note"])
    at.button(key="mood_save").click()
    return at.run()


def test_an_empty_history_shows_a_friendly_state_and_no_chart(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, _ = _mood(new_app_test, core_app)
    assert not at.exception and at.title[0].value == "Mood"
    assert "No moods logged yet" in texts(at)
    assert not at.get("plotly_chart")


def test_a_mood_is_logged_in_one_tap_and_the_form_emptied(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _mood(new_app_test, core_app)
    at = _log(at, 8, emotions=["calm", "grateful"], activities=["walk"], people=["Mum"])
    assert not at.exception
    assert [s.value for s in at.success] == ["Saved."]
    [entry] = _entries(core_app, user_id)
    assert (entry.score, entry.emotions) == (8, ("calm", "grateful"))
    assert (entry.activities, entry.people) == (("walk",), ("Mum",))
    assert at.segmented_control(key="mood_score_faces").value is None
    assert "One mood so far" in texts(at)  # one entry: a friendly line, no empty axis
    assert not at.get("plotly_chart")
    # The tag is reusable: offered next time.
    assert "walk" in at.multiselect(key="mood_activities").options


def test_two_entries_draw_the_charts(new_app_test: Callable[[], AppTest], core_app: App) -> None:
    at, user_id = _mood(new_app_test, core_app)
    earlier = core_app.clock.now() - timedelta(days=1)
    core_app.mood.log(user_id=user_id, mood=MoodDraft(4, ("tired",), logged_at=earlier))
    at = _log(at, 10)
    assert not at.exception
    assert len(at.get("plotly_chart")) >= 4


def test_saving_without_a_score_asks_for_one_and_saves_nothing(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _mood(new_app_test, core_app)
    at = _log(at, None, note="no score")
    assert not at.exception and "Pick how you feel" in at.warning[0].value
    assert _entries(core_app, user_id) == []
    assert at.text_area(key="mood_note").value == "no score"  # kept


def test_the_one_to_ten_scale_logs_any_score(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _mood(new_app_test, core_app)
    at.segmented_control(key="mood_scale").set_value("1–10").run()
    at.segmented_control(key="mood_score_ten").set_value(3)
    at.button(key="mood_save").click()
    at = at.run()
    assert not at.exception
    assert [entry.score for entry in _entries(core_app, user_id)] == [3]
