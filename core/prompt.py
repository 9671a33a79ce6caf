"""Fit a chat prompt into the model's context window.

Ollama silently drops the *front* of a prompt longer than `num_ctx`, and the front is the system
prompt with the safety instructions. So the prompt is budgeted here, with a tokenizer-free
estimate that errs on the high side: `num_ctx - reserve_tokens - safety margin`, where the
reserve is the room kept for the answer (`num_predict`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.ports import ChatMessage

# Llama-3-style chat templates wrap each message in a header and an end marker (~5 tokens).
MESSAGE_OVERHEAD_TOKENS = 6
# BOS, the template's own system preamble ("Cutting Knowledge Date: ...") and the open
# assistant header after the last message.
PROMPT_OVERHEAD_TOKENS = 32
# A trimmed knowledge entry or summary smaller than this is noise, so it is left out.
MIN_SECTION_TOKENS = 32

_CHARS_PER_TOKEN = 3.5
_TOKENS_PER_WORD = 1.35
_TRUNCATION_MARKER = "\n\n[… part of this long message was left out …]\n\n"
_TRIM_MARKER = " …"
_KNOWLEDGE_HEADER = "\n\nBackground notes (use them only where they help):"
_SUMMARY_HEADER = "\n\nSummary of the earlier conversation:\n"


class PromptBudgetError(ValueError):
    """The system prompt alone does not fit the context window: a configuration error."""


@dataclass(frozen=True, slots=True)
class PromptPlan:
    """The messages to send and how the budget was spent."""

    messages: list[ChatMessage]
    estimated_tokens: int
    dropped_history: int
    knowledge_used: int
    summary_used: bool = False
    user_message_truncated: bool = False


def estimate_tokens(text: str) -> int:
    """Estimate the tokens of `text` for any common model, erring high.

    English BPE tokenizers average about 4 characters and 1.3 tokens per word; taking the larger
    of `chars / 3.5` and `words * 1.35` over-estimates both ordinary prose and text made of many
    short words. Characters outside ASCII are counted as one token each (two outside the Basic
    Multilingual Plane, e.g. emoji): CJK, Cyrillic or Arabic text gets at most about one token
    per character from these tokenizers, while `chars / 3.5` would under-count it threefold.
    Message framing is not included; see `message_tokens`.
    """
    if not text:
        return 0
    ascii_chars = len(text.encode("ascii", "ignore"))
    non_ascii = len(text) - ascii_chars
    astral = len(text.encode("utf-16-le")) // 2 - len(text)  # surrogate pairs
    by_chars = math.ceil(ascii_chars / _CHARS_PER_TOKEN) + non_ascii + astral
    by_words = math.ceil(len(text.split()) * _TOKENS_PER_WORD)
    return max(by_chars, by_words)


def message_tokens(content: str) -> int:
    """Estimated tokens of one chat message: its text plus the template's framing."""
    return estimate_tokens(content) + MESSAGE_OVERHEAD_TOKENS


def prompt_budget(num_ctx: int, reserve_tokens: int) -> int:
    """Tokens a prompt may use: the window minus the answer reserve and a safety margin."""
    return num_ctx - reserve_tokens - _safety_margin(num_ctx)


def build_prompt(
    *,
    system: str,
    knowledge: Sequence[tuple[str, str]],
    summary: str | None,
    history: Sequence[ChatMessage],
    user_message: str,
    num_ctx: int,
    reserve_tokens: int,
    max_knowledge_tokens: int | None = None,
) -> PromptPlan:
    """Assemble the prompt by priority so that it fits `num_ctx - reserve_tokens`.

    Always the system prompt and the user's message (cut in the middle if it alone is too long);
    then knowledge entries (title, text) in the order given, most relevant first, whole where
    possible and the first one that does not fit trimmed; then the running summary; then history,
    newest first, until the budget is spent. System prompt, knowledge and summary form the system
    message; kept history follows in order; the user's message is last.
    Raises `PromptBudgetError` when the system prompt leaves no room for a user message.
    """
    if num_ctx <= 0 or reserve_tokens < 0:
        raise ValueError("num_ctx must be positive and reserve_tokens not negative")
    budget = prompt_budget(num_ctx, reserve_tokens)
    fixed = PROMPT_OVERHEAD_TOKENS + message_tokens(system) + MESSAGE_OVERHEAD_TOKENS
    min_user = estimate_tokens(_TRUNCATION_MARKER) + 8
    if fixed + min_user > budget:
        raise PromptBudgetError(
            f"the system prompt (~{estimate_tokens(system)} tokens) does not fit a context of "
            f"{num_ctx} tokens with {reserve_tokens} reserved for the answer; "
            "raise OLLAMA_NUM_CTX or lower OLLAMA_NUM_PREDICT"
        )

    user_room = budget - fixed
    truncated = estimate_tokens(user_message) > user_room
    if truncated:
        user_message = _truncate_middle(user_message, user_room)
    remaining = user_room - estimate_tokens(user_message)

    system_text, knowledge_used, remaining = _add_knowledge(
        system, knowledge, remaining, max_knowledge_tokens
    )
    system_text, summary_used, remaining = _add_summary(system_text, summary, remaining)

    kept: list[ChatMessage] = []
    for message in reversed(history):
        cost = message_tokens(message.content)
        if cost > remaining:
            break
        kept.append(message)
        remaining -= cost
    kept.reverse()

    system_text = system_text.strip()
    messages = [ChatMessage("system", system_text)] if system_text else []
    messages += kept
    messages.append(ChatMessage("user", user_message))
    estimated = PROMPT_OVERHEAD_TOKENS + sum(message_tokens(m.content) for m in messages)
    return PromptPlan(
        messages=messages,
        estimated_tokens=estimated,
        dropped_history=len(history) - len(kept),
        knowledge_used=knowledge_used,
        summary_used=summary_used,
        user_message_truncated=truncated,
    )


