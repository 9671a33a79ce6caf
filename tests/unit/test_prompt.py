"""Token estimates and prompt budgeting (core.prompt)."""

from __future__ import annotations

import random

import pytest

from core.ports import ChatMessage
from core.prompt import (
    MESSAGE_OVERHEAD_TOKENS,
    PROMPT_OVERHEAD_TOKENS,
    PromptBudgetError,
    PromptPlan,
    build_prompt,
    estimate_tokens,
    message_tokens,
    prompt_budget,
)

ENGLISH = (
    "When everything feels like too much, it can help to name five things you can see, "
    "four you can touch, three you can hear, two you can smell and one you can taste."
)


def plan(**overrides: object) -> PromptPlan:
    arguments: dict[str, object] = {
        "system": "You are a warm, careful companion.",
        "knowledge": [],
        "summary": None,
        "history": [],
        "user_message": "I can't sleep again.",
        "num_ctx": 4096,
        "reserve_tokens": 512,
    }
    arguments.update(overrides)
    return build_prompt(**arguments)  # type: ignore[arg-type]


def recount(messages: list[ChatMessage]) -> int:
    return PROMPT_OVERHEAD_TOKENS + sum(message_tokens(m.content) for m in messages)


# -- estimate_tokens -----------------------------------------------------------------------------


def test_empty_text_has_no_tokens() -> None:
    assert estimate_tokens("") == 0


def test_english_estimate_is_above_the_usual_four_characters_per_token() -> None:
    assert estimate_tokens(ENGLISH) >= len(ENGLISH) / 4
    assert estimate_tokens(ENGLISH) >= len(ENGLISH.split()) * 1.3


def test_many_short_words_are_counted_by_words() -> None:
    text = "a b c d e f g h i j " * 20
    assert estimate_tokens(text) >= len(text.split()) * 1.35


def test_non_latin_characters_count_at_least_one_token_each() -> None:
    assert estimate_tokens("我今天很难过") >= 6
    assert estimate_tokens("мне сегодня очень грустно") >= len("мнесегодняоченьгрустно")
    assert estimate_tokens("नमस्ते") >= 6


def test_emoji_count_two_tokens_each() -> None:
    assert estimate_tokens("😔😔😔") >= 6


def test_estimate_grows_with_the_text() -> None:
    shorter = estimate_tokens(ENGLISH)
    assert estimate_tokens(ENGLISH + " " + ENGLISH) >= shorter


# -- build_prompt: shape -------------------------------------------------------------------------


def test_prompt_is_system_then_history_in_order_then_the_user_message() -> None:
    history = [
        ChatMessage("user", "Hi."),
        ChatMessage("assistant", "Hello, how are you?"),
        ChatMessage("user", "Tired."),
    ]
    result = plan(history=history, user_message="Still tired.")
    assert [m.role for m in result.messages] == ["system", "user", "assistant", "user", "user"]
    assert result.messages[1:4] == history
    assert result.messages[-1] == ChatMessage("user", "Still tired.")
    assert result.dropped_history == 0
    assert result.estimated_tokens == recount(result.messages)


def test_knowledge_and_summary_go_into_the_system_message() -> None:
    result = plan(
        knowledge=[("Grounding 5-4-3-2-1", ENGLISH), ("Sleep hygiene", "Keep a steady wake time.")],
        summary="They have been sleeping badly for a week.",
    )
    system = result.messages[0].content
    assert system.startswith("You are a warm, careful companion.")
    assert "Grounding 5-4-3-2-1" in system and ENGLISH in system
    assert "Keep a steady wake time." in system
    assert system.index("Sleep hygiene") > system.index("Grounding")
    assert "sleeping badly for a week" in system
    assert result.knowledge_used == 2
    assert result.summary_used


def test_empty_knowledge_entries_are_skipped() -> None:
    result = plan(knowledge=[("Empty", "   ")])
    assert result.knowledge_used == 0
    assert "Empty" not in result.messages[0].content


def test_no_system_message_when_there_is_no_system_text() -> None:
    result = plan(system="")
    assert [m.role for m in result.messages] == ["user"]


# -- build_prompt: budget ------------------------------------------------------------------------


def test_oldest_history_is_dropped_first_when_it_does_not_fit() -> None:
    history = [ChatMessage("user" if i % 2 else "assistant", f"{i} " + ENGLISH) for i in range(60)]
    result = plan(history=history, num_ctx=1024, reserve_tokens=256)
    kept = result.messages[1:-1]
    assert 0 < len(kept) < 60
    assert kept == history[-len(kept) :]
    assert result.dropped_history == 60 - len(kept)
    assert result.estimated_tokens <= 1024 - 256


def test_too_long_user_message_keeps_its_start_and_end() -> None:
    message = "START " + ("filler words here " * 2000) + " THE END"
    result = plan(user_message=message, num_ctx=1024, reserve_tokens=256)
    sent = result.messages[-1].content
    assert result.user_message_truncated
    assert sent.startswith("START ")
    assert sent.endswith(" THE END")
    assert "left out" in sent
    assert result.estimated_tokens <= 1024 - 256


def test_user_message_wins_over_knowledge_summary_and_history() -> None:
    message = "word " * 450
    result = plan(
        user_message=message,
        knowledge=[("Note", ENGLISH * 5)],
        summary=ENGLISH,
        history=[ChatMessage("user", ENGLISH)],
        num_ctx=1024,
        reserve_tokens=256,
    )
    assert result.messages[-1].content == message
    assert result.knowledge_used == 0
    assert not result.summary_used
    assert result.dropped_history == 1


