"""The breathe page: choosing a pattern, a custom pattern refused kindly, the run, the stats."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from core.bootstrap import App
from core.demo import DEMO_PASSWORD, DEMO_USERNAME, seed
from tests.factories import GOOD_PASSWORD, make_user
from tests.ui.conftest import log_in, texts


def _breathe(new_app_test: Callable[[], AppTest], core_app: App) -> AppTest:
    make_user(core_app, "sam")
    at = log_in(new_app_test().run(), "sam", GOOD_PASSWORD)
    return at.switch_page("pages/breathe.py").run()


def test_starting_a_pattern_shows_its_pacer_and_leaving_shows_the_set_up_again(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at = _breathe(new_app_test, core_app)
    assert not at.exception and at.title[0].value == "Breathe"
    at.radio(key="breathe_pattern").set_value("4-7-8")
    at.slider(key="breathe_minutes").set_value(2)
    at.button(key="breathe_start").click()
    at = at.run()
    assert not at.exception
    assert at.subheader[0].value == "4-7-8 breathing"
    assert "3.2 breaths a minute" in texts(at) and "1 min 54 s" in texts(at)  # 6 whole breaths
    at.button(key="breathe_leave").click()
    at = at.run()
    assert not at.exception and at.button(key="breathe_start")


def test_a_custom_pattern_of_zero_or_six_hundred_seconds_gets_a_kind_message(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at = _breathe(new_app_test, core_app)
    at.radio(key="breathe_pattern").set_value("custom").run()
    for n in range(4):
        at.number_input(key=f"breathe_custom_{n}").set_value(0.0)
    at = at.run()
    assert not at.exception and "at least 1 second" in at.warning[0].value
    assert at.button(key="breathe_start").disabled
    for n in range(4):
        at.number_input(key=f"breathe_custom_{n}").set_value(150.0)
    at = at.run()
    assert "at most 20" in at.warning[0].value


def test_the_demo_sees_its_practice_by_pattern(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    seed(core_app)
    at = log_in(new_app_test().run(), DEMO_USERNAME, DEMO_PASSWORD)
    at = at.switch_page("pages/breathe.py").run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 1
    assert at.dataframe and len(at.dataframe[0].value) == 4


def test_the_microphone_is_only_offered_until_the_person_agrees(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at = _breathe(new_app_test, core_app)
    at.button(key="breathe_start").click()
    at = at.run()
    assert not at.exception
    [toggle] = [t for t in at.toggle if t.key.startswith("breathe_mic_consent_")]
    assert toggle.value is False and "Nothing is recorded" in toggle.label
    assert not at.get("component_instance") or all(
        "webrtc" not in str(c.proto) for c in at.get("component_instance")
    )  # no microphone component before consent
