"""The login gate through the real pages: register, log in, lockout, log out, gated pages."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from core.bootstrap import App
from core.timeutil import utcnow
from tests.factories import GOOD_PASSWORD, make_user
from tests.ui.conftest import log_in, register, texts


def test_a_new_visitor_sees_the_login_page(new_app_test: Callable[[], AppTest]) -> None:
    at = new_app_test().run()
    assert not at.exception
    assert "Welcome back" in at.title[0].value
    assert [field.key for field in at.text_input] == ["login_username", "login_password"]


def test_registering_logs_the_person_in_and_greets_them(
    new_app_test: Callable[[], AppTest],
) -> None:
    at = register(new_app_test().run(), "sam", GOOD_PASSWORD, name="Sam")
    assert not at.exception
    assert "Sam" in at.title[0].value and "Good" in at.title[0].value


def test_registration_explains_a_weak_password(new_app_test: Callable[[], AppTest]) -> None:
    at = register(new_app_test().run(), "sam", "password1")
    assert not at.exception
    assert "at least 12" in at.error[0].value


def test_registration_refuses_a_taken_name_in_another_case(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    make_user(core_app, "sam")
    at = register(new_app_test().run(), "SAM", GOOD_PASSWORD)
    assert "taken" in at.error[0].value


def test_logging_in_with_the_right_password_opens_home(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    make_user(core_app, "sam")
    at = log_in(new_app_test().run(), "sam", GOOD_PASSWORD)
    assert not at.exception
    assert "Sam" in at.title[0].value


def test_a_wrong_password_shows_a_kind_message(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    make_user(core_app, "sam")
    at = log_in(new_app_test().run(), "sam", "not my password at all")
    assert not at.exception
    assert "don't match" in at.error[0].value
    assert "Welcome back" in at.title[0].value


def test_five_wrong_passwords_lock_the_account_even_across_browsers(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    make_user(core_app, "sam")
    for _ in range(5):  # a fresh browser session each time: the count is in the database
        at = log_in(new_app_test().run(), "sam", "not my password at all")
    assert "locked" in at.error[0].value
    at = log_in(new_app_test().run(), "sam", GOOD_PASSWORD)
    assert "locked" in at.error[0].value


def test_logging_out_returns_to_the_login_page(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    make_user(core_app, "sam")
    at = log_in(new_app_test().run(), "sam", GOOD_PASSWORD)
    at.button(key="logout_button").click()
    at = at.run()
    assert not at.exception
    assert "Welcome back" in at.title[0].value
    assert "logged out" in texts(at)


def test_a_gated_page_without_login_is_not_even_registered(
    new_app_test: Callable[[], AppTest],
) -> None:
    at = new_app_test().run()
    with pytest.raises(ValueError, match="Known pages") as excinfo:
        at.switch_page("pages/settings.py")
    assert "login.py" in str(excinfo.value) and "chat.py" not in str(excinfo.value)
    assert "Welcome back" in at.title[0].value


def test_an_idle_session_is_logged_out(new_app_test: Callable[[], AppTest], core_app: App) -> None:
    make_user(core_app, "sam")
    at = log_in(new_app_test().run(), "sam", GOOD_PASSWORD)
    with core_app.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE login_sessions SET last_seen_at = :t"),
            {"t": utcnow() - timedelta(minutes=31)},
        )
    at = at.run()
    assert "Welcome back" in at.title[0].value
    assert "logged out" in texts(at)


def test_a_password_change_elsewhere_logs_this_browser_out(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    user = make_user(core_app, "sam")
    at = log_in(new_app_test().run(), "sam", GOOD_PASSWORD)
    core_app.auth.change_password(
        user_id=user.id, current_password=GOOD_PASSWORD, new_password="new calm harbour 77"
    )
    at = at.run()
    assert "Welcome back" in at.title[0].value


def test_with_the_database_down_the_real_home_shows_why_and_the_crisis_numbers_quickly(
    new_app_test: Callable[[], AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    monkeypatch.setenv("DATABASE_URL", f"mysql+pymysql://root@127.0.0.1:{closed}/companion")
    monkeypatch.setenv("DB_STARTUP_WAIT_SECONDS", "1")
    started = time.monotonic()
    at = new_app_test().run()
    assert time.monotonic() - started < 8  # it waited about 27 s before
    assert not at.exception
    shown = texts(at) + "\n".join(str(w.value) for w in at.warning)
    assert "can't reach the database" in shown
    assert "988" in shown and "911" in shown  # the default region's numbers, no database needed
