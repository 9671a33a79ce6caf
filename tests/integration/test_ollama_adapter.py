"""The real OllamaLLM, with the real `ollama` client, against a loopback fake Ollama server."""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from core.adapters.ollama import OllamaLLM, ollama_from_settings
from core.config import Settings
from core.ports import (
    LLM,
    ChatMessage,
    LLMError,
    LLMModelMissing,
    LLMStreamError,
    LLMTimeout,
    LLMUnavailable,
)
from tests.fakes.ollama_server import FakeOllama

MODEL = "llama3.2:3b"
SECRET = "my neighbour Gretchen knows my secret"
CONVERSATION = [
    ChatMessage("system", "You are a warm, careful companion."),
    ChatMessage("user", SECRET),
]


def wait_until(condition: Callable[[], bool], seconds: float = 3.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.fixture(autouse=True)
def no_thread_leak() -> Iterator[None]:
    """Every test ends with the threads it started gone (fake server included)."""
    baseline = threading.active_count()
    yield
    gc.collect()  # closes generators a test dropped without closing
    assert wait_until(lambda: threading.active_count() <= baseline), [
        t.name for t in threading.enumerate()
    ]


@pytest.fixture
def fake() -> Iterator[FakeOllama]:
    with FakeOllama() as server:
        yield server


def make_llm(host: str, **overrides: float) -> OllamaLLM:
    settings: dict[str, float] = {
        "connect_timeout": 1.0,
        "read_timeout": 5.0,
        "first_token_timeout": 2.0,
    }
    settings.update(overrides)
    return OllamaLLM(
        host,
        MODEL,
        keep_alive="30m",
        num_ctx=4096,
        num_predict=256,
        **settings,
    )


def texts(stream: Iterator[str]) -> list[str]:
    """The pieces of text, without the empty keep-alive pieces sent while waiting."""
    return [piece for piece in stream if piece]


def next_text(stream: Iterator[str]) -> str:
    """The next piece of text, skipping keep-alive pieces."""
    return next(piece for piece in stream if piece)


def consume(llm: OllamaLLM) -> list[str]:
    return texts(llm.stream_chat(CONVERSATION))


# -- streaming -------------------------------------------------------------------------------------


def test_stream_chat_yields_the_servers_tokens_in_order(fake: FakeOllama) -> None:
    fake.reply_tokens = ["You ", "are ", "not ", "alone", "."]
    assert consume(make_llm(fake.url)) == ["You ", "are ", "not ", "alone", "."]


def test_ollama_llm_satisfies_the_llm_protocol(fake: FakeOllama) -> None:
    llm: LLM = make_llm(fake.url)
    assert llm.model_name == MODEL


def test_every_chat_sends_the_context_size_answer_limit_and_keep_alive(fake: FakeOllama) -> None:
    consume(make_llm(fake.url))
    [request] = fake.requests_to("/api/chat")
    assert request.body["model"] == MODEL
    assert request.body["stream"] is True
    assert request.body["keep_alive"] == "30m"
    assert request.body["options"] == {"num_ctx": 4096, "num_predict": 256, "temperature": 0.7}
    assert request.body["messages"] == [
        {"role": "system", "content": "You are a warm, careful companion."},
        {"role": "user", "content": SECRET},
    ]


def test_nothing_is_sent_until_the_stream_is_read(fake: FakeOllama) -> None:
    stream = make_llm(fake.url).stream_chat(CONVERSATION)
    assert fake.requests_to("/api/chat") == []
    stream.close()
    assert fake.requests_to("/api/chat") == []


def test_two_conversations_can_stream_at_the_same_time(fake: FakeOllama) -> None:
    fake.token_delay = 0.02
    llm = make_llm(fake.url)
    results: list[list[str]] = []
    threads = [threading.Thread(target=lambda: results.append(consume(llm))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert results == [fake.reply_tokens, fake.reply_tokens]


def test_closing_the_stream_early_stops_the_server_and_leaks_no_thread(fake: FakeOllama) -> None:
    baseline = threading.active_count()
    fake.reply_tokens = [f"word{i} " for i in range(100)]
    fake.token_delay = 0.05
    stream = make_llm(fake.url).stream_chat(CONVERSATION)
    assert [next_text(stream), next_text(stream)] == ["word0 ", "word1 "]
    started = time.monotonic()
    stream.close()
    assert time.monotonic() - started < 0.5
    assert fake.client_gone.wait(2)
    assert fake.streams_completed == 0
    assert fake.chunks_sent < 100
    assert wait_until(lambda: threading.active_count() <= baseline)


def test_dropping_the_stream_without_closing_it_also_stops_the_server(fake: FakeOllama) -> None:
    fake.reply_tokens = [f"word{i} " for i in range(100)]
    fake.token_delay = 0.05
    stream = make_llm(fake.url).stream_chat(CONVERSATION)
    next_text(stream)
    del stream
    gc.collect()
    assert fake.client_gone.wait(2)
    assert fake.streams_completed == 0


# -- failures --------------------------------------------------------------------------------------


def test_server_down_raises_llm_unavailable_quickly() -> None:
    llm = make_llm(FakeOllama.down_url())
    started = time.monotonic()
    with pytest.raises(LLMUnavailable, match="cannot connect"):
        consume(llm)
    assert time.monotonic() - started < 3


def test_an_unresolvable_host_raises_llm_unavailable() -> None:
    with pytest.raises(LLMUnavailable, match="cannot connect"):
        consume(make_llm("http://ollama.invalid:11434", first_token_timeout=5.0))


def test_a_malformed_host_raises_llm_unavailable_instead_of_crashing() -> None:
    with pytest.raises(LLMUnavailable, match="not a valid"):
        consume(make_llm("ftp://ollama.example"))
    assert not make_llm("http://[::1").health().up


def test_a_model_that_is_not_pulled_raises_llm_model_missing_with_the_pull_command(
    fake: FakeOllama,
) -> None:
    fake.models = ["mistral:7b"]
    with pytest.raises(LLMModelMissing) as caught:
        consume(make_llm(fake.url))
    assert caught.value.model == MODEL
    assert caught.value.pull_command == "ollama pull llama3.2:3b"
    assert "ollama pull llama3.2:3b" in str(caught.value)


def test_a_host_that_is_not_an_ollama_api_raises_llm_unavailable(fake: FakeOllama) -> None:
    with pytest.raises(LLMUnavailable, match="no Ollama API"):
        consume(make_llm(fake.url + "/not-ollama"))


def test_a_slow_first_token_raises_llm_timeout_within_the_limit_plus_one_second(
    fake: FakeOllama,
) -> None:
    baseline = threading.active_count()
    fake.first_token_delay = 5.0
    llm = make_llm(fake.url, first_token_timeout=1.0)
    started = time.monotonic()
    with pytest.raises(LLMTimeout, match="no text within 1 s") as caught:
        consume(llm)
    assert time.monotonic() - started < 2.0
    assert caught.value.partial_text == ""
    assert fake.client_gone.wait(2), "the fake should see the client hang up"
    assert wait_until(lambda: threading.active_count() <= baseline)


def test_a_stream_that_stalls_after_some_text_raises_llm_timeout_with_the_text(
    fake: FakeOllama,
) -> None:
    fake.reply_tokens = ["I ", "hear ", "you"]
    fake.token_delay = 3.0
    llm = make_llm(fake.url, read_timeout=0.5)
    received: list[str] = []
    started = time.monotonic()
    with pytest.raises(LLMTimeout) as caught:
        received.extend(piece for piece in llm.stream_chat(CONVERSATION) if piece)
    assert time.monotonic() - started < 1.5
    assert received == ["I "]
    assert caught.value.partial_text == "I "


def test_an_error_in_the_middle_of_the_stream_raises_llm_stream_error_with_the_partial_text(
    fake: FakeOllama,
) -> None:
    fake.reply_tokens = ["Take ", "a ", "slow ", "breath."]
    fake.error_after = 2
    received: list[str] = []
    with pytest.raises(LLMStreamError, match="unexpected EOF") as caught:
        received.extend(piece for piece in make_llm(fake.url).stream_chat(CONVERSATION) if piece)
    assert received == ["Take ", "a "]
    assert caught.value.partial_text == "Take a "
    assert caught.value.status_code is None


def test_a_connection_cut_in_the_middle_of_the_stream_raises_llm_stream_error(
    fake: FakeOllama,
) -> None:
    fake.reply_tokens = ["Take ", "a ", "slow ", "breath."]
    fake.cut_after = 3
    with pytest.raises(LLMStreamError) as caught:
        consume(make_llm(fake.url))
    assert caught.value.partial_text == "Take a slow "


def test_a_stream_that_ends_without_the_final_done_chunk_raises_llm_stream_error(
    fake: FakeOllama,
) -> None:
    # Without chunked framing a cut looks like a normal end of body to the client.
    fake.chunked = False
    fake.reply_tokens = ["Take ", "a ", "slow ", "breath."]
    fake.cut_after = 4
    with pytest.raises(LLMStreamError, match="before the answer was complete") as caught:
        consume(make_llm(fake.url))
    assert caught.value.partial_text == "Take a slow breath."


def test_an_http_error_before_any_text_raises_llm_stream_error_with_the_status(
    fake: FakeOllama,
) -> None:
    fake.status_error = (500, "model requires more system memory (5.6 GiB) than is available")
    with pytest.raises(LLMStreamError, match="more system memory") as caught:
        consume(make_llm(fake.url))
    assert caught.value.status_code == 500
    assert caught.value.partial_text == ""


def test_a_busy_server_raises_llm_unavailable(fake: FakeOllama) -> None:
    fake.status_error = (503, "server busy, please try again.  maximum pending requests exceeded")
    with pytest.raises(LLMUnavailable, match="busy"):
        consume(make_llm(fake.url))


@pytest.mark.parametrize(
    "failure",
    [
        {"error_after": 1},
        {"cut_after": 1},
        {"status_error": (500, "boom")},
        {"models": []},
        {"first_token_delay": 2.0},
    ],
    ids=["error line", "cut", "http 500", "model missing", "timeout"],
)
def test_error_messages_and_logs_never_contain_the_users_text(
    fake: FakeOllama, caplog: pytest.LogCaptureFixture, failure: dict[str, object]
) -> None:
    caplog.set_level(logging.DEBUG)
    for name, value in failure.items():
        setattr(fake, name, value)
    with pytest.raises(LLMError) as caught:
        consume(make_llm(fake.url, first_token_timeout=0.5))
    assert "Gretchen" not in str(caught.value)
    assert "Gretchen" not in repr(caught.value)
    assert "Gretchen" not in caplog.text
    assert "Gretchen" not in repr(CONVERSATION)


# -- warm-up and health ----------------------------------------------------------------------------


def test_warm_up_loads_the_model_with_the_same_options_as_the_chats(fake: FakeOllama) -> None:
    llm = make_llm(fake.url)
    llm.warm_up()
    assert llm.wait_for_warm_up(5)
    [request] = fake.requests_to("/api/chat")
    assert request.body["messages"] == []
    assert request.body["keep_alive"] == "30m"
    assert request.body["options"]["num_ctx"] == 4096


def test_warm_up_returns_at_once_while_the_model_loads(fake: FakeOllama) -> None:
    fake.first_token_delay = 1.0
    llm = make_llm(fake.url)
    started = time.monotonic()
    llm.warm_up()
    llm.warm_up()  # a second call while loading is a no-op
    assert time.monotonic() - started < 0.2
    assert llm.wait_for_warm_up(5)
    assert len(fake.requests_to("/api/chat")) == 1


def test_warm_up_against_a_down_server_does_not_raise(caplog: pytest.LogCaptureFixture) -> None:
    llm = make_llm(FakeOllama.down_url())
    llm.warm_up()
    assert llm.wait_for_warm_up(5)
    assert "warm-up failed" in caplog.text


def test_health_reports_a_running_server_with_the_model(fake: FakeOllama) -> None:
    fake.models = ["mistral:7b", MODEL]
    health = make_llm(fake.url).health()
    assert health.up and health.model_available
    assert health.models == ("mistral:7b", MODEL)
    assert fake.requests_to("/api/tags")


def test_health_reports_a_missing_model_with_the_pull_command(fake: FakeOllama) -> None:
    fake.models = ["mistral:7b"]
    health = make_llm(fake.url).health()
    assert health.up and not health.model_available
    assert "ollama pull llama3.2:3b" in health.detail


def test_health_reports_a_down_server_quickly() -> None:
    started = time.monotonic()
    health = make_llm(FakeOllama.down_url()).health()
    assert time.monotonic() - started < 3
    assert not health.up and not health.model_available
    assert "cannot connect" in health.detail


def test_health_reports_a_server_that_is_not_ollama_as_down(fake: FakeOllama) -> None:
    health = make_llm(fake.url + "/not-ollama").health()
    assert not health.up
    assert "no Ollama API" in health.detail


def test_health_treats_a_name_without_tag_as_latest(fake: FakeOllama) -> None:
    fake.models = ["llama3.2:latest"]
    llm = OllamaLLM(
        fake.url,
        "llama3.2",
        connect_timeout=1,
        read_timeout=5,
        first_token_timeout=2,
        keep_alive="30m",
        num_ctx=4096,
        num_predict=256,
    )
    assert llm.health().model_available
    assert texts(llm.stream_chat(CONVERSATION)) == fake.reply_tokens


def test_from_settings_uses_the_ollama_settings(fake: FakeOllama) -> None:
    settings = Settings(
        app_env="test",
        ollama_host=fake.url,
        ollama_num_ctx=8192,
        ollama_num_predict=300,
        ollama_keep_alive="5m",
    )
    llm = ollama_from_settings(settings)
    assert llm.model_name == settings.ollama_model
    consume(llm)
    [request] = fake.requests_to("/api/chat")
    assert request.body["options"]["num_ctx"] == 8192
    assert request.body["options"]["num_predict"] == 300
    assert request.body["keep_alive"] == "5m"


def test_the_fake_stops_cleanly_while_a_client_waits_for_an_answer() -> None:
    server = FakeOllama().start()
    server.first_token_delay = 30.0
    llm = make_llm(server.url, first_token_timeout=10.0)
    errors: list[BaseException] = []

    def chat() -> None:
        try:
            consume(llm)
        except LLMError as exc:
            errors.append(exc)

    client = threading.Thread(target=chat)
    client.start()
    assert wait_until(lambda: bool(server.requests_to("/api/chat")))
    started = time.monotonic()
    server.stop()
    client.join(5)
    assert time.monotonic() - started < 2
    assert len(errors) == 1 and isinstance(errors[0], LLMStreamError)


def test_a_stall_between_tokens_falls_back_after_the_stall_timeout_not_the_read_timeout(
    fake: FakeOllama,
) -> None:
    fake.reply_tokens = ["I ", "hear ", "you"]
    fake.token_delay = 3.0
    settings = Settings(
        app_env="test",
        ollama_host=fake.url,
        ollama_read_timeout=60,  # the default: a stall used to wait this long
        ollama_stall_timeout=1,
    )
    llm = ollama_from_settings(settings)
    started = time.monotonic()
    with pytest.raises(LLMTimeout, match="stalled for more than 1 s"):
        list(llm.stream_chat(CONVERSATION))
    assert time.monotonic() - started < 2.5
