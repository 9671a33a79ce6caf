"""A chat turn: safety first, then retrieval, a budgeted prompt and a streamed answer.

Order of a turn, and why:
1. The message is validated. If the semantic safety layer is loaded, the message is embedded
   once; that one vector serves both the safety screen and retrieval.
2. `core.safety.assess` runs before any model sees the text. A crisis turn gets the region's
   resources and a fixed human message; the LLM is not asked, and the turn is kept out of all
   later model context.
3. The message is saved (encrypted) before anything can fail, so it is never lost.
4. Retrieval and the prompt budget (core.prompt) fit system prompt, entries, summary and history
   into `num_ctx`.
5. The answer streams sentence by sentence through `core.safety.check_output` (core.chat
   .streaming). If the LLM is down, slow, missing its model or fails mid-stream, the person gets
   an answer built from the retrieved entries, marked as offline.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from sqlalchemy.exc import IntegrityError

from core.chat.memory import context_of, fold_into_summary
from core.chat.prompts import AI_DISCLOSURE, CONCERN_GUIDANCE, SYSTEM_PROMPT
from core.chat.records import (
    MessageMeta,
    messages_of,
    new_message,
    owned_conversation,
    read_meta,
    recent_user_texts,
)
from core.chat.streaming import STOPPED_MARK, AlreadyAnswered, Answer, AnswerStream
from core.db.models import Conversation
from core.errors import InvalidInput
from core.lazy import Lazy
from core.ports import LLM, ChatMessage, Embedder, Retriever, RiskScorer, SearchHit, Vector
from core.prompt import build_prompt
from core.safety import Assessment, assess
from core.safety_events import record_screening
from core.store import UserStore
from core.textinput import replace_lone_surrogates

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 8_000
# Earlier user turns the safety screen reads with a new message: a plan told over several turns.
SAFETY_CONTEXT_TURNS = 4
_TICK = timedelta(microseconds=1)


@dataclass
class TurnPlan:
    """Everything decided before the first token; `ChatService.reply` streams the answer."""

    conversation_id: str
    user_message_id: str
    assessment: Assessment
    hits: list[SearchHit] = field(default_factory=list)
    messages: list[ChatMessage] = field(default_factory=list)
    disclosure: str | None = None
    crisis_reply: str | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)

    @property
    def is_crisis(self) -> bool:
        """True when the turn must show crisis resources and not involve the LLM."""
        return self.assessment.level == "crisis"


@dataclass(frozen=True)
class ChatSettings:
    """The numbers a turn is planned with."""

    num_ctx: int
    num_predict: int
    top_k: int = 3
    disclosure_every: timedelta = timedelta(hours=3)


class ChatService:
    """Plans and answers turns, one user at a time, through the per-user store."""

    def __init__(
        self,
        *,
        store: UserStore,
        llm: LLM,
        retriever: Callable[[], Retriever],
        embedder: Lazy[Embedder] | None = None,
        risk_scorer: Lazy[RiskScorer | None] | None = None,
        settings: ChatSettings,
    ) -> None:
        self._store = store
        self._llm = llm
        self._retriever = retriever
        self._embedder = embedder
        self._risk_scorer = risk_scorer
        self._settings = settings

    def prepare(
        self,
        *,
        user_id: str,
        conversation_id: str | None,
        text: str,
        region: str | None,
        source: str = "chat",
    ) -> TurnPlan:
        """Validate, assess, save and plan a turn; the LLM has not been called yet.

        This is the turn's one safety screening (rules, and the semantic layer once loaded),
        recorded under `source` ("chat" in the app, "whatsapp" from the webhook)."""
        text = validate_message(text)
        timings: dict[str, float] = {}
        with _timer(timings, "safety"):
            context = self._earlier_turns(user_id, conversation_id)
            assessment, embedding = self._assess(text, region, context)
        with self._store.unit(user_id) as unit:
            now = unit.now()
            if conversation_id is None:
                conversation = unit.add(Conversation(user_id=user_id, created_at=now))
            else:
                conversation = owned_conversation(unit, conversation_id)
            if conversation.title_ct is None:
                unit.seal(conversation, "title_ct", _title_from(text, assessment))
            history, summary = context_of(unit, conversation)
            disclosure = None
            due = conversation.last_disclosure_at
            if due is None or now - due >= self._settings.disclosure_every:
                disclosure = AI_DISCLOSURE
                conversation.last_disclosure_at = now
                unit.add(new_message(unit, conversation, "notice", AI_DISCLOSURE, now))
            crisis = assessment.level == "crisis"
            # Rows of one turn share a timestamp; a microsecond apart keeps their order.
            user_meta = MessageMeta(safety_level=assessment.level, excluded_from_context=crisis)
            user_row = new_message(unit, conversation, "user", text, now + _TICK, user_meta)
            unit.add(user_row)
            record_screening(unit, assessment.level, source=source, at=now)
            conversation.updated_at = now
            unit.add(conversation)
            plan = TurnPlan(conversation.id, user_row.id, assessment, disclosure=disclosure)
            if crisis:
                plan.crisis_reply = assessment.message
                # The region's numbers it was given are kept with it, so it always shows those.
                reply_meta = MessageMeta(
                    safety_level="crisis",
                    excluded_from_context=True,
                    region=assessment.resources.region,
                )
                reply = new_message(
                    unit, conversation, "assistant", assessment.message, now + 2 * _TICK, reply_meta
                )
                reply.reply_to = user_row.id
                unit.add(reply)
                plan.timings_ms = timings
                return plan
        return self._plan_answer(plan, user_id, text, history, summary, timings, embedding)

    def resume(self, *, user_id: str, conversation_id: str, region: str | None) -> TurnPlan | None:
        """A plan to answer the last message if it was left unanswered (e.g. the page was
        closed before the first word arrived); None when there is nothing to answer."""
        with self._store.unit(user_id) as unit:
            conversation = owned_conversation(unit, conversation_id)
            rows = messages_of(unit, conversation_id)
            spoken = [row for row in rows if row.role in ("user", "assistant")]
            if not spoken or spoken[-1].role != "user":
                return None
            if read_meta(unit, spoken[-1]).excluded_from_context:
                return None
            last = spoken[-1]
            text = unit.open(last, "content_ct") or ""
            earlier = [row for row in spoken[:-1] if row.role == "user"][-SAFETY_CONTEXT_TURNS:]
            context = [unit.open(row, "content_ct") or "" for row in earlier]
            history, summary = context_of(unit, conversation)
        assessment, embedding = self._assess(text, region, context)
        plan = TurnPlan(conversation_id, last.id, assessment)
        return self._plan_answer(plan, user_id, text, history[:-1], summary, {}, embedding)

    def reply(self, plan: TurnPlan, *, user_id: str) -> AnswerStream:
        """The answer to a planned turn, to iterate; whatever happens it is checked and saved."""
        if plan.is_crisis:  # saved with the turn; the model is never asked
            return AnswerStream(iter([plan.crisis_reply or ""]), [], lambda _: None, check=False)
        return AnswerStream(
            self._llm.stream_chat(plan.messages),
            plan.hits,
            lambda answer: self._save_answer(plan, user_id, answer),
        )

    def sources(self, knowledge_ids: Sequence[str]) -> list[tuple[str, str]]:
        """(id, title) of the knowledge entries an answer used, for "based on" lines."""
        try:
            retriever: Retriever | None = self._retriever()
        except Exception:  # no index: show the ids rather than fail the page
            retriever = None
        found = []
        for knowledge_id in knowledge_ids:
            entry = retriever.get(knowledge_id) if retriever else None
            found.append((knowledge_id, entry.title if entry else knowledge_id))
        return found

    def _assess(
        self, text: str, region: str | None, context: Sequence[str] = ()
    ) -> tuple[Assessment, Vector | None]:
        """Rules always; the semantic layer too once it is loaded (safety never waits on it).
        `context` is the user's earlier turns: it can raise the level, never lower it.

        Returns the message's embedding when one was made, for retrieval to reuse.
        """
        scorer = self._risk_scorer.ready_or_start() if self._risk_scorer else None
        embedding = self._embed(text) if scorer is not None else None
        assessment = assess(
            text, region=region, semantic=scorer, embedding=embedding, context=context
        )
        return assessment, embedding

    def _earlier_turns(self, user_id: str, conversation_id: str | None) -> list[str]:
        """The user's last few messages in this conversation (none for a new one)."""
        if conversation_id is None:
            return []
        with self._store.unit(user_id) as unit:
            owned_conversation(unit, conversation_id)  # NotFound for someone else's
            return recent_user_texts(unit, conversation_id, SAFETY_CONTEXT_TURNS)

    def _embed(self, text: str) -> Vector | None:
        """The message's vector from the embedder the scorer and the index share."""
        if self._embedder is None:
            return None
        try:
            return np.asarray(self._embedder().embed([text])[0], dtype=np.float32)
        except Exception:  # the scorer and retrieval then embed (or fail) on their own
            log.warning("embedding the message failed", exc_info=True)
            return None

    def _plan_answer(
        self,
        plan: TurnPlan,
        user_id: str,
        text: str,
        history: list[ChatMessage],
        summary: str | None,
        timings: dict[str, float],
        embedding: Vector | None,
    ) -> TurnPlan:
        plan.hits = self._retrieve(text, timings, embedding)
        with _timer(timings, "prompt"):
            level = plan.assessment.level
            system = SYSTEM_PROMPT + (CONCERN_GUIDANCE if level == "concern" else "")
            prompt = build_prompt(
                system=system,
                knowledge=[(hit.title, hit.entry.body) for hit in plan.hits],
                summary=summary,
                history=history,
                user_message=text,
                num_ctx=self._settings.num_ctx,
                reserve_tokens=self._settings.num_predict,
            )
        plan.messages = prompt.messages
        plan.timings_ms = timings
        if prompt.dropped_history:
            with self._store.unit(user_id) as unit:
                conversation = owned_conversation(unit, plan.conversation_id)
                fold_into_summary(unit, conversation, prompt.dropped_history)
        return plan

    def _retrieve(
        self, text: str, timings: dict[str, float], embedding: Vector | None
    ) -> list[SearchHit]:
        try:
            with _timer(timings, "retrieval"):
                return self._retriever().search(text, self._settings.top_k, embedding=embedding)
        except Exception:  # an unusable index must not stop the conversation
            log.exception("retrieval failed; answering without knowledge entries")
            return []

    def _save_answer(self, plan: TurnPlan, user_id: str, answer: Answer) -> str | None:
        """Store the answer to `plan`'s message; `AlreadyAnswered` if another tab did first."""
        if not answer.text.strip():
            return None
        meta = MessageMeta(
            safety_level=plan.assessment.level,
            knowledge_ids=tuple(hit.id for hit in plan.hits),
        )
        try:
            with self._store.unit(user_id) as unit:
                conversation = owned_conversation(unit, plan.conversation_id)
                text = answer.text + (STOPPED_MARK if answer.stopped else "")
                row = new_message(unit, conversation, "assistant", text, unit.now(), meta)
                row.offline = answer.offline
                row.reply_to = plan.user_message_id  # unique: one stored answer per message
                unit.add(row)
                conversation.updated_at = unit.now()
                unit.add(conversation)
                answer_id = row.id
        except IntegrityError as exc:
            raise AlreadyAnswered from exc
        return answer_id


def validate_message(text: object) -> str:
    """The message, stripped; InvalidInput with a kind note if empty, too long or not text."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("Write a few words about how you're feeling, and I'll be here.")
    text = replace_lone_surrogates(text.replace("\x00", "").strip())
    if len(text) > MAX_MESSAGE_CHARS:
        raise InvalidInput(
            f"That's a lot to hold. Could you share it in parts of up to {MAX_MESSAGE_CHARS:,} "
            "characters?"
        )
    return text


def _title_from(text: str, assessment: Assessment) -> str:
    if assessment.level != "none":
        return "A hard moment"  # no risky words in a list others might glance at
    words = " ".join(text.split())
    return words[:48] + ("…" if len(words) > 48 else "")


@contextmanager
def _timer(timings: dict[str, float], name: str) -> Iterator[None]:
    """Adds the block's wall time in milliseconds to `timings[name]`."""
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = (time.perf_counter() - start) * 1000