def test_an_oversized_knowledge_entry_is_trimmed_to_fit() -> None:
    result = plan(knowledge=[("Long note", ENGLISH * 60)], num_ctx=1024, reserve_tokens=256)
    system = result.messages[0].content
    assert result.knowledge_used == 1
    assert "Long note" in system
    assert system.endswith("…")
    assert result.estimated_tokens <= 1024 - 256


def test_whole_entries_come_before_a_trimmed_one_in_relevance_order() -> None:
    knowledge = [("First", ENGLISH), ("Second", ENGLISH * 60), ("Third", "short")]
    result = plan(knowledge=knowledge, num_ctx=1024, reserve_tokens=256)
    system = result.messages[0].content
    assert ENGLISH in system.split("### Second")[0]
    assert "### Second" in system and "### Third" not in system
    assert result.knowledge_used == 2


def test_knowledge_can_be_capped_to_leave_room_for_history() -> None:
    history = [ChatMessage("user", ENGLISH) for _ in range(10)]
    uncapped = plan(knowledge=[("Long", ENGLISH * 60)], history=history, num_ctx=2048)
    capped = plan(
        knowledge=[("Long", ENGLISH * 60)], history=history, num_ctx=2048, max_knowledge_tokens=200
    )
    assert capped.dropped_history < uncapped.dropped_history


def test_a_summary_that_does_not_fit_keeps_its_most_recent_end() -> None:
    summary = "OLDEST " + ENGLISH * 40 + " NEWEST"
    result = plan(summary=summary, num_ctx=1024, reserve_tokens=256)
    system = result.messages[0].content
    assert result.summary_used
    assert system.endswith("NEWEST")
    assert "OLDEST" not in system


def test_system_prompt_too_big_for_the_window_is_a_configuration_error() -> None:
    with pytest.raises(PromptBudgetError, match="OLLAMA_NUM_CTX"):
        plan(system=ENGLISH * 100, num_ctx=1024, reserve_tokens=256)


def test_answer_reserve_larger_than_the_window_is_a_configuration_error() -> None:
    with pytest.raises(PromptBudgetError):
        plan(num_ctx=512, reserve_tokens=512)


def test_negative_reserve_is_rejected() -> None:
    with pytest.raises(ValueError, match="reserve_tokens"):
        plan(reserve_tokens=-1)


# -- build_prompt: the guarantee, over random inputs ---------------------------------------------

_ALPHABETS = [
    "abcdefghijklmnopqrstuvwxyz     ,.!?'",
    "0123456789 -+:/",
    "我你他她们的是不了人在有这个上们来到时大地为子中说生国年着就那和要",
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя ",
    "😔🙂💛🌧️✨ ",
    "éèàùçœ ÄÖÜß ",
]


def _random_text(rng: random.Random, max_chars: int) -> str:
    length = rng.randint(0, max_chars)
    alphabet = rng.choice(_ALPHABETS) + (rng.choice(_ALPHABETS) if rng.random() < 0.3 else "")
    return "".join(rng.choice(alphabet) for _ in range(length))


def test_prompt_never_exceeds_the_window_minus_the_reserve_for_random_inputs() -> None:
    rng = random.Random(20261124)
    for case in range(400):
        num_ctx = rng.choice([512, 1024, 2048, 4096, 8192, rng.randint(512, 16384)])
        reserve = rng.randint(0, num_ctx // 2)
        system = _random_text(rng, rng.choice([200, 1500, 6000]))
        knowledge = [
            (_random_text(rng, 40), _random_text(rng, rng.choice([300, 3000])))
            for _ in range(rng.randint(0, 5))
        ]
        summary = _random_text(rng, 2000) if rng.random() < 0.5 else None
        history = [
            ChatMessage(rng.choice(["user", "assistant"]), _random_text(rng, 1200))
            for _ in range(rng.randint(0, 30))
        ]
        user_message = _random_text(rng, rng.choice([50, 2000, 40000]))
        try:
            result = build_prompt(
                system=system,
                knowledge=knowledge,
                summary=summary,
                history=history,
                user_message=user_message,
                num_ctx=num_ctx,
                reserve_tokens=reserve,
            )
        except PromptBudgetError:
            # Only when the system prompt really leaves no room for a user message.
            fixed = PROMPT_OVERHEAD_TOKENS + 2 * MESSAGE_OVERHEAD_TOKENS + estimate_tokens(system)
            assert fixed + 40 > prompt_budget(num_ctx, reserve), f"case {case}"
            continue
        where = f"case {case}: num_ctx={num_ctx} reserve={reserve}"
        assert result.estimated_tokens <= num_ctx - reserve, where
        assert result.estimated_tokens == recount(result.messages), where
        assert result.messages[-1].role == "user", where
        first = 1 if result.messages[0].role == "system" else 0
        kept = result.messages[first:-1]
        assert kept == (history[len(history) - len(kept) :] if kept else []), where
        assert result.dropped_history == len(history) - len(kept), where
        assert 0 <= result.knowledge_used <= len(knowledge), where
        if not result.user_message_truncated:
            assert result.messages[-1].content == user_message, where
