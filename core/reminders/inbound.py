"""What a WhatsApp message to the companion does (the webhook only parses and answers TwiML).

Idempotent on Twilio's MessageSid: the first delivery of a message acts, a retried webhook gets
no second answer. Unknown numbers only get a short linking hint. Keywords: STOP / START (opt
out of / back into every WhatsApp message), HELP, `mood 7` or `mood 7 tired anxious` (a mood
entry). A picture or voice note gets a kind "text only" reply. Anything else is screened by
`core.safety` first (a crisis gets the region's crisis resources at once and no model call),
then answered by the same chat service as the app.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from core.chat import ChatService, ConversationService
from core.db.engine import session_scope
from core.db.models import InboundMessage, MoodEntry
from core.errors import InvalidInput
from core.profile import ProfileService
from core.reminders.whatsapp import WhatsAppService
from core.safety import CrisisResources, assess
from core.safety_events import record_screening
from core.store import UserStore
from core.textinput import replace_lone_surrogates

log = logging.getLogger(__name__)

WHATSAPP_LIMIT = 1600  # characters in one Twilio WhatsApp message
SAME_CONVERSATION = timedelta(hours=6)  # a reply within this continues the last conversation
MAX_EMOTIONS = 8

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
    ) -> None:
        self._engine = engine
        self._store = store
        self._links = links
        self._chat = chat
        self._conversations = conversations
        self._profile = profile

    def handle(self, *, message_sid: str, sender: str, body: str, media_count: int) -> list[str]:
        """Act once per MessageSid; the replies (each within WhatsApp's limit)."""
        user_id = self._links.user_for(sender.removeprefix("whatsapp:"))
        if not self._first_time(message_sid, user_id):
            return []
        try:
            if user_id is None:
                return [LINK_HINT]
            self._links.record_inbound(user_id)
            return split_message(self._answer(user_id, body, media_count))
        except Exception:
            self._forget(message_sid)  # let Twilio's retry act, since this one did not
            raise

    def _answer(self, user_id: str, body: str, media_count: int) -> str:
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
        return self._talk(user_id, text) + ("\n\n" + MEDIA_TEXT if media_count else "")

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

    def _talk(self, user_id: str, text: str) -> str:
        region = self._profile.get(user_id=user_id).region
        assessment = assess(text, region=region)  # rules first, before anything else
        if assessment.level == "crisis":
            with self._store.unit(user_id) as unit:
                record_screening(unit, "crisis", source="whatsapp")
            return crisis_text(assessment.message, assessment.resources)
        try:
            plan = self._chat.prepare(
                user_id=user_id,
                conversation_id=self._conversation(user_id),
                text=text,
                region=region,
            )
        except InvalidInput as error:
            return str(error)
        if plan.is_crisis:  # the semantic layer may see more than the rules did
            return crisis_text(plan.crisis_reply or "", plan.assessment.resources)
        answer = "".join(self._chat.reply(plan, user_id=user_id)).strip()
        parts = [plan.disclosure, answer]
        return "\n\n".join(p for p in parts if p) or HELP_TEXT

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