def _safety_margin(num_ctx: int) -> int:
    # Room for what the estimate misses (digit runs, rare symbols): ~3 % of the window.
    return 16 + num_ctx // 32


def _add_knowledge(
    system: str, knowledge: Sequence[tuple[str, str]], room: int, cap: int | None
) -> tuple[str, int, int]:
    """Append knowledge entries to the system text; return it, entries used and room left."""
    allowed = room if cap is None else min(room, max(cap, 0))
    base_cost = estimate_tokens(system)
    text = system
    used = 0
    for title, body in knowledge:
        if not body.strip():
            continue
        prefix = text + (_KNOWLEDGE_HEADER if used == 0 else "") + f"\n\n### {title.strip()}\n"

        def fits(candidate: str, prefix: str = prefix) -> bool:
            return estimate_tokens(prefix + candidate) - base_cost <= allowed

        if fits(body.strip()):
            text = prefix + body.strip()
            used += 1
            continue
        head = _fit_head(body.strip(), fits)
        if head is not None and estimate_tokens(head) >= MIN_SECTION_TOKENS:
            text = prefix + head
            used += 1
        break
    return text, used, room - (estimate_tokens(text) - base_cost)


def _add_summary(system: str, summary: str | None, room: int) -> tuple[str, bool, int]:
    """Append the running summary (its end if it must be trimmed); return text, used, room."""
    if not summary or not summary.strip():
        return system, False, room
    base_cost = estimate_tokens(system)
    prefix = system + _SUMMARY_HEADER

    def fits(candidate: str) -> bool:
        return estimate_tokens(prefix + candidate) - base_cost <= room

    body = summary.strip()
    if not fits(body):
        # The end of a running summary is the most recent part, so the start goes.
        tail = _fit_tail(body, fits)
        if tail is None or estimate_tokens(tail) < MIN_SECTION_TOKENS:
            return system, False, room
        body = tail
    text = prefix + body
    return text, True, room - (estimate_tokens(text) - base_cost)


def _largest(n: int, ok: Callable[[int], bool]) -> int | None:
    """The largest k in 0..n with ok(k), for ok monotone (true up to some k); None if none."""
    if not ok(0):
        return None
    low, high = 0, n
    while low < high:
        mid = (low + high + 1) // 2
        if ok(mid):
            low = mid
        else:
            high = mid - 1
    return low


def _fit_head(text: str, fits: Callable[[str], bool]) -> str | None:
    """The longest start of `text`, cut at a space, plus a marker, that `fits`."""

    def head(k: int) -> str:
        cut = text[:k]
        if k < len(text) and " " in cut:
            cut = cut[: cut.rfind(" ")]
        return cut.rstrip() + _TRIM_MARKER

    k = _largest(len(text), lambda k: fits(head(k)))
    return None if k is None or k == 0 else head(k)


def _fit_tail(text: str, fits: Callable[[str], bool]) -> str | None:
    """The longest end of `text`, cut at a space, after a marker, that `fits`."""

    def tail(k: int) -> str:
        cut = text[len(text) - k :]
        if k < len(text) and " " in cut:
            cut = cut[cut.find(" ") + 1 :]
        return "… " + cut.lstrip()

    k = _largest(len(text), lambda k: fits(tail(k)))
    return None if k is None or k == 0 else tail(k)


def _truncate_middle(text: str, room: int) -> str:
    """Keep the start and the end of `text` around a marker, within `room` tokens."""

    def keep(k: int) -> str:
        head = text[: (k + 1) // 2].rstrip()
        tail = text[len(text) - k // 2 :].lstrip() if k >= 2 else ""
        return head + _TRUNCATION_MARKER + tail

    k = _largest(len(text), lambda k: estimate_tokens(keep(k)) <= room)
    return keep(k or 0)
