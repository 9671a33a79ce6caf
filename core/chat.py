"""The chat companion: safety first, then retrieval, a budgeted prompt and a streamed answer.

Order of a turn, and why:
1. The person's message is validated and saved (encrypted) before anything can fail, so it is
   never lost.
2. `core.safety.assess` runs before any model sees the text. A crisis turn gets the region's
   resources and a fixed human message; the LLM is not asked, and the turn is kept out of all
   later model context.
3. Retrieval and the prompt budget (core.prompt) fit system prompt, entries, summary and history
   into `num_ctx`.
4. The answer streams sentence by sentence through `core.safety.check_output`. If the LLM is
   down, slow, missing its model or fails mid-stream, the person gets an answer built from the
   retrieved entries, marked as offline.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select

from core.crypto import FieldCipher
from core.db.engine import session_scope
from core.db.models import Conversation, Message, SafetyEvent, TipFeedback
from core.journal import NotFound
from core.keyring import KeyRing
from core.knowledge import Retriever, SearchHit
from core.lazy import Lazy
from core.llm import LLM, ChatMessage, LLMError, LLMModelMissing
from core.passwords import PolicyError
from core.prompt import build_prompt, estimate_tokens
from core.safety import Assessment, RiskScorer, assess, check_output
from core.timeutil import utcnow

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 8_000
MAX_TITLE_CHARS = 80
_CONTENT = "messages.content"
_TITLE = "conversations.title"
_SUMMARY = "conversations.summary"
_SUMMARY_MAX_TOKENS = 400
_TICK = timedelta(microseconds=1)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n")

SYSTEM_PROMPT = """You are a supportive companion in a self-help app for people who feel low, \
anxious, stressed or sleepless. You are an AI, not a person, therapist or doctor, and you say so \
if asked.
How you answer:
- Warm, calm, non-judgemental and brief (at most about 180 words). Reflect what the person said \
in one sentence before offering anything.
- CBT-informed: gently help them notice thoughts, feelings and actions; suggest one or two small, \
concrete steps from the background notes, and name the note you used (by its title).
- Never diagnose, never name or dose medication, never describe ways to self-harm.
- If it fits, encourage talking to a GP, doctor or mental-health professional.
- If the person mentions wanting to die or hurt themselves or others, tell them to contact \
emergency services or a crisis line now."""

CONCERN_GUIDANCE = """
The person seems to be struggling a lot right now. Be especially gentle, validate how hard this \
is, keep suggestions very small, and remind them that talking to someone they trust or a \
professional can help; crisis resources are shown beside your answer."""

AI_DISCLOSURE = (
    "A quick reminder: I'm an AI companion, not a person or a clinician. I can share "
    "self-help ideas, but I can't diagnose or treat anything, and I'm no substitute for "
    "professional care."
)


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


@dataclass
class TurnPlan:
    """Everything decided before the first token; `reply` streams the answer."""

    conversation_id: str
    user_message_id: str
    assessment: Assessment
    hits: list[SearchHit]
    messages: list[ChatMessage]
    disclosure: str | None = None
    crisis_reply: str | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)

    @property
    def is_crisis(self) -> bool:
        """True when the turn must show crisis resources and not involve the LLM."""
        return self.assessment.level == "crisis"


@dataclass
class Reply:
    """How the answer ended; filled in while it streams."""

    text: str = ""
    offline: bool = False
    offline_reason: str | None = None
    pull_command: str | None = None
    stopped: bool = False
    message_id: str | None = None


class ChatService:
    """Conversations of one user at a time; every query is scoped by user id."""

    def __init__(
        self,
        *,
        engine: Engine,
        keyring: KeyRing,
        retriever: Callable[[], Retriever],
        llm: LLM,
        risk_scorer: Lazy[RiskScorer | None] | None = None,
        num_ctx: int,
        num_predict: int,
        top_k: int = 3,
        disclosure_every: timedelta = timedelta(hours=3),
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._engine = engine
        self._keyring = keyring
        self._retriever = retriever
        self._risk_scorer = risk_scorer
        self._llm = llm
        self._num_ctx = num_ctx
        self._num_predict = num_predict
        self._top_k = top_k
        self._disclosure_every = disclosure_every
        self._clock = clock

    # --- conversations ------------------------------------------------------------------------

    def start(self, *, user_id: str) -> str:
        """A new conversation, opened with the AI disclosure."""
        now = self._clock()
        with session_scope(self._engine) as session:
            conversation = Conversation(user_id=user_id, last_disclosure_at=now)
            session.add(conversation)
            cipher = self._keyring.cipher_for(session=session, user_id=user_id)
            session.add(_message(cipher, conversation, "notice", AI_DISCLOSURE, now))
            return conversation.id

    def conversations(self, *, user_id: str, limit: int = 50) -> list[ConversationSummary]:
        """The user's conversations, most recent first."""
        with session_scope(self._engine) as session:
            cipher = self._keyring.cipher_for(session=session, user_id=user_id)
            rows = session.exec(
                select(Conversation)
                .where(Conversation.user_id == user_id)
                .order_by(col(Conversation.updated_at).desc())
                .limit(limit)
            ).all()
            return [
                ConversationSummary(
                    row.id,
                    cipher.decrypt_optional(_TITLE, row.title_ct) or "New conversation",
                    row.updated_at,
                )
                for row in rows
            ]

    def rename(self, *, user_id: str, conversation_id: str, title: str) -> None:
        """Give a conversation a new title."""
        title = " ".join(str(title).split())[:MAX_TITLE_CHARS]
        if not title:
            raise PolicyError("Please enter a title.")
        with session_scope(self._engine) as session:
            row = _owned(session, user_id, conversation_id)
            cipher = self._keyring.cipher_for(session=session, user_id=user_id)
            row.title_ct = cipher.encrypt(_TITLE, title)
            session.add(row)

    def delete(self, *, user_id: str, conversation_id: str) -> None:
        """Delete a conversation and its messages."""
        with session_scope(self._engine) as session:
            row = _owned(session, user_id, conversation_id)
            session.exec(
                delete(Message).where(
                    col(Message.conversation_id) == row.id, col(Message.user_id) == user_id
                )
            )
            session.delete(row)

    def history(self, *, user_id: str, conversation_id: str) -> list[Turn]:
        """Every saved message of a conversation, oldest first."""
        with session_scope(self._engine) as session:
            _owned(session, user_id, conversation_id)
            cipher = self._keyring.cipher_for(session=session, user_id=user_id)
            return [_turn(cipher, row) for row in _messages(session, user_id, conversation_id)]

    def feedback(self, *, user_id: str, message_id: str, helpful: bool) -> None:
        """Record thumbs up/down on an answer (one vote per answer; the last one counts)."""
        with session_scope(self._engine) as session:
            message = session.exec(
                select(Message).where(Message.id == message_id, Message.user_id == user_id)
            ).first()
            if message is None or message.role != "assistant":
                raise NotFound("That answer doesn't exist.")
            session.exec(
                delete(TipFeedback).where(
                    col(TipFeedback.user_id) == user_id, col(TipFeedback.message_id) == message_id
                )
            )
            ids: list[str | None] = [entry for entry in message.knowledge_ids.split(",") if entry]
            for knowledge_id in ids or [None]:
                session.add(
                    TipFeedback(
                        user_id=user_id,
                        message_id=message_id,
                        knowledge_id=knowledge_id,
                        helpful=helpful,
                    )
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

    # --- a turn -------------------------------------------------------------------------------

    def prepare(
        self, *, user_id: str, conversation_id: str | None, text: str, region: str | None
    ) -> TurnPlan:
        """Validate, assess, save and plan a turn; the LLM has not been called yet."""
        text = validate_message(text)
        timings: dict[str, float] = {}
        with _timer(timings, "safety"):
            assessment = self._assess(text, region)
        now = self._clock()
        with session_scope(self._engine) as session:
            cipher = self._keyring.cipher_for(session=session, user_id=user_id)
            if conversation_id is None:
                conversation = Conversation(user_id=user_id)
                session.add(conversation)
            else:
                conversation = _owned(session, user_id, conversation_id)
            if conversation.title_ct is None:
                conversation.title_ct = cipher.encrypt(_TITLE, _title_from(text, assessment))
            history, summary = self._context(session, cipher, user_id, conversation)
            disclosure = None
            due = conversation.last_disclosure_at
            if due is None or now - due >= self._disclosure_every:
                disclosure = AI_DISCLOSURE
                conversation.last_disclosure_at = now
                session.add(_message(cipher, conversation, "notice", AI_DISCLOSURE, now))
            crisis = assessment.level == "crisis"
            # Rows of one turn share a timestamp; a microsecond apart keeps their order.
            user_row = _message(cipher, conversation, "user", text, now + _TICK)
            user_row.safety_level = assessment.level
            user_row.excluded_from_context = crisis
            session.add(user_row)
            session.add(SafetyEvent(user_id=user_id, level=assessment.level, source="chat"))
            conversation.updated_at = now
            session.add(conversation)
            plan = TurnPlan(conversation.id, user_row.id, assessment, [], [], disclosure)
            if crisis:
                plan.crisis_reply = assessment.message
                reply = _message(
                    cipher, conversation, "assistant", assessment.message, now + 2 * _TICK
                )
                reply.excluded_from_context = True
                reply.safety_level = "crisis"
                session.add(reply)
                plan.timings_ms = timings
                return plan
        return self._plan_answer(plan, user_id, text, history, summary, timings)

    def resume(self, *, user_id: str, conversation_id: str, region: str | None) -> TurnPlan | None:
        """A plan to answer the last message if it was left unanswered (e.g. the page was
        closed before the first word arrived); None when there is nothing to answer."""
        with session_scope(self._engine) as session:
            conversation = _owned(session, user_id, conversation_id)
            cipher = self._keyring.cipher_for(session=session, user_id=user_id)
            rows = _messages(session, user_id, conversation_id)
            spoken = [row for row in rows if row.role in ("user", "assistant")]
            if not spoken or spoken[-1].role != "user" or spoken[-1].excluded_from_context:
                return None
            last = spoken[-1]
            text = cipher.decrypt_optional(_CONTENT, last.content_ct) or ""
            history, summary = self._context(session, cipher, user_id, conversation)
        assessment = self._assess(text, region)
        plan = TurnPlan(conversation_id, last.id, assessment, [], [])
        return self._plan_answer(plan, user_id, text, history[:-1], summary, {})

    def _assess(self, text: str, region: str | None) -> Assessment:
        """Rules always; the semantic layer too once it is loaded (safety never waits on it)."""
        scorer = self._risk_scorer.if_ready() if self._risk_scorer else None
        if self._risk_scorer is not None and scorer is None:
            self._risk_scorer.warm_up()
        return assess(text, region=region, semantic=scorer)

    def _plan_answer(
        self,
        plan: TurnPlan,
        user_id: str,
        text: str,
        history: list[ChatMessage],
        summary: str | None,
        timings: dict[str, float],
    ) -> TurnPlan:
        plan.hits = self._retrieve(text, timings)
        with _timer(timings, "prompt"):
            level = plan.assessment.level
            system = SYSTEM_PROMPT + (CONCERN_GUIDANCE if level == "concern" else "")
            prompt = build_prompt(
                system=system,
                knowledge=[(hit.title, hit.entry.body) for hit in plan.hits],
                summary=summary,
                history=history,
                user_message=text,
                num_ctx=self._num_ctx,
                reserve_tokens=self._num_predict,
            )
        plan.messages = prompt.messages
        plan.timings_ms = timings
        if prompt.dropped_history:
            self._fold_into_summary(user_id, plan.conversation_id, prompt.dropped_history)
        return plan

    def reply(self, plan: TurnPlan, *, user_id: str, outcome: Reply) -> Generator[str, None, None]:
        """Stream the answer; whatever happens (error, Stop), it is checked and saved."""
        if plan.is_crisis:
            outcome.text = plan.crisis_reply or ""
            yield outcome.text
            return
        pieces = _checked_sentences(self._llm.stream_chat(plan.messages))
        try:
            for piece in pieces:
                outcome.text += piece
                yield piece
        except LLMError as error:
            outcome.offline = True
            outcome.offline_reason = type(error).__name__
            if isinstance(error, LLMModelMissing):
                outcome.pull_command = error.pull_command
            log.warning("llm unavailable, answering offline", extra={"reason": str(error)[:200]})
            fallback = offline_answer(plan.hits, after_partial=bool(outcome.text))
            outcome.text += fallback
            yield fallback
        except GeneratorExit:
            outcome.stopped = True
            raise
        finally:
            pieces.close()
            outcome.message_id = self._save_answer(plan, user_id, outcome)

    def _save_answer(self, plan: TurnPlan, user_id: str, outcome: Reply) -> str | None:
        if not outcome.text.strip():
            return None
        with session_scope(self._engine) as session:
            conversation = _owned(session, user_id, plan.conversation_id)
            cipher = self._keyring.cipher_for(session=session, user_id=user_id)
            text = outcome.text + ("\n\n_(stopped)_" if outcome.stopped else "")
            row = _message(cipher, conversation, "assistant", text, self._clock())
            row.knowledge_ids = ",".join(hit.id for hit in plan.hits)[:1000]
            row.offline = outcome.offline
            row.safety_level = plan.assessment.level
            session.add(row)
            conversation.updated_at = self._clock()
            session.add(conversation)
            return row.id

    # --- context ------------------------------------------------------------------------------

    def _retrieve(self, text: str, timings: dict[str, float]) -> list[SearchHit]:
        try:
            with _timer(timings, "retrieval"):
                return self._retriever().search(text, self._top_k)
        except Exception:  # an unusable index must not stop the conversation
            log.exception("retrieval failed; answering without knowledge entries")
            return []

    def _context(
        self, session: Session, cipher: FieldCipher, user_id: str, conversation: Conversation
    ) -> tuple[list[ChatMessage], str | None]:
        rows = _messages(session, user_id, conversation.id)[conversation.summary_upto :]
        history = [
            ChatMessage(role="user" if row.role == "user" else "assistant", content=text)
            for row in rows
            if row.role in ("user", "assistant") and not row.excluded_from_context
            if (text := cipher.decrypt_optional(_CONTENT, row.content_ct))
        ]
        summary = cipher.decrypt_optional(_SUMMARY, conversation.summary_ct)
        return history, summary

    def _fold_into_summary(self, user_id: str, conversation_id: str, dropped: int) -> None:
        """Keep what fell out of the window as a short running summary (no LLM needed)."""
        with session_scope(self._engine) as session:
            conversation = _owned(session, user_id, conversation_id)
            cipher = self._keyring.cipher_for(session=session, user_id=user_id)
            rows = _messages(session, user_id, conversation_id)[conversation.summary_upto :]
            eligible = [
                row
                for row in rows
                if row.role in ("user", "assistant") and not row.excluded_from_context
            ]
            folded = eligible[:dropped]
            if not folded:
                return
            old = cipher.decrypt_optional(_SUMMARY, conversation.summary_ct) or ""
            lines = [old] if old else []
            for row in folded:
                text = cipher.decrypt_optional(_CONTENT, row.content_ct) or ""
                who = "They said" if row.role == "user" else "You suggested"
                lines.append(f"- {who}: {_first_sentence(text)}")
            summary = "\n".join(lines)
            while estimate_tokens(summary) > _SUMMARY_MAX_TOKENS and "\n" in summary:
                summary = summary.split("\n", 1)[1]  # the oldest points go first
            conversation.summary_ct = cipher.encrypt(_SUMMARY, summary)
            conversation.summary_upto = rows.index(folded[-1]) + 1 + conversation.summary_upto
            session.add(conversation)


def validate_message(text: object) -> str:
    """The message, stripped; PolicyError with a kind note if empty, too long or not text."""
    if not isinstance(text, str) or not text.strip():
        raise PolicyError("Write a few words about how you're feeling, and I'll be here.")
    text = text.replace("\x00", "").strip()
    if len(text) > MAX_MESSAGE_CHARS:
        raise PolicyError(
            f"That's a lot to hold. Could you share it in parts of up to {MAX_MESSAGE_CHARS:,} "
            "characters?"
        )
    return text


def offline_answer(hits: Sequence[SearchHit], *, after_partial: bool = False) -> str:
    """An answer made from the retrieved entries, for when the language model can't answer."""
    opening = (
        "\n\nI lost my connection part-way through, so here is something from the guides instead."
        if after_partial
        else "I can't reach my language model right now, so here is something from the guides "
        "that may help."
    )
    if not hits:
        return (
            opening + " Try a few slow breaths: in for 4, out for 6, for a minute or two. "
            "If things feel like too much, please reach out to someone you trust or a helpline."
        )
    parts = [opening]
    for hit in hits[:2]:
        parts.append(f"\n\n**{hit.title}**\n\n{_excerpt(hit.entry.body)}")
    return "".join(parts)


def _excerpt(body: str, limit: int = 900) -> str:
    """What helps most when read alone: the guide's opening paragraph and its first list of
    steps (with the line introducing it), never ending on a dangling heading."""
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    if not paragraphs:
        return ""
    steps = next((i for i, p in enumerate(paragraphs) if _is_list(p)), None)
    if steps is None:
        kept = paragraphs[:2]
    else:
        lead = [paragraphs[steps - 1]] if steps > 1 and _is_lead_in(paragraphs[steps - 1]) else []
        kept = [paragraphs[0], *lead, paragraphs[steps]] if steps > 0 else [paragraphs[steps]]
    text = "\n\n".join(kept)
    return text if len(text) <= limit else text[:limit].rsplit("\n", 1)[0]


def _is_list(paragraph: str) -> bool:
    return bool(re.match(r"^(?:\d+[.)]|[-*•]) ", paragraph))


def _is_lead_in(paragraph: str) -> bool:
    return len(paragraph) < 120 and not paragraph.rstrip("*").endswith((".", "!", "?"))


def _checked_sentences(stream: Iterator[str]) -> Generator[str, None, None]:
    """Pass the stream on sentence by sentence, each checked before it is shown."""
    buffer = ""
    shown = ""
    try:
        for piece in stream:
            buffer += piece
            cut = _last_boundary(buffer)
            if cut:
                ready, buffer = buffer[:cut], buffer[cut:]
                verdict = check_output(shown + ready)
                if not verdict.ok:
                    log.warning("llm output blocked", extra={"categories": verdict.categories})
                    yield "\n\n" + verdict.safe_text
                    return
                shown += ready
                yield ready
        if buffer:
            verdict = check_output(shown + buffer)
            yield buffer if verdict.ok else "\n\n" + verdict.safe_text
    except LLMError:
        # Show the checked half-sentence that had arrived, then let the caller fall back.
        if buffer.strip() and check_output(shown + buffer).ok:
            yield buffer
        raise
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()


def _last_boundary(text: str) -> int:
    last = 0
    for match in _SENTENCE_END.finditer(text):
        last = match.end()
    return last


def _first_sentence(text: str, limit: int = 160) -> str:
    sentence = re.split(r"(?<=[.!?])\s", " ".join(text.split()), maxsplit=1)[0]
    return sentence[:limit] + ("…" if len(sentence) > limit else "")


def _title_from(text: str, assessment: Assessment) -> str:
    if assessment.level != "none":
        return "A hard moment"  # no risky words in a list others might glance at
    words = " ".join(text.split())
    return words[:48] + ("…" if len(words) > 48 else "")


def _message(
    cipher: FieldCipher, conversation: Conversation, role: str, text: str, at: datetime
) -> Message:
    return Message(
        user_id=conversation.user_id,
        conversation_id=conversation.id,
        role=role,
        content_ct=cipher.encrypt(_CONTENT, text),
        created_at=at,
    )


def _turn(cipher: FieldCipher, row: Message) -> Turn:
    return Turn(
        id=row.id,
        role=row.role,
        text=cipher.decrypt_optional(_CONTENT, row.content_ct) or "",
        safety_level=row.safety_level,
        knowledge_ids=tuple(entry for entry in row.knowledge_ids.split(",") if entry),
        offline=row.offline,
        created_at=row.created_at,
    )


def _messages(session: Session, user_id: str, conversation_id: str) -> list[Message]:
    return list(
        session.exec(
            select(Message)
            .where(Message.conversation_id == conversation_id, Message.user_id == user_id)
            .order_by(col(Message.created_at), col(Message.id))
        ).all()
    )


def _owned(session: Session, user_id: str, conversation_id: str) -> Conversation:
    row = session.exec(
        select(Conversation).where(
            Conversation.id == conversation_id, Conversation.user_id == user_id
        )
    ).first()
    if row is None:
        raise NotFound("That conversation doesn't exist.")
    return row


@contextmanager
def _timer(timings: dict[str, float], name: str) -> Iterator[None]:
    """Adds the block's wall time in milliseconds to `timings[name]`."""
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = (time.perf_counter() - start) * 1000
