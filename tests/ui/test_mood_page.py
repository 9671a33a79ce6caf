"""The Mood page: log, back-date, edit, delete, charts, insights, import, and every bad input."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import datetime, time, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from core.bootstrap import App
from core.checkin import CheckinDraft
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


def test_check_ins_alone_already_show_on_the_timeline(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    user = make_user(core_app, "sam")
    draft = CheckinDraft(
        started_at=core_app.clock.now() - timedelta(hours=1), feeling="happy", rating=6
    )
    core_app.checkins.save(user_id=user.id, draft=draft)
    at = log_in(new_app_test().run(), "sam", GOOD_PASSWORD).switch_page("pages/mood.py").run()
    assert not at.exception and "No moods logged yet" in texts(at)
    [chart] = at.get("plotly_chart")
    figure = json.loads(chart.proto.spec)
    [checkins] = [trace for trace in figure["data"] if trace.get("name") == "Check-ins"]
    assert checkins["y"] == [6] and checkins["customdata"] == ["happy"]


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


def test_a_back_dated_entry_is_saved_at_that_local_time(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _mood(new_app_test, core_app)
    today = core_app.clock.now().date()
    at.checkbox(key="mood_earlier").check()
    at.date_input(key="mood_date").set_value(today - timedelta(days=3))
    at.time_input(key="mood_time").set_value(time(9, 30))
    at = _log(at, 6)
    assert not at.exception and at.success
    [entry] = _entries(core_app, user_id)
    assert entry.logged_at == datetime.combine(today - timedelta(days=3), time(9, 30))  # UTC


def test_a_future_time_today_gets_a_kind_message_and_nothing_is_saved(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _mood(new_app_test, core_app)
    at.checkbox(key="mood_earlier").check()
    at.date_input(key="mood_date").set_value(core_app.clock.now().date())
    at.time_input(key="mood_time").set_value(time(23, 59))
    if core_app.clock.now().time() >= time(23, 57):
        return  # too close to midnight for a time later today
    at = _log(at, 6, note="kept")
    assert not at.exception and "future" in at.warning[0].value
    assert _entries(core_app, user_id) == []
    assert at.text_area(key="mood_note").value == "kept"


def test_a_one_megabyte_note_gets_a_kind_message(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _mood(new_app_test, core_app)
    at.segmented_control(key="mood_score_faces").set_value(6)
    at.text_area(key="mood_note").set_value("x" * 1_000_000)
    at.button(key="mood_save").click()
    at = at.run()
    assert not at.exception and "5,000 characters" in at.warning[0].value
    assert _entries(core_app, user_id) == []


HOSTILE = "<img src=x onerror=alert(1)> **bold** [link](http://x.example) מאיה 🌷"


def test_html_markdown_emoji_and_rtl_in_notes_and_tags_show_as_typed(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _mood(new_app_test, core_app)
    at = _log(at, 8, activities=["<b>run</b>"], people=["מאיה 🌷"], note=HOSTILE)
    assert not at.exception
    [entry] = _entries(core_app, user_id)
    assert entry.note == HOSTILE and entry.activities == ("<b>run</b>",)
    shown = texts(at) + " ".join(expander.label for expander in at.expander)
    assert "&#60;b&#62;run&#60;/b&#62;" in shown and "מאיה 🌷" in shown
    assert "&#60;img src=x onerror=alert(1)&#62; &#42;&#42;bold&#42;&#42;" in shown
    assert "<img" not in shown and "[link](" not in shown


def test_a_crisis_note_shows_the_numbers_at_once_and_is_saved(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _mood(new_app_test, core_app)
    at = _log(at, 2, note="I want to kill myself tonight")
    assert not at.exception and at.error and "988" in at.error[0].value
    assert len(_entries(core_app, user_id)) == 1


def test_an_entry_is_edited_then_deleted_after_confirming(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _mood(new_app_test, core_app)
    at = _log(at, 4, note="first")
    [entry] = _entries(core_app, user_id)
    at.button(key=f"mood_edit_{entry.id}").click()
    at = at.run()
    at.slider(key=f"mood_edit_score_{entry.id}").set_value(9)
    at.text_area(key=f"mood_edit_note_{entry.id}").input("better")
    at.button(key="mood_edit_save").click()
    at = at.run()
    assert not at.exception and at.success
    [entry] = _entries(core_app, user_id)
    assert (entry.score, entry.note) == (9, "better")
    at.button(key=f"mood_delete_{entry.id}").click()
    at = at.run()
    assert "can't be undone" in at.warning[0].value and _entries(core_app, user_id)
    at.button(key=f"mood_keep_{entry.id}").click()
    at = at.run()
    assert not at.warning and _entries(core_app, user_id)
    at.button(key=f"mood_delete_{entry.id}").click()
    at = at.run()
    at.button(key=f"mood_confirm_{entry.id}").click()
    at = at.run()
    assert not at.exception and "Entry deleted." in texts(at)
    assert _entries(core_app, user_id) == []


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="mood_import_file").set_value((name, data, "text/csv"))
    return at.run()


def test_a_daylio_import_is_previewed_then_imported_once(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _mood(new_app_test, core_app)
    at = _upload(at, "daylio_export.csv", DAYLIO.encode())
    assert not at.exception
    assert "a Daylio export: **2 new**, 0 already here (skipped), 1 rejected" in texts(at)
    assert _entries(core_app, user_id) == []  # the preview saves nothing
    at.button(key="mood_import_go").click()
    at = at.run()
    assert not at.exception
    assert "Imported 2 entries; skipped 0 already here; rejected 1." in texts(at)
    assert len(_entries(core_app, user_id)) == 2
    at = _upload(at, "daylio_export.csv", DAYLIO.encode())
    assert "**0 new**, 2 already here" in texts(at) and "Nothing new" in texts(at)


def test_an_imported_crisis_note_shows_the_numbers_kindly_and_everything_is_imported(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _mood(new_app_test, core_app)
    crisis = DAYLIO + "2024-03-02,March 2,Saturday,22:00,awful,,,I want to kill myself tonight\n"
    at = _upload(at, "daylio_export.csv", crisis.encode())
    assert not at.error  # the preview screens nothing and shows no alarm
    at.button(key="mood_import_go").click()
    at = at.run()
    assert not at.exception
    assert "Imported 3 entries" in texts(at)
    assert "One of the notes you imported" in texts(at)
    assert at.error and "988" in at.error[0].value
    assert len(_entries(core_app, user_id)) == 3


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mood.csv", b"0" * (60 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("moods.csv", b"date,feeling\n2024-01-01,good\n", "columns don't match"),
        (
            "moods.csv",
            b"full_date,date,weekday,time,mood,activities,note_title,note\n"
            b"2024-13-45,x,x,21:00,good,,,\n",
            "1 rejected",
        ),
        ("big.csv", b"x" * (50 * 1024 * 1024), "is 50 MB; the mood import takes files up to 5 MB"),
        ("bomb.zip", _bomb(), "Unzipped, that file is larger"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "isn't a text CSV"),
        ("empty.csv", b"", "empty"),
    ],
)
def test_a_bad_import_gets_a_kind_message_and_saves_nothing(
    new_app_test: Callable[[], AppTest], core_app: App, name: str, data: bytes, message: str
) -> None:
    at, user_id = _mood(new_app_test, core_app)
    core_app.mood.log(user_id=user_id, mood=MoodDraft(5))
    at = _upload(at, name, data)
    assert not at.exception
    assert message in texts(at) + " ".join(w.value for w in at.warning)
    assert len(_entries(core_app, user_id)) == 1  # nothing added, nothing lost


def test_the_demo_account_sees_charts_and_insights_with_numbers(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    seed(core_app)
    at = log_in(new_app_test().run(), DEMO_USERNAME, DEMO_PASSWORD)
    at = at.switch_page("pages/mood.py").run()
    assert not at.exception and len(at.get("plotly_chart")) == 5
    page = texts(at)
    assert "This week" in page and "A correlation, not a cause." in page
    assert "at least 3 days with the factor and 3 days without" in page
    at.segmented_control(key="mood_view_range").set_value("All").run()
    assert not at.exception and len(at.get("plotly_chart")) == 5


def test_home_shows_todays_state_and_logs_in_one_tap(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    user = make_user(core_app, "kim")
    at = log_in(new_app_test().run(), "kim", GOOD_PASSWORD)
    assert "Not logged yet today" in texts(at)
    at.button(key="home_mood_8").click()
    at = at.run()
    assert not at.exception and "Logged good (8/10)" in texts(at)
    assert "Logged today (once)" in texts(at) and "1-day streak" in texts(at)
    assert [entry.score for entry in _entries(core_app, user.id)] == [8]
