"""What a WhatsApp message to the companion does (the webhook only parses and answers TwiML).

Idempotent on Twilio's MessageSid: the first delivery of a message acts, a retried webhook gets
no second answer. Unknown numbers only get a short linking hint. Keywords: STOP / START (opt
out of / back into every WhatsApp message), HELP, `mood 7` or `mood 7 tired anxious` (a mood
entry). A picture or voice note gets a kind "text only" reply. Anything else goes to the same
chat service as the app, whose `prepare` is the message's one safety screening (`core.safety`,
rules and the semantic layer): a crisis gets the region's crisis resources at once, in the
webhook's own answer, and no model call.

Twilio waits at most 15 s for the webhook's answer and a model can take longer, so a chat reply
is not given in the answer: the webhook answers at once (empty TwiML) and a background thread
asks the model and sends the reply through Twilio's REST API; if the model is slow, a short
holding line goes first. Such a reply is lost if the webhook process dies while the model
writes it (the person's message is saved and shown unanswered in the app).
"""

from __future__ import annotations

import logging
import re
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from core.chat import ChatService, ConversationService
from core.chat.turns import TurnPlan
from core.db.engine import session_scope
from core.db.models import InboundMessage, MoodEntry
from core.errors import InvalidInput
from core.ports import DeliveryError, MessageSender
from core.profile import ProfileService
from core.reminders.whatsapp import WhatsAppService
from core.safety import CrisisResources
from core.store import UserStore
from core.textinput import replace_lone_surrogates

log = logging.getLogger(__name__)

WHATSAPP_LIMIT = 1600  # characters in one Twilio WhatsApp message
SAME_CONVERSATION = timedelta(hours=6)  # a reply within this continues the last conversation
MAX_EMOTIONS = 8
HOLD_SECONDS = 8.0  # a slow model: the holding line goes after this long
HOLDING_TEXT = "Thank you for writing. I'm thinking about what you said; my reply is on its way."

LINK_HINT = (
    "Hello! This number isn't linked to a companion account yet. To chat here, open the app, "
    "go to Reminders and link your WhatsApp number."
)
HELP_TEXT = (
    "You can write to me about anything on your mind.\n"
    "• mood 7 — log your mood (1–10); add feelings: mood 4 tired anxious\n"
    "• STOP — no more WhatsApp messages from us; START — turn them back on\n"
    "I'm an AI companion, not a therapist. In an emergency, call your local emergency number."
)
MEDIA_TEXT = "I can only read text messages for now. Could you tell me in words?"
STOP_TEXT = "You won't get any more WhatsApp messages from us. Send START to turn them back on."
START_TEXT = "Welcome back. Reminders on WhatsApp are on again. Send HELP to see what I can do."
_STOP = {"stop", "stopall", "unsubscribe", "cancel", "end", "quit"}
_START = {"start", "unstop", "yes"}
_MOOD = re.compile(r"^\s*mood\s+(\S+)(?:\s+(.*))?$", re.IGNORECASE | re.DOTALL)
_WORD = re.compile(r"^[^\W\d_]{2,24}$")


