"""Conversations of one user: start, list, rename, delete, read back, and rate answers."""

from __future__ import annotations

from sqlmodel import col, delete

from core.chat.records import (
    ConversationSummary,
    Turn,
    messages_of,
    owned_conversation,
    read_meta,
    to_turn,
)
from core.db.models import Conversation, Message, TipFeedback
from core.errors import InvalidInput, NotFound
from core.store import UserStore
from core.textinput import replace_lone_surrogates

MAX_TITLE_CHARS = 80
NEW_CONVERSATION_TITLE = "New conversation"


class ConversationService:
    """Every method is scoped to the given user through the per-user store."""

    def __init__(self, *, store: UserStore) -> None:
        self._store = store

    def recent(self, *, user_id: str, limit: int = 50) -> list[ConversationSummary]:
        """The user's conversations, the most recently started first."""
        with self._store.unit(user_id) as unit:
            # Newest first by when they were started: the list never reorders itself.
            rows = unit.list(Conversation, limit=limit)
            return [
                ConversationSummary(
                    row.id,
                    unit.open(row, "title_ct") or NEW_CONVERSATION_TITLE,
                    row.updated_at,
                )
                for row in rows
            ]

    def rename(self, *, user_id: str, conversation_id: str, title: str) -> None:
        """Give a conversation a new title."""
        title = replace_lone_surrogates(" ".join(str(title).split())[:MAX_TITLE_CHARS])
        if not title:
            raise InvalidInput("Please enter a title.")
        with self._store.unit(user_id) as unit:
            row = owned_conversation(unit, conversation_id)
            unit.seal(row, "title_ct", title)
            unit.add(row)

    def delete(self, *, user_id: str, conversation_id: str) -> None:
        """Delete a conversation and its messages."""
        with self._store.unit(user_id) as unit:
            row = owned_conversation(unit, conversation_id)
            unit.session.exec(
                delete(Message).where(
                    col(Message.conversation_id) == row.id, col(Message.user_id) == user_id
                )
            )
            unit.session.delete(row)

    def history(self, *, user_id: str, conversation_id: str) -> list[Turn]:
        """Every saved message of a conversation, oldest first."""
        with self._store.unit(user_id) as unit:
            owned_conversation(unit, conversation_id)
            rows = _answers_after_their_questions(messages_of(unit, conversation_id))
            return [to_turn(unit, row) for row in rows]

    def feedback(self, *, user_id: str, message_id: str, helpful: bool) -> None:
        """Record thumbs up/down on an answer (one vote per answer; the last one counts)."""
        with self._store.unit(user_id) as unit:
            message = unit.get(Message, message_id, missing="That answer doesn't exist.")
            if message.role != "assistant":
                raise NotFound("That answer doesn't exist.")
            meta = read_meta(unit, message)
            unit.session.exec(
                delete(TipFeedback).where(
                    col(TipFeedback.user_id) == user_id, col(TipFeedback.message_id) == message_id
                )
            )
            ids: list[str | None] = list(meta.knowledge_ids)
            for knowledge_id in ids or [None]:
                vote = TipFeedback(
                    user_id=user_id, message_id=message_id, helpful=helpful, created_at=unit.now()
                )
                unit.seal(vote, "knowledge_id_ct", knowledge_id)
                unit.add(vote)


def _answers_after_their_questions(rows: list[Message]) -> list[Message]:
    """Time order, except that each answer follows the message it answers (two tabs sending at
    once store question, question, answer, answer)."""
    answers: dict[str, list[Message]] = {}
    for row in rows:
        if row.reply_to:
            answers.setdefault(row.reply_to, []).append(row)
    asked = {row.id for row in rows}
    ordered: list[Message] = []
    for row in rows:
        if row.reply_to and row.reply_to in asked:
            continue  # placed after its question
        ordered.append(row)
        ordered.extend(answers.get(row.id, []))
    return ordered
