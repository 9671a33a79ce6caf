"""How chat rows are stored: encrypted columns, and the decrypted views pages read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.db.models import Conversation, Message
from core.store import UserUnit

CONTENT = "messages.content"
TITLE = "conversations.title"
SUMMARY = "conversations.summary"
MISSING_CONVERSATION = "That conversation doesn't exist."


@dataclass(frozen=True, slots=True)
class ConversationSummary:
    """One line of the conversation list."""

    id: str
    title: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Turn:
    """A saved message, decrypted, as the page shows it."""

    id: str
    role: str  # user | assistant | notice
    text: str
    safety_level: str
    knowledge_ids: tuple[str, ...]
    offline: bool
    created_at: datetime


def owned_conversation(unit: UserUnit, conversation_id: str) -> Conversation:
    """The unit's user's conversation, or NotFound."""
    return unit.get(Conversation, conversation_id, missing=MISSING_CONVERSATION)


def new_message(
    unit: UserUnit, conversation: Conversation, role: str, text: str, at: datetime
) -> Message:
    """An encrypted message row of `conversation` (not yet added)."""
    return Message(
        user_id=conversation.user_id,
        conversation_id=conversation.id,
        role=role,
        content_ct=unit.encrypt(CONTENT, text),
        created_at=at,
    )


def messages_of(unit: UserUnit, conversation_id: str) -> list[Message]:
    """Every message of one of the unit's user's conversations, oldest first."""
    return unit.list(
        Message, newest_first=False, where=[Message.conversation_id == conversation_id]
    )


def to_turn(unit: UserUnit, row: Message) -> Turn:
    """The decrypted view of a message."""
    return Turn(
        id=row.id,
        role=row.role,
        text=unit.decrypt(CONTENT, row.content_ct) or "",
        safety_level=row.safety_level,
        knowledge_ids=tuple(entry for entry in row.knowledge_ids.split(",") if entry),
        offline=row.offline,
        created_at=row.created_at,
    )
