"""The chat page end to end in AppTest: the real Ollama client against the fake server, the
real HNSW index over the fake (hashing) embedder."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.bootstrap import App
from tests.factories import GOOD_PASSWORD, make_user
from tests.fakes.ollama_server import FakeOllama
from tests.ui.conftest import log_in, texts

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shared_runtime(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One runtime folder per module, so the knowledge index is built once."""
    return tmp_path_factory.mktemp("chat-runtime")


@pytest.fixture
def ollama(monkeypatch: pytest.MonkeyPatch, shared_runtime: Path) -> Iterator[FakeOllama]:
    monkeypatch.setenv("RUNTIME_DIR", str(shared_runtime))
    with FakeOllama() as server:
        monkeypatch.setenv("OLLAMA_HOST", server.url)
        monkeypatch.setenv("OLLAMA_MODEL", "llama3.2:3b")
        monkeypatch.setenv("OLLAMA_FIRST_TOKEN_TIMEOUT", "1.5")
        yield server


def _chat(new_app_test: Callable[[], AppTest], core_app: App) -> AppTest:
    make_user(core_app, "sam")
    at = log_in(new_app_test().run(), "sam", GOOD_PASSWORD)
    return at.switch_page("pages/chat.py").run()


def _send(at: AppTest, text: str) -> AppTest:
    at.chat_input[0].set_value(text)
    return at.run(timeout=60)


def _answer(at: AppTest) -> str:
    return "\n".join(
        str(message.markdown[-1].value)
        for message in at.chat_message
        if message.name == "assistant" and message.markdown
    )


def test_a_message_gets_a_streamed_answer_with_its_sources(
    ollama: FakeOllama, new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at = _send(_chat(new_app_test, core_app), "I can't fall asleep, my mind keeps racing at night")
    assert not at.exception
    assert "".join(ollama.reply_tokens).strip() in _answer(at)
    assert "not a person or a clinician" in texts(at)  # the AI disclosure
    assert "Based on" in texts(at)
    system = ollama.requests_to("/api/chat")[-1].body["messages"][0]["content"]
    assert "Background notes" in system


def test_the_conversation_is_there_after_a_rerun(
    ollama: FakeOllama, new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at = _send(_chat(new_app_test, core_app), "I feel tense before work")
    at = at.run()
    assert any(m.name == "user" for m in at.chat_message)
    assert "I feel tense before work" in "\n".join(
        str(m.markdown[0].value) for m in at.chat_message if m.markdown
    )


def test_when_ollama_is_down_the_page_answers_offline(
    ollama: FakeOllama,
    new_app_test: Callable[[], AppTest],
    core_app: App,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ollama.stop()
    at = _send(_chat(new_app_test, core_app), "I feel so stressed about exams")
    assert not at.exception
    assert "Offline mode" in texts(at)
    # The guides point to a crisis line; its number is on screen beside them (US default).
    assert "If you need help right now: emergency **911**" in texts(at)
    assert "988" in texts(at)
    assert "I feel so stressed about exams" in "\n".join(
        str(m.markdown[0].value) for m in at.chat_message if m.markdown
    )


def test_a_missing_model_shows_the_pull_command(
    ollama: FakeOllama, new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    ollama.models = ["another:7b"]
    at = _send(_chat(new_app_test, core_app), "I feel lonely")
    assert "ollama pull llama3.2:3b" in texts(at)


def test_a_slow_model_falls_back_in_time(
    ollama: FakeOllama, new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    ollama.first_token_delay = 20
    at = _chat(new_app_test, core_app)
    started = time.monotonic()
    at = _send(at, "I keep worrying about everything")
    assert time.monotonic() - started < 1.5 + 2 + 1  # limit + 2 s, plus AppTest overhead
    assert "Offline mode" in texts(at)


def test_a_stream_cut_midway_still_ends_with_an_answer(
    ollama: FakeOllama, new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    ollama.cut_after = 4
    at = _send(_chat(new_app_test, core_app), "Work is overwhelming")
    assert not at.exception
    assert "Offline mode" in texts(at)


def test_a_crisis_message_shows_crisis_resources_and_skips_the_model(
    ollama: FakeOllama, new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at = _send(
        _chat(new_app_test, core_app), "i dont want to be alive anymore, i have the pills ready"
    )
    assert not at.exception
    crisis = "\n".join(str(box.value) for box in at.error)
    assert "988" in crisis and "911" in crisis
    assert ollama.requests_to("/api/chat") == []


def test_a_paste_longer_than_a_message_is_refused_kindly_and_kept(
    ollama: FakeOllama, new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    long_text = "Today was a lot. " * 600  # about 10,000 characters
    at = _chat(new_app_test, core_app)
    assert at.chat_input[0].proto.max_chars > len(long_text)  # the browser would cut it
    at = _send(at, long_text)
    assert not at.exception
    assert "share it in parts" in "\n".join(str(w.value) for w in at.warning)
    assert at.text_area[0].value == long_text.strip() or at.text_area[0].value == long_text
    assert ollama.requests_to("/api/chat") == []


def _conversation_titles(at: AppTest) -> list[str]:
    return [str(option) for option in at.radio(key="chat_pick").options] if at.radio else []


def test_new_conversation_opens_an_empty_one_and_the_next_message_goes_there(
    ollama: FakeOllama, new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at = _send(_chat(new_app_test, core_app), "First worry about work")
    assert len(_conversation_titles(at)) == 1  # listed in the same run it was started
    at.button(key="chat_new").click()
    at = at.run()
    at.button(key="chat_new").click()  # twice: still no empty entries
    at = at.run()
    assert len(_conversation_titles(at)) == 1 and at.radio(key="chat_pick").value is None
    assert not [m for m in at.chat_message if m.name == "user"]  # an empty page
    at = _send(at, "Something else entirely")
    titles = _conversation_titles(at)
    assert len(titles) == 2 and titles[0].startswith("Something else")
    assert at.radio(key="chat_pick").value == at.session_state["chat_conversation_id"]
    shown = [str(m.markdown[0].value) for m in at.chat_message if m.name == "user"]
    assert len(shown) == 1 and "Something else" in shown[0]


def test_renaming_keeps_the_conversation_selected_and_the_list_in_place(
    ollama: FakeOllama, new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at = _send(_chat(new_app_test, core_app), "One")
    at.button(key="chat_new").click()
    at = _send(at.run(), "Two")
    first_order = _conversation_titles(at)
    at.radio(key="chat_pick").set_value(at.session_state["chat_conversation_id"])
    at.text_input(key="chat_title").input("Sunday thoughts")
    at.button(key="chat_rename").click()
    at = at.run()
    assert not at.exception
    titles = _conversation_titles(at)
    assert titles[0] == "Sunday thoughts" and titles[1] == first_order[1]
    assert at.session_state["chat_conversation_id"] is not None
    assert at.radio(key="chat_pick").value == at.session_state["chat_conversation_id"]
