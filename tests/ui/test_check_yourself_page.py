"""The Check-yourself page: PHQ-9 and GAD-7, the result and its band, item 9's crisis numbers,
unanswered questions, the history chart and the repeat suggestion."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from core.bootstrap import App
from core.profile import Preferences
from core.screening import GAD7, PHQ9, Instrument
from tests.factories import GOOD_PASSWORD, make_user
from tests.ui.conftest import log_in, texts
from ui.screening import item_key


def _page(
    new_app_test: Callable[[], AppTest], core_app: App, region: str = "US"
) -> tuple[AppTest, str]:
    user = make_user(core_app, "sam")
    if region != "US":
        core_app.profile.update(
            user_id=user.id, preferences=Preferences("Sam", region, "Europe/London", "en")
        )
    at = log_in(new_app_test().run(), "sam", GOOD_PASSWORD)
    return at.switch_page("pages/check_yourself.py").run(), user.id


def _answer(at: AppTest, which: Instrument, answers: list[int | None]) -> AppTest:
    for number, value in enumerate(answers):
        if value is not None:
            at.radio(key=item_key(which, number)).set_value(value)
    at.button(key=f"screening_submit_{which.id}").click()
    return at.run()


def test_the_page_says_a_screening_is_not_a_diagnosis_and_starts_empty(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, _ = _page(new_app_test, core_app)
    assert not at.exception and at.title[0].value == "Check yourself"
    assert "not a diagnosis" in texts(at)
    assert "No PHQ-9 results yet" in texts(at) and "No GAD-7 results yet" in texts(at)
    assert all(radio.value is None for radio in at.radio)  # nothing preselected


def test_a_completed_phq9_shows_total_band_and_history(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _page(new_app_test, core_app)
    at = _answer(at, PHQ9, [2, 2, 1, 1, 1, 1, 1, 1, 0])
    assert not at.exception and not at.error
    assert "**10** out of 27: **moderate**" in at.success[0].value
    [view] = core_app.screening.history(user_id=user_id)
    assert (view.instrument, view.total) == ("PHQ-9", 10)
    assert at.get("plotly_chart")  # the history chart is drawn
    assert "two weeks" in texts(at)  # the gentle repeat suggestion


def test_item_9_above_zero_shows_the_regions_crisis_numbers_even_with_a_low_total(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, _ = _page(new_app_test, core_app, region="GB")
    at = _answer(at, PHQ9, [0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert not at.exception
    assert at.error and "116 123" in at.error[0].value  # Samaritans, the GB line
    assert "minimal" in at.success[0].value


def test_an_unanswered_question_gets_a_kind_message_and_nothing_is_saved(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _page(new_app_test, core_app)
    at = _answer(at, GAD7, [1, 1, 1, None, 1, 1, 1])
    assert not at.exception
    assert "answer all 7 questions" in at.warning[0].value
    assert core_app.screening.history(user_id=user_id) == []


def test_a_gad7_result_is_saved_and_the_csv_download_is_offered(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _page(new_app_test, core_app)
    at = _answer(at, GAD7, [3, 3, 3, 3, 3, 3, 3])
    assert not at.exception and "**21** out of 21: **severe**" in at.success[0].value
    assert [view.instrument for view in core_app.screening.history(user_id=user_id)] == ["GAD-7"]
    assert at.get("download_button")
