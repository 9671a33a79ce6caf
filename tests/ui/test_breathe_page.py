"""The breathe page: choosing a pattern, a custom pattern refused kindly, the run, the stats."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from streamlit.testing.v1 import AppTest
from streamlit_webrtc.component import WebRtcStreamerState

from core.bootstrap import App
from core.demo import DEMO_PASSWORD, DEMO_USERNAME, seed
from tests.factories import GOOD_PASSWORD, make_user
from tests.ui.conftest import log_in, texts
from ui.breath_mic import NO_CONNECTION, NOT_ON
from ui.pacer import PacerEvent


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


def _started(new_app_test: Callable[[], AppTest], core_app: App) -> AppTest:
    at = _breathe(new_app_test, core_app)
    at.radio(key="breathe_pattern").set_value("resonance")
    at.button(key="breathe_start").click()
    return at.run()


def test_a_finished_session_is_saved_with_the_pace_the_microphone_measured(
    new_app_test: Callable[[], AppTest], core_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The browser's pacer says the session is done, and the microphone's meter heard 6.1 a
    # minute: both stand in for the browser here (the Chromium test drives the real ones).
    monkeypatch.setattr("ui.breathe.pacer", lambda *args, **kwargs: PacerEvent("done", 176))
    monkeypatch.setattr("ui.breathe.measured_rate", lambda run_id: 6.1)
    at = _started(new_app_test, core_app)
    assert not at.exception
    assert "The microphone measured **6.1 breaths a minute** (the pattern's pace: 5.5)" in texts(at)
    at.button(key="breathe_save").click()
    at = at.run()
    assert not at.exception
    assert "Saved. Stress 5 → 5. Your pace: 6.1 breaths a minute." in texts(at)
    [session] = core_app.breathing.recent(user_id=core_app.auth.login(
        username="sam", password=GOOD_PASSWORD).id)  # fmt: skip
    assert session.breaths_per_minute == 6.1
    stats, history = at.dataframe[0].value, at.dataframe[1].value
    assert list(stats["Measured pace"]) == ["6.1 a minute, 1 session"]
    assert list(history["Breaths a minute"]) == ["6.1 (aim 5.5)"]


def test_a_session_without_the_microphone_is_saved_without_a_pace(
    new_app_test: Callable[[], AppTest], core_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ui.breathe.pacer", lambda *args, **kwargs: PacerEvent("done", 176))
    at = _started(new_app_test, core_app)
    assert "microphone measured" not in texts(at)
    at.button(key="breathe_save").click()
    at = at.run()
    assert not at.exception and "Saved. Stress 5 → 5." in texts(at)
    assert list(at.dataframe[1].value["Breaths a minute"]) == ["–"]


@dataclass
class _Microphone:
    """What streamlit-webrtc reports: `signalling` once the browser has sent its offer, and
    `playing` once audio flows (never, here)."""

    state: WebRtcStreamerState
    audio_receiver: None = None


@pytest.mark.parametrize(
    ("signalling", "message"),
    [(True, NO_CONNECTION), (False, NOT_ON)],
    ids=["offer-but-no-connection", "refused-or-never-started"],
)
def test_a_microphone_that_cannot_be_used_gets_a_kind_message_and_the_pacer_goes_on(
    new_app_test: Callable[[], AppTest], core_app: App, monkeypatch: pytest.MonkeyPatch,
    signalling: bool, message: str,
) -> None:  # fmt: skip
    microphone = _Microphone(WebRtcStreamerState(playing=False, signalling=signalling))
    monkeypatch.setattr("ui.breath_mic.webrtc_streamer", lambda **kwargs: microphone)
    monkeypatch.setattr("ui.breath_mic.CONNECT_SECONDS", 0.2)
    monkeypatch.setattr("ui.breath_mic.START_SECONDS", 0.2)
    at = _started(new_app_test, core_app)
    [toggle] = [t for t in at.toggle if t.key.startswith("breathe_mic_consent_")]
    at = toggle.set_value(True).run()
    assert not at.exception
    assert [w.value for w in at.warning] == [message]
    assert "works just the same without it" in message
    assert at.button(key="breathe_leave")  # the run (and its pacer) is still there
    assert any("pacer" in str(c.proto) for c in at.get("component_instance"))
