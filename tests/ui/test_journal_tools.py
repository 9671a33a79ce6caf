"""The journal page's sentiment chart (with its limits said) and search by meaning, kind, date."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from core.bootstrap import App
from core.journal_forms import gratitude_entry
from tests.factories import GOOD_PASSWORD, make_user
from tests.ui.conftest import log_in, texts


def _journal(new_app_test: Callable[[], AppTest], core_app: App) -> tuple[AppTest, str]:
    user = make_user(core_app, "sam")
    core_app.journal.add(user_id=user.id, title="Park", body="A calm walk in the park by the lake.")
    core_app.journal.add(user_id=user.id, title="Work", body="Deadline stress and a long meeting.")
    draft = gratitude_entry(["Tea", "Sunshine", "A call with Mum"])
    core_app.journal.add(user_id=user.id, title=draft.title, body=draft.body, kind=draft.kind)
    at = log_in(new_app_test().run(), "sam", GOOD_PASSWORD)
    return at.switch_page("pages/journal.py").run(), user.id


def test_the_sentiment_chart_sits_beside_mood_and_says_its_limits(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, _ = _journal(new_app_test, core_app)
    assert not at.exception
    assert at.get("plotly_chart")
    shown = texts(at)
    assert "VADER" in shown and "reads words, not meaning" in shown
    assert "correlation, not cause" in shown
    assert at.get("download_button")


def test_a_new_account_sees_a_friendly_line_instead_of_an_empty_chart(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    make_user(core_app, "kim")
    at = log_in(new_app_test().run(), "kim", GOOD_PASSWORD)
    at = at.switch_page("pages/journal.py").run()
    assert not at.exception and not at.get("plotly_chart")
    assert "No entries in the last 90 days yet" in texts(at)


def test_search_by_meaning_puts_the_closest_entry_first(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, _ = _journal(new_app_test, core_app)
    at.text_input(key="journal_search_query").input("walk in the park")
    at.button(key="journal_search_submit").click()
    at = at.run()
    assert not at.exception
    assert "closest first" in texts(at)
    found = [md.value for md in at.markdown if md.value.startswith("**")]
    assert found[0] == "**Park**"


def test_search_by_kind_alone_lists_only_that_kind(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, _ = _journal(new_app_test, core_app)
    at.selectbox(key="journal_search_kind").set_value("gratitude")
    at.button(key="journal_search_submit").click()
    at = at.run()
    assert not at.exception
    assert "1 found, newest first" in texts(at)


def test_a_search_that_finds_nothing_says_so_kindly(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, _ = _journal(new_app_test, core_app)
    at.selectbox(key="journal_search_kind").set_value("thought_record")
    at.button(key="journal_search_submit").click()
    at = at.run()
    assert not at.exception and "No entries match" in texts(at)


def test_a_crisis_search_shows_the_numbers(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, _ = _journal(new_app_test, core_app)
    at.text_input(key="journal_search_query").input("I want to kill myself")
    at.button(key="journal_search_submit").click()
    at = at.run()
    assert not at.exception and at.error and "988" in at.error[0].value


def test_logging_out_drops_the_persons_vectors_from_the_search_cache(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _journal(new_app_test, core_app)
    at.text_input(key="journal_search_query").input("walk in the park")
    at.button(key="journal_search_submit").click()
    at = at.run()
    assert not at.exception and user_id in core_app.journal_search._cache
    at.button(key="logout_button").click()
    at = at.run()
    assert not at.exception and "logged out" in texts(at)
    assert user_id not in core_app.journal_search._cache
