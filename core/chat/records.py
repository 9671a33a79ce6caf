"""How chat rows are stored: encrypted columns, and the decrypted views pages read."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

from core.db.models import Conversation, Message
from core.store import UserUnit

MISSING_CONVERSATION = "That conversation doesn't exist."


@dataclass(frozen=True, slots=True)
class ConversationSummary:
    """One line of the conversation list."""

    id: str
    title: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class MessageMeta:
    """What a message says about the person beyond its text; stored encrypted (meta_ct).

    `region` is the crisis-resource region a crisis reply was given with, so it is shown with
    the same numbers later, whatever region the person picks afterwards.
    """

    safety_level: str = "none"
    knowledge_ids: tuple[str, ...] = field(default_factory=tuple)
    excluded_from_context: bool = False
    region: str | None = None


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
    region: str | None = None


def owned_conversation(unit: UserUnit, conversation_id: str) -> Conversation:
    """The unit's user's conversation, or NotFound."""
    return unit.get(Conversation, conversation_id, missing=MISSING_CONVERSATION)


def new_message(
    unit: UserUnit,
    conversation: Conversation,
    role: str,
    text: str,
    at: datetime,
    meta: MessageMeta | None = None,
) -> Message:
    """An encrypted message row of `conversation` (not yet added)."""
    row = Message(
        user_id=conversation.user_id, conversation_id=conversation.id, role=role, created_at=at
    )
    unit.seal(row, "content_ct", text)
    write_meta(unit, row, meta or MessageMeta())
    return row


def write_meta(unit: UserUnit, row: Message, meta: MessageMeta) -> None:
    """Seal a message's metadata into its row."""
    unit.seal(row, "meta_ct", json.dumps(asdict(meta), separators=(",", ":")))


def read_meta(unit: UserUnit, row: Message) -> MessageMeta:
    """A message's metadata (the defaults when it has none)."""
    text = unit.open(row, "meta_ct")
    if not text:
        return MessageMeta()
    values = json.loads(text)
    return MessageMeta(
        safety_level=str(values.get("safety_level", "none")),
        knowledge_ids=tuple(str(entry) for entry in values.get("knowledge_ids", ())),
        excluded_from_context=bool(values.get("excluded_from_context", False)),
        region=values.get("region"),
    )


def messages_of(unit: UserUnit, conversation_id: str) -> list[Message]:
    """Every message of one of the unit's user's conversations, oldest first."""
    return unit.list(
        Message, newest_first=False, where=[Message.conversation_id == conversation_id]
    )


def to_turn(unit: UserUnit, row: Message) -> Turn:
    """The decrypted view of a message."""
    meta = read_meta(unit, row)
    return Turn(
        id=row.id,
        role=row.role,
        text=unit.open(row, "content_ct") or "",
        safety_level=meta.safety_level,
        knowledge_ids=meta.knowledge_ids,
        offline=row.offline,
        created_at=row.created_at,
        region=meta.region,
    )


def recent_user_texts(unit: UserUnit, conversation_id: str, count: int) -> list[str]:
    """The texts of the last `count` user messages of a conversation, oldest first."""
    rows = unit.list(
        Message,
        newest_first=True,
        limit=count,
        where=[Message.conversation_id == conversation_id, Message.role == "user"],
    )
    return [unit.open(row, "content_ct") or "" for row in reversed(rows)]
