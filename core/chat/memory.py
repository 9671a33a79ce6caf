"""What the model remembers of a conversation: recent turns, and a running summary of the rest.

The summary is extractive (no model needed): when the prompt budget drops the oldest turns, their
first sentences are folded into an encrypted summary kept on the conversation. Crisis turns are
never part of either.
"""

from __future__ import annotations

import re

from core.chat.records import messages_of, read_meta
from core.db.models import Conversation, Message
from core.ports import ChatMessage
from core.prompt import estimate_tokens
from core.store import UserUnit

SUMMARY_MAX_TOKENS = 400


def context_of(unit: UserUnit, conversation: Conversation) -> tuple[list[ChatMessage], str | None]:
    """The turns after the summary (as model messages) and the summary itself."""
    rows = messages_of(unit, conversation.id)[conversation.summary_upto :]
    history = [
        ChatMessage(role="user" if row.role == "user" else "assistant", content=text)
        for row in rows
        if _in_context(unit, row)
        if (text := unit.open(row, "content_ct"))
    ]
    return history, unit.open(conversation, "summary_ct")


def fold_into_summary(unit: UserUnit, conversation: Conversation, dropped: int) -> None:
    """Move the `dropped` oldest turns of the context into the running summary."""
    rows = messages_of(unit, conversation.id)[conversation.summary_upto :]
    folded = [row for row in rows if _in_context(unit, row)][:dropped]
    if not folded:
        return
    old = unit.open(conversation, "summary_ct") or ""
    lines = [old] if old else []
    for row in folded:
        text = unit.open(row, "content_ct") or ""
        who = "They said" if row.role == "user" else "You suggested"
        lines.append(f"- {who}: {first_sentence(text)}")
    summary = "\n".join(lines)
    while estimate_tokens(summary) > SUMMARY_MAX_TOKENS and "\n" in summary:
        summary = summary.split("\n", 1)[1]  # the oldest points go first
    unit.seal(conversation, "summary_ct", summary)
    conversation.summary_upto += rows.index(folded[-1]) + 1
    unit.add(conversation)


def first_sentence(text: str, limit: int = 160) -> str:
    """The first sentence of `text`, at most `limit` characters."""
    sentence = re.split(r"(?<=[.!?])\s", " ".join(text.split()), maxsplit=1)[0]
    return sentence[:limit] + ("…" if len(sentence) > limit else "")


def _in_context(unit: UserUnit, row: Message) -> bool:
    return row.role in ("user", "assistant") and not read_meta(unit, row).excluded_from_context
