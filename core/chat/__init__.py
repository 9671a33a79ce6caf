"""The chat companion, one concept a module.

- `turns`: planning and answering a turn (safety first; see its docstring for the order);
- `conversations`: the list, titles, history and feedback;
- `streaming`: the checked, streamed answer and its result;
- `offline`: answers from the guides when the model can't answer;
- `memory`: recent turns and the running summary the model sees;
- `records`, `prompts`: how rows are stored, and the companion's fixed words.
"""

from __future__ import annotations

from core.chat.conversations import ConversationService
from core.chat.offline import offline_answer
from core.chat.prompts import AI_DISCLOSURE, SYSTEM_PROMPT
from core.chat.records import ConversationSummary, Turn
from core.chat.streaming import Answer, AnswerStream
from core.chat.turns import MAX_MESSAGE_CHARS, ChatService, ChatSettings, TurnPlan, validate_message

__all__ = [
    "AI_DISCLOSURE",
    "MAX_MESSAGE_CHARS",
    "SYSTEM_PROMPT",
    "Answer",
    "AnswerStream",
    "ChatService",
    "ChatSettings",
    "ConversationService",
    "ConversationSummary",
    "Turn",
    "TurnPlan",
    "offline_answer",
    "validate_message",
]
