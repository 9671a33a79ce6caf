"""The settings page: profile, password change, log out everywhere, account deletion."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from core.bootstrap import App
from tests.factories import GOOD_PASSWORD, make_user
from tests.ui.conftest import log_in, texts


def _settings(new_app_test: Callable[[], AppTest], core_app: App) -> AppTest:
    make_user(core_app, "sam")
    at = log_in(new_app_test().run(), "sam", GOOD_PASSWORD)
    return at.switch_page("pages/settings.py").run()


def test_the_profile_saves_region_and_time_zone(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at = _settings(new_app_test, core_app)
    at.text_input(key="profile_name").input("Samira")
    at.selectbox(key="profile_region").select("GB")
    at.selectbox(key="profile_timezone").select("Europe/London")
    at.button(key="profile_submit").click()
    at = at.run()
    assert not at.exception
    assert "Saved" in at.success[0].value
    user = core_app.auth.user_for_username("sam")
    assert user is not None
    prefs = core_app.profile.get(user_id=user.id)
    assert (prefs.display_name, prefs.region, prefs.timezone) == ("Samira", "GB", "Europe/London")
    # The sidebar follows at once, and the note stays up on the run the person sees.
    assert any("Samira" in str(caption.value) for caption in at.sidebar.caption)


def test_an_empty_name_is_refused_kindly(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at = _settings(new_app_test, core_app)
    at.text_input(key="profile_name").input("   ")
    at.button(key="profile_submit").click()
    at = at.run()
    assert "name" in at.error[0].value


def test_changing_the_password_keeps_this_browser_logged_in(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at = _settings(new_app_test, core_app)
    at.text_input(key="pw_current").input(GOOD_PASSWORD)
    at.text_input(key="pw_new").input("new calm harbour 77")
    at.text_input(key="pw_again").input("new calm harbour 77")
    at.button(key="pw_submit").click()
    at = at.run()
    assert not at.exception
    assert "Password changed" in at.success[0].value
    at = at.run()  # the next run re-issues this browser's cookie and stays in
    assert any("Settings" in title.value for title in at.title)
    other = log_in(new_app_test().run(), "sam", GOOD_PASSWORD)
    assert "don't match" in other.error[0].value


def test_a_wrong_current_password_changes_nothing(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at = _settings(new_app_test, core_app)
    at.text_input(key="pw_current").input("not my password at all")
    at.text_input(key="pw_new").input("new calm harbour 77")
    at.text_input(key="pw_again").input("new calm harbour 77")
    at.button(key="pw_submit").click()
    at = at.run()
    assert "isn't right" in at.error[0].value
    assert core_app.auth.login(username="sam", password=GOOD_PASSWORD).username == "sam"


def test_log_out_everywhere_returns_to_login(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at = _settings(new_app_test, core_app)
    at.button(key="logout_everywhere").click()
    at = at.run()
    assert "Welcome back" in at.title[0].value


def test_deleting_the_account_needs_confirmation_and_then_removes_it(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at = _settings(new_app_test, core_app)
    at.text_input(key="delete_password").input(GOOD_PASSWORD)
    at.button(key="delete_submit").click()
    at = at.run()
    assert "tick the box" in at.error[0].value
    at.checkbox(key="delete_confirm").check()
    at.text_input(key="delete_password").input(GOOD_PASSWORD)
    at.button(key="delete_submit").click()
    at = at.run()
    assert "deleted" in texts(at)
    assert core_app.auth.user_for_username("sam") is None


def test_there_is_no_language_setting_that_changes_nothing(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at = _settings(new_app_test, core_app)
    assert not at.exception
    assert "Language" not in [box.label for box in at.selectbox]


def test_the_settings_page_says_how_the_safety_screen_is_running(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at = _settings(new_app_test, core_app)
    shown = texts(at)
    assert "Safety screen" in shown and "Knowledge index" in shown
    at.button(key="health_llm").click()
    at = at.run()
    assert not at.exception and "Ollama" in texts(at)
