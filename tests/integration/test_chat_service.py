"""The chat service with the real Ollama client against the loopback fake server."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.adapters.ollama import OllamaLLM
from core.bootstrap import App
from core.chat import AI_DISCLOSURE, Answer, TurnPlan
from core.db.models import SafetyEvent, TipFeedback
from core.errors import InvalidInput, NotFound
from core.knowledge import KnowledgeEntry
from core.lazy import Lazy
from core.ports import EmbeddingModelError, SearchHit
from core.safety import RiskScore
from core.safety.semantic import load_default
from core.timeutil import utcnow
from tests.conftest import build_app, make_settings, raw_rows
from tests.factories import make_user
from tests.fakes.adapters import fake_adapters, fake_llm
from tests.fakes.embeddings import HashingEmbedder
from tests.fakes.ollama_server import FakeOllama

MODEL = "llama3.2:3b"
SLEEP_ENTRY = KnowledgeEntry(
    id="sleep-wind-down-routine",
    title="A wind-down routine for better sleep",
    topic="sleep",
    tags=("sleep",),
    basis="NHS",
    body="Dim the lights an hour before bed.\n\nPut your phone in another room.",
)


class FixedRetriever:
    """Returns the same entry for every query; records what it was asked."""

    def __init__(self) -> None:
        self.queries: list[str] = []

    def search(self, query: str, k: int, *, embedding: object = None) -> list[SearchHit]:
        self.queries.append(query)
        return [SearchHit(SLEEP_ENTRY.id, SLEEP_ENTRY.title, "sleep", 0.8, SLEEP_ENTRY)][:k]

    def get(self, entry_id: str) -> KnowledgeEntry | None:
        return SLEEP_ENTRY if entry_id == SLEEP_ENTRY.id else None


@pytest.fixture
def ollama() -> Iterator[FakeOllama]:
    with FakeOllama(models=[MODEL]) as server:
        yield server


def _app(tmp_path: Path, host: str, *, first_token: float = 2.0, num_ctx: int = 4096) -> App:
    settings = make_settings(tmp_path, ollama_num_ctx=num_ctx, ollama_num_predict=256)
    llm = OllamaLLM(
        host,
        MODEL,
        connect_timeout=1,
        read_timeout=5,
        first_token_timeout=first_token,
        keep_alive="5m",
        num_ctx=num_ctx,
        num_predict=256,
    )
    return build_app(settings, fake_adapters(settings, llm=llm, retriever=FixedRetriever()))


def _turn(
    app: App, user_id: str, text: str, conversation_id: str | None = None
) -> tuple[TurnPlan, Answer, str]:
    plan = app.chat.prepare(
        user_id=user_id, conversation_id=conversation_id, text=text, region="US"
    )
    stream = app.chat.reply(plan, user_id=user_id)
    streamed = "".join(stream)
    assert stream.result is not None
    return plan, stream.result, streamed


def test_an_answer_streams_and_is_saved_with_its_sources(
    tmp_path: Path, ollama: FakeOllama
) -> None:
    app = _app(tmp_path, ollama.url)
    user = make_user(app)
    plan, outcome, streamed = _turn(app, user.id, "I can't sleep, my mind won't stop")
    assert streamed == "".join(ollama.reply_tokens) and not outcome.offline
    assert plan.disclosure == AI_DISCLOSURE
    turns = app.conversations.history(user_id=user.id, conversation_id=plan.conversation_id)
    assert [t.role for t in turns] == ["notice", "user", "assistant"]
    assert turns[-1].knowledge_ids == (SLEEP_ENTRY.id,)
    sent = ollama.requests_to("/api/chat")[-1].body
    assert sent["options"]["num_ctx"] == 4096 and sent["keep_alive"] == "5m"
    assert "A wind-down routine" in sent["messages"][0]["content"]


def test_when_ollama_is_down_the_answer_comes_from_the_guides(tmp_path: Path) -> None:
    app = _app(tmp_path, FakeOllama.down_url())
    user = make_user(app)
    started = time.monotonic()
    plan, outcome, streamed = _turn(app, user.id, "I can't sleep")
    assert time.monotonic() - started < 3
    assert outcome.offline and "A wind-down routine" in streamed
    turns = app.conversations.history(user_id=user.id, conversation_id=plan.conversation_id)
    assert turns[1].text == "I can't sleep" and turns[-1].offline


def test_a_missing_model_gives_the_pull_command(tmp_path: Path, ollama: FakeOllama) -> None:
    ollama.models = ["some-other-model"]
    app = _app(tmp_path, ollama.url)
    user = make_user(app)
    _, outcome, _ = _turn(app, user.id, "I feel stressed")
    assert outcome.offline and outcome.pull_command == f"ollama pull {MODEL}"


def test_a_slow_first_token_falls_back_within_two_seconds_of_the_limit(
    tmp_path: Path, ollama: FakeOllama
) -> None:
    ollama.first_token_delay = 10
    app = _app(tmp_path, ollama.url, first_token=1.0)
    user = make_user(app)
    started = time.monotonic()
    _, outcome, streamed = _turn(app, user.id, "I feel stressed")
    assert time.monotonic() - started < 1.0 + 2
    assert outcome.offline and "A wind-down routine" in streamed


def test_an_error_mid_stream_keeps_the_start_and_adds_the_guides(
    tmp_path: Path, ollama: FakeOllama
) -> None:
    ollama.error_after = 6
    app = _app(tmp_path, ollama.url)
    user = make_user(app)
    _, outcome, streamed = _turn(app, user.id, "I feel stressed")
    assert outcome.offline
    assert streamed.startswith("".join(ollama.reply_tokens[:3])[:10])
    assert "lost my connection" in streamed


def test_stopping_early_saves_what_was_shown(tmp_path: Path, ollama: FakeOllama) -> None:
    ollama.token_delay = 0.05
    app = _app(tmp_path, ollama.url)
    user = make_user(app)
    plan = app.chat.prepare(user_id=user.id, conversation_id=None, text="hello", region="US")
    stream = app.chat.reply(plan, user_id=user.id)
    first = next(iter(stream))
    stream.close()
    assert stream.result is not None
    assert stream.result.stopped and stream.result.text == first
    assert stream.result.message_id is not None
    last = app.conversations.history(user_id=user.id, conversation_id=plan.conversation_id)[-1]
    assert last.text.startswith(first) and "stopped" in last.text
    assert ollama.client_gone.wait(3)


def test_a_crisis_message_never_reaches_the_model_or_later_context(
    tmp_path: Path, ollama: FakeOllama
) -> None:
    app = _app(tmp_path, ollama.url)
    user = make_user(app)
    crisis_text = "I want to kill myself tonight"
    plan, _, streamed = _turn(app, user.id, crisis_text)
    assert plan.is_crisis and plan.assessment.resources.emergency_number == "911"
    assert streamed == plan.assessment.message and streamed
    assert ollama.requests_to("/api/chat") == []
    _turn(app, user.id, "I'm still here, just tired", plan.conversation_id)
    sent = ollama.requests_to("/api/chat")[-1].body["messages"]
    assert all(crisis_text not in message["content"] for message in sent)
    assert all(streamed not in message["content"] for message in sent)
    # Who had a crisis is not readable from the database: the level is encrypted.
    stored = repr(raw_rows(app, "safety_events")) + repr(raw_rows(app, "messages"))
    assert "crisis" not in stored
    with app.store.unit(user.id) as unit:
        levels = [unit.open(event, "level_ct") for event in unit.list(SafetyEvent)]
    assert sorted(levels) == ["crisis", "none"]  # type: ignore[type-var]


def test_harmful_model_output_is_replaced_before_it_is_shown(
    tmp_path: Path, ollama: FakeOllama
) -> None:
    ollama.reply_tokens = ["I hear you. ", "You should take 50 mg of sertraline ", "every night. "]
    app = _app(tmp_path, ollama.url)
    user = make_user(app)
    _, _, streamed = _turn(app, user.id, "I can't sleep")
    assert "50 mg" not in streamed and streamed.startswith("I hear you.")


def test_the_ai_disclosure_repeats_after_three_hours(tmp_path: Path, ollama: FakeOllama) -> None:
    app = _app(tmp_path, ollama.url)
    user = make_user(app)
    plan, _, _ = _turn(app, user.id, "hello")
    again, _, _ = _turn(app, user.id, "still here", plan.conversation_id)
    assert again.disclosure is None
    with app.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE conversations SET last_disclosure_at = :t"),
            {"t": utcnow() - timedelta(hours=3, minutes=1)},
        )
    later, _, _ = _turn(app, user.id, "back again", plan.conversation_id)
    assert later.disclosure == AI_DISCLOSURE


def test_a_long_conversation_keeps_a_summary_and_fits_the_window(
    tmp_path: Path, ollama: FakeOllama
) -> None:
    app = _app(tmp_path, ollama.url, num_ctx=1400)
    user = make_user(app)
    conversation = None
    for number in range(25):
        plan, _, _ = _turn(app, user.id, f"Day {number}: work was hard. " * 8, conversation)
        conversation = plan.conversation_id
    sent = ollama.requests_to("/api/chat")[-1].body["messages"]
    assert "Summary of the earlier conversation" in sent[0]["content"]
    assert len(sent) < 25 * 2


def test_messages_are_encrypted_at_rest(tmp_path: Path, ollama: FakeOllama) -> None:
    app = _app(tmp_path, ollama.url)
    user = make_user(app)
    _turn(app, user.id, "my secret worry about money")
    assert "secret worry" not in repr(raw_rows(app, "messages"))
    assert "secret worry" not in repr(raw_rows(app, "conversations"))


@pytest.mark.parametrize("text", ["", "   ", "x" * 8_001])
def test_empty_or_huge_messages_get_a_kind_note_and_save_nothing(
    tmp_path: Path, ollama: FakeOllama, text: str
) -> None:
    app = _app(tmp_path, ollama.url)
    user = make_user(app)
    with pytest.raises(InvalidInput):
        app.chat.prepare(user_id=user.id, conversation_id=None, text=text, region="US")
    assert raw_rows(app, "messages") == []


def test_conversations_are_listed_renamed_and_deleted_only_by_their_owner(
    tmp_path: Path, ollama: FakeOllama
) -> None:
    app = _app(tmp_path, ollama.url)
    alice, bob = make_user(app), make_user(app)
    plan, _, _ = _turn(app, alice.id, "hello there")
    assert app.conversations.recent(user_id=bob.id) == []
    for action in (
        lambda: app.conversations.history(user_id=bob.id, conversation_id=plan.conversation_id),
        lambda: app.conversations.rename(
            user_id=bob.id, conversation_id=plan.conversation_id, title="x"
        ),
        lambda: app.conversations.delete(user_id=bob.id, conversation_id=plan.conversation_id),
        lambda: app.chat.prepare(
            user_id=bob.id, conversation_id=plan.conversation_id, text="hi", region="US"
        ),
    ):
        with pytest.raises(NotFound):
            action()
    app.conversations.rename(
        user_id=alice.id, conversation_id=plan.conversation_id, title="Sleep talk"
    )
    assert app.conversations.recent(user_id=alice.id)[0].title == "Sleep talk"
    app.conversations.delete(user_id=alice.id, conversation_id=plan.conversation_id)
    assert app.conversations.recent(user_id=alice.id) == []
    assert raw_rows(app, "messages") == []


def test_feedback_is_stored_per_answer(tmp_path: Path, ollama: FakeOllama) -> None:
    app = _app(tmp_path, ollama.url)
    user = make_user(app)
    _, outcome, _ = _turn(app, user.id, "hello there")
    assert outcome.message_id is not None
    app.conversations.feedback(user_id=user.id, message_id=outcome.message_id, helpful=False)
    app.conversations.feedback(user_id=user.id, message_id=outcome.message_id, helpful=True)
    rows = raw_rows(app, "tip_feedback")
    assert len(rows) == 1 and SLEEP_ENTRY.id not in repr(rows)  # the guide's id is encrypted
    with app.store.unit(user.id) as unit:
        [vote] = unit.list(TipFeedback)
        assert unit.open(vote, "knowledge_id_ct") == SLEEP_ENTRY.id and vote.helpful


def test_a_message_left_unanswered_can_be_answered_later(
    tmp_path: Path, ollama: FakeOllama
) -> None:
    app = _app(tmp_path, ollama.url)
    user = make_user(app)
    first, _, _ = _turn(app, user.id, "hello there")
    # The page closed before the first word arrived: the message is saved, the answer is not.
    app.chat.prepare(
        user_id=user.id, conversation_id=first.conversation_id, text="are you there", region="US"
    )
    plan = app.chat.resume(user_id=user.id, conversation_id=first.conversation_id, region="US")
    assert plan is not None
    sent_history = [m.content for m in plan.messages]
    assert sent_history[-1] == "are you there" and sent_history.count("are you there") == 1
    "".join(app.chat.reply(plan, user_id=user.id))
    turns = app.conversations.history(user_id=user.id, conversation_id=first.conversation_id)
    assert [t.role for t in turns][-2:] == ["user", "assistant"]
    assert (
        app.chat.resume(user_id=user.id, conversation_id=first.conversation_id, region="US") is None
    )


def test_an_unanswered_crisis_message_is_not_sent_to_the_model_on_resume(
    tmp_path: Path, ollama: FakeOllama
) -> None:
    app = _app(tmp_path, ollama.url)
    user = make_user(app)
    plan = app.chat.prepare(
        user_id=user.id, conversation_id=None, text="i want to kill myself", region="US"
    )
    assert (
        app.chat.resume(user_id=user.id, conversation_id=plan.conversation_id, region="US") is None
    )


def test_the_chat_uses_the_semantic_safety_layer_once_loaded(
    tmp_path: Path, ollama: FakeOllama
) -> None:
    class AlwaysRisky:
        """A scorer that calls everything a crisis, to see that chat consults it."""

        crisis_threshold = 0.5
        concern_threshold = 0.5

        def score(self, text: str, *, embedding: object = None) -> RiskScore:
            return RiskScore(crisis=0.99, concern=0.99)

    settings = make_settings(tmp_path)
    llm = fake_llm(ollama.url, MODEL)
    adapters = fake_adapters(
        settings, llm=llm, retriever=FixedRetriever(), risk_scorer=AlwaysRisky()
    )
    app = build_app(settings, adapters)
    user = make_user(app)
    assert app.risk_scorer() is not None  # loaded (in the app: warmed at start-up)
    plan, _, _ = _turn(app, user.id, "a quiet afternoon")
    assert plan.assessment.level == "crisis" and "semantic_risk" in plan.assessment.categories


def test_a_turn_embeds_the_message_once_for_safety_and_retrieval(
    tmp_path: Path, ollama: FakeOllama
) -> None:
    class VectorReadingScorer:
        """Scores from the vector it is handed, the way the semantic layer does."""

        crisis_threshold = 0.99
        concern_threshold = 0.99

        def __init__(self) -> None:
            self.embeddings: list[object] = []

        def score(self, text: str, *, embedding: object = None) -> RiskScore:
            self.embeddings.append(embedding)
            return RiskScore(crisis=0.01, concern=0.01)

    settings = make_settings(tmp_path)
    embedder = HashingEmbedder()
    scorer = VectorReadingScorer()
    llm = fake_llm(ollama.url, MODEL)
    app = build_app(
        settings, fake_adapters(settings, llm=llm, embedder=embedder, risk_scorer=scorer)
    )
    user = make_user(app)
    app.knowledge(), app.risk_scorer()  # loaded, as after the start-up warm-up
    embedder.calls.clear()
    plan, _, _ = _turn(app, user.id, "I lie awake every night worrying about work")
    assert embedder.calls == [1]  # one text embedded, once, for the whole turn
    assert scorer.embeddings and scorer.embeddings[0] is not None
    assert plan.hits  # retrieval used the same vector and still found entries


def test_stop_while_the_model_is_still_thinking_ends_the_turn_at_once(
    tmp_path: Path, ollama: FakeOllama
) -> None:
    ollama.first_token_delay = 3.0
    app = _app(tmp_path, ollama.url, first_token=10.0)
    user = make_user(app)
    plan = app.chat.prepare(user_id=user.id, conversation_id=None, text="hello", region="US")
    stream = app.chat.reply(plan, user_id=user.id)
    started = time.monotonic()
    assert next(iter(stream)) == ""  # "still thinking": the page gets control back
    stream.close()  # what Stop does
    assert time.monotonic() - started < 1.0
    assert stream.result is not None and stream.result.stopped and stream.result.text == ""
    turns = app.conversations.history(user_id=user.id, conversation_id=plan.conversation_id)
    assert [turn.role for turn in turns][-1] == "user"  # nothing saved; "Answer it" is offered
    assert ollama.client_gone.wait(3)


def test_stop_while_the_guides_answer_is_saved_as_stopped(tmp_path: Path) -> None:
    app = _app(tmp_path, "http://127.0.0.1:9")  # Ollama down: the guides answer
    user = make_user(app)
    plan = app.chat.prepare(user_id=user.id, conversation_id=None, text="hello", region="US")
    stream = app.chat.reply(plan, user_id=user.id)
    fallback = next(piece for piece in stream if piece)
    stream.close()
    assert stream.result is not None and stream.result.stopped and stream.result.offline
    last = app.conversations.history(user_id=user.id, conversation_id=plan.conversation_id)[-1]
    assert last.text.startswith(fallback.strip()[:20]) or fallback.strip() in last.text
    assert last.text.endswith("_(stopped)_")


def test_a_missing_embedding_model_is_a_visible_state_and_not_retried_every_turn(
    tmp_path: Path, ollama: FakeOllama
) -> None:
    attempts: list[int] = []

    def missing_model() -> HashingEmbedder:
        attempts.append(1)
        raise EmbeddingModelError("Embedding model not found at /nowhere")

    settings = make_settings(tmp_path)
    adapters = fake_adapters(settings, llm=fake_llm(ollama.url))
    adapters = dataclasses.replace(
        adapters,
        risk_scorer=Lazy(lambda: load_default(missing_model()), "safety", first_backoff=60),
    )
    app = build_app(settings, adapters)
    user = make_user(app)
    conversation = None
    for _ in range(5):
        plan, _, _ = _turn(app, user.id, "I feel a bit tense tonight", conversation)
        conversation = plan.conversation_id
    time.sleep(0.2)
    assert len(attempts) == 1  # one attempt, then a backoff, not one per turn
    [safety, _] = app.components()
    assert not safety.ok and "rules only" in safety.detail and "not found" in safety.detail


def test_one_message_gets_at_most_one_stored_answer_whatever_the_tabs(
    tmp_path: Path, ollama: FakeOllama
) -> None:
    app = _app(tmp_path, ollama.url)
    user = make_user(app)
    plan = app.chat.prepare(user_id=user.id, conversation_id=None, text="hello", region="US")
    # A reload mid-answer, then "Answer it": a second answer to the same message starts.
    again = app.chat.resume(user_id=user.id, conversation_id=plan.conversation_id, region="US")
    assert again is not None and again.user_message_id == plan.user_message_id
    first, second = app.chat.reply(plan, user_id=user.id), app.chat.reply(again, user_id=user.id)
    "".join(first), "".join(second)
    assert first.result is not None and first.result.message_id is not None
    assert second.result is not None and second.result.already_answered
    turns = app.conversations.history(user_id=user.id, conversation_id=plan.conversation_id)
    assert [turn.role for turn in turns if turn.role != "notice"] == ["user", "assistant"]


def test_two_tabs_sending_at_once_show_each_answer_after_its_question(
    tmp_path: Path, ollama: FakeOllama
) -> None:
    app = _app(tmp_path, ollama.url)
    user = make_user(app)
    first = app.chat.prepare(user_id=user.id, conversation_id=None, text="one", region="US")
    cid = first.conversation_id
    second = app.chat.prepare(user_id=user.id, conversation_id=cid, text="two", region="US")
    (
        "".join(app.chat.reply(first, user_id=user.id)),
        "".join(app.chat.reply(second, user_id=user.id)),
    )
    turns = app.conversations.history(user_id=user.id, conversation_id=cid)
    spoken = [(turn.role, turn.text) for turn in turns if turn.role != "notice"]
    assert [role for role, _ in spoken] == ["user", "assistant", "user", "assistant"]
    assert [text for role, text in spoken if role == "user"] == ["one", "two"]


def test_a_stored_crisis_turn_keeps_the_region_it_was_answered_for(
    tmp_path: Path, ollama: FakeOllama
) -> None:
    app = _app(tmp_path, ollama.url)
    user = make_user(app)
    plan, _, _ = _turn(app, user.id, "I want to kill myself tonight")  # answered for the US
    turns = app.conversations.history(user_id=user.id, conversation_id=plan.conversation_id)
    crisis_reply = [turn for turn in turns if turn.role == "assistant"][-1]
    assert crisis_reply.safety_level == "crisis" and crisis_reply.region == "US"


def test_a_plan_told_over_three_harmless_looking_turns_is_caught_in_context(
    tmp_path: Path, ollama: FakeOllama
) -> None:
    app = _app(tmp_path, ollama.url)
    user = make_user(app)
    first, _, _ = _turn(app, user.id, "thanks for everything, honestly.")
    second, _, _ = _turn(app, user.id, "work was long today.", first.conversation_id)
    assert not first.is_crisis and not second.is_crisis
    third, _, streamed = _turn(app, user.id, "I've made up my mind.", first.conversation_id)
    assert third.is_crisis and streamed == third.assessment.message
    # Alone, the last message is not a crisis: the earlier turns raised it.
    other = make_user(app)
    alone, _, _ = _turn(app, other.id, "I've made up my mind.")
    assert not alone.is_crisis
