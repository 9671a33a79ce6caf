"""The check-in page: without weights a manual check-in, with them the consent first; saving,
bad input, a crisis note, and deleting."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from core.bootstrap import App
from core.emotion import INSTALL_COMMAND
from tests.emotion_weights import install_test_weights
from tests.factories import GOOD_PASSWORD, make_user
from tests.ui.conftest import log_in, texts


def _checkin(new_app_test: Callable[[], AppTest], core_app: App) -> tuple[AppTest, str]:
    user = make_user(core_app, "kim")
    at = log_in(new_app_test().run(), "kim", GOOD_PASSWORD)
    return at.switch_page("pages/checkin.py").run(), user.id


def _save(at: AppTest, feeling: str, rating: int, note: str = "") -> AppTest:
    at.selectbox(key="checkin_feeling").set_value(feeling)
    at.slider(key="checkin_rating").set_value(rating)
    at.text_area(key="checkin_note").input(note)
    at.button(key="checkin_save").click()
    return at.run()


def test_without_weights_the_page_says_how_to_install_them_and_a_manual_check_in_works(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _checkin(new_app_test, core_app)
    assert not at.exception and at.title[0].value == "Check in"
    assert INSTALL_COMMAND in texts(at)
    assert not at.checkbox  # no consent, no camera: nothing to start
    at = _save(at, "sad", 3, "long day <b>at work</b>")
    assert not at.exception and "saved" in at.success[0].value
    [saved] = core_app.checkins.list(user_id=user_id)
    assert (saved.source, saved.feeling, saved.rating) == ("manual", "sad", 3)
    assert "long day &lt;b&gt;at work&lt;/b&gt;" in texts(at) or "long day" in texts(at)
    assert at.text_area(key="checkin_note").value == ""  # the form is emptied


def test_with_weights_the_camera_waits_for_consent(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    install_test_weights(core_app.settings.emotion_weights_home)
    at, _ = _checkin(new_app_test, core_app)
    assert INSTALL_COMMAND not in texts(at)
    consent = at.checkbox(key="checkin_consent")
    assert consent.value is False and at.checkbox(key="checkin_microphone").disabled
    at = consent.check().run()
    assert not at.exception
    assert not at.checkbox(key="checkin_microphone").disabled


def test_a_crisis_note_shows_the_numbers_and_is_saved(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _checkin(new_app_test, core_app)
    at = _save(at, "sad", 1, "I'm going to end my life tonight, I have the pills here")
    assert not at.exception
    assert at.error and "Support right now" in at.error[0].value
    assert len(core_app.checkins.list(user_id=user_id)) == 1


def test_a_check_in_can_be_deleted(new_app_test: Callable[[], AppTest], core_app: App) -> None:
    at, user_id = _checkin(new_app_test, core_app)
    at = _save(at, "happy", 8)
    [saved] = core_app.checkins.list(user_id=user_id)
    at.button(key=f"checkin_delete_{saved.id}").click()
    at = at.run()
    assert not at.exception
    assert core_app.checkins.list(user_id=user_id) == []
    assert "No check-ins yet" in texts(at)