class WhatsAppInbox:
    """Acts on inbound WhatsApp messages; returns the texts to answer with."""

    def __init__(
        self,
        *,
        engine: Engine,
        store: UserStore,
        links: WhatsAppService,
        chat: ChatService,
        conversations: ConversationService,
        profile: ProfileService,
        sender: MessageSender | None = None,
        reply_threads: int = 4,
        hold_seconds: float = HOLD_SECONDS,
    ) -> None:
        self._engine = engine
        self._store = store
        self._links = links
        self._chat = chat
        self._conversations = conversations
        self._profile = profile
        self._sender = sender
        self._hold_seconds = hold_seconds
        self._replies = ThreadPoolExecutor(reply_threads, thread_name_prefix="whatsapp-reply")
        self._lock = threading.Lock()
        self._pending: set[Future[None]] = set()

    def handle(self, *, message_sid: str, sender: str, body: str, media_count: int) -> list[str]:
        """Act once per MessageSid; the replies (each within WhatsApp's limit)."""
        user_id = self._links.user_for(sender.removeprefix("whatsapp:"))
        if not self._first_time(message_sid, user_id):
            return []
        try:
            if user_id is None:
                return [LINK_HINT]
            self._links.record_inbound(user_id)
            phone = sender.removeprefix("whatsapp:")
            return split_message(self._answer(user_id, phone, body, media_count))
        except Exception:
            self._forget(message_sid)  # let Twilio's retry act, since this one did not
            raise

    def wait_for_replies(self, timeout: float | None = None) -> bool:
        """Wait for the replies being written in the background; False if some still are."""
        with self._lock:
            pending = list(self._pending)
        _, left = wait(pending, timeout=timeout)
        return not left

    def close(self) -> None:
        """Finish the replies under way, then stop the background threads."""
        self._replies.shutdown(wait=True)

    def _answer(self, user_id: str, phone: str, body: str, media_count: int) -> str:
        text = replace_lone_surrogates((body or "").strip())
        word = text.lower().strip(" .!")
        if word in _STOP:
            self._links.set_opted_out(user_id, True)
            return STOP_TEXT
        if word in _START:
            self._links.set_opted_out(user_id, False)
            return START_TEXT
        if word in ("help", "info", "?"):
            return HELP_TEXT
        if media_count > 0 and not text:
            return MEDIA_TEXT
        mood = _MOOD.match(text)
        if mood:
            return self._mood(user_id, mood.group(1), mood.group(2) or "")
        if not text:
            return MEDIA_TEXT if media_count else HELP_TEXT
        answer = self._talk(user_id, phone, text)
        return "\n\n".join(part for part in (answer, MEDIA_TEXT if media_count else "") if part)

    def _mood(self, user_id: str, score_text: str, rest: str) -> str:
        if not score_text.isdigit() or not 1 <= int(score_text) <= 10:
            return "To log your mood, send a number from 1 to 10, e.g. mood 6 or mood 4 tired."
        words = [w.lower() for w in rest.replace(",", " ").split()]
        emotions = [w for w in words if _WORD.match(w)][:MAX_EMOTIONS]
        with self._store.unit(user_id) as unit:
            unit.add(
                MoodEntry(
                    user_id=user_id,
                    score=int(score_text),
                    emotions=",".join(emotions),
                    logged_at=unit.now(),
                )
            )
        felt = f" ({', '.join(emotions)})" if emotions else ""
        return f"Thanks, I've noted your mood as {int(score_text)}/10{felt}. Take care of yourself."

    def _talk(self, user_id: str, phone: str, text: str) -> str:
        """The answer to give in the webhook's reply now ("" when it is sent later)."""
        region = self._profile.get(user_id=user_id).region
        try:
            plan = self._chat.prepare(  # the message's one safety screening
                user_id=user_id,
                conversation_id=self._conversation(user_id),
                text=text,
                region=region,
                source="whatsapp",
            )
        except InvalidInput as error:
            return str(error)
        if plan.is_crisis:  # at once, in this answer; the model is never asked
            return crisis_text(plan.crisis_reply or "", plan.assessment.resources)
        if self._sender is None:  # no REST client configured: answer in the reply itself
            return self._compose(plan, user_id)
        future = self._replies.submit(self._reply_later, plan, user_id, phone)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)
        return ""

    def _compose(self, plan: TurnPlan, user_id: str) -> str:
        answer = "".join(self._chat.reply(plan, user_id=user_id)).strip()
        return "\n\n".join(p for p in (plan.disclosure, answer) if p) or HELP_TEXT

    def _reply_later(self, plan: TurnPlan, user_id: str, phone: str) -> None:
        """Ask the model and send its reply through the REST API (a background thread)."""
        assert self._sender is not None
        sender = self._sender
        holding = threading.Timer(self._hold_seconds, self._send, (sender, phone, HOLDING_TEXT))
        holding.daemon = True
        holding.start()
        try:
            text = self._compose(plan, user_id)
        except Exception:
            log.exception("whatsapp reply failed")
            text = "Sorry, I couldn't reply just now. Please try again in a little while."
        finally:
            holding.cancel()
            holding.join()  # a holding line already going out goes before the reply
        for piece in split_message(text):
            if not self._send(sender, phone, piece):
                break

    @staticmethod
    def _send(sender: MessageSender, phone: str, text: str) -> bool:
        try:
            sender.send(to=phone, body=text)
        except DeliveryError as error:  # never resent blind: it may have gone
            log.warning("whatsapp reply not sent", extra={"code": error.code})
            return False
        return True

    def _done(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    def _conversation(self, user_id: str) -> str | None:
        recent = self._conversations.recent(user_id=user_id, limit=1)
        if recent and self._store.clock.now() - recent[0].updated_at < SAME_CONVERSATION:
            return recent[0].id
        return None

    def _first_time(self, message_sid: str, user_id: str | None) -> bool:
        try:
            with session_scope(self._engine) as session:
                session.add(
                    InboundMessage(
                        message_sid=message_sid[:64],
                        user_id=user_id,
                        received_at=self._store.clock.now(),
                    )
                )
        except IntegrityError:
            return False
        return True

    def _forget(self, message_sid: str) -> None:
        with session_scope(self._engine) as session:
            row = session.get(InboundMessage, message_sid[:64])
            if row is not None:
                session.delete(row)


def crisis_text(message: str, resources: CrisisResources) -> str:
    """The crisis message with the region's numbers, as plain WhatsApp text."""
    lines = [message, "", f"Emergency: {resources.emergency_number}"]
    for line in resources.helplines[:4]:
        reach = " · ".join(
            x for x in (line.phone and f"call {line.phone}", line.text and f"text {line.text}") if x
        )
        lines.append(f"{line.name}: {reach or line.url or ''}".rstrip(": "))
    lines.append(f"More helplines: {resources.directory_url}")
    return "\n".join(lines)


def split_message(text: str, limit: int = WHATSAPP_LIMIT) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at paragraphs, then sentences,
    then words, never inside a word when it can be helped."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), -1)
        if cut < limit // 3:
            cut = max(window.rfind(". "), window.rfind("! "), window.rfind("? "))
            cut = cut + 1 if cut >= limit // 3 else -1
        if cut < limit // 3:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        pieces.append(rest)
    return pieces
