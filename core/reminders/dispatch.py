"""Sending one claimed delivery through its channel, with every failure mode handled.

WhatsApp (Twilio has no idempotency key for creating a message):
1. a row claimed as `unknown` (answer lost, or its worker died mid-send) is first looked for in
   the provider's message list (recipient, time window); found means sent, nothing is resent;
2. the row is marked `in_flight` (committed) *before* the provider is called;
3. success -> sent with the provider's id; a 429 the adapter could not get past -> retried
   later; a timeout, cut connection or 5xx -> unknown (reconciled before any resend); a
   permanent error (invalid number, opted out) -> failed, never retried; too many tries ->
   dead, and the person gets an in-app note.
Outside WhatsApp's 24-hour window the approved template goes instead of free text.

Email has no provider-side list to reconcile against, so an ambiguous SMTP failure is retried
(at least once, possibly twice); in-app reminders are written in the same transaction as the
row's `sent` mark, so they are exactly once.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import timedelta

from core.db.models import Notification, ReminderSchedule
from core.ports import Clock, DeliveryError, Mailer, MessageSender, MessageTemplate
from core.reminders.messages import dead_letter_text, email_subject, reminder_text
from core.reminders.outbox import Claim, Outbox
from core.reminders.pacing import Pacer
from core.reminders.whatsapp import WhatsAppService
from core.store import UserStore

log = logging.getLogger(__name__)

_CLOCK_SKEW = timedelta(minutes=2)  # between our clock and the provider's
_RETRY_BASE = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class DispatchPolicy:
    """The knobs of sending: the template outside the window, and when to recheck."""

    reminder_content_sid: str = ""
    recheck_after: timedelta = timedelta(seconds=30)  # longer than the provider call's timeout


@dataclass(frozen=True, slots=True)
class _Content:
    kind: str
    text: str
    email: str | None


class Dispatcher:
    """Moves one claim to its end (or to its next try)."""

    def __init__(
        self,
        *,
        outbox: Outbox,
        store: UserStore,
        links: WhatsAppService,
        sender: MessageSender | None,
        mailer: Mailer | None,
        clock: Clock,
        pacer: Pacer,
        settings: DispatchPolicy,
    ) -> None:
        self._outbox = outbox
        self._store = store
        self._links = links
        self._sender = sender
        self._mailer = mailer
        self._clock = clock
        self._pacer = pacer
        self._settings = settings

    def handle(self, claim: Claim) -> str:
        """Send (or settle) one claimed delivery; returns the outcome's name for counting."""
        content = self._content(claim)
        if content is None:
            return self._end(claim, "skipped", "schedule paused or deleted")
        if claim.channel == "in_app":
            return self._in_app(claim, content)
        if claim.channel == "whatsapp":
            return self._whatsapp(claim, content)
        if claim.channel == "email":
            return self._email(claim, content)
        return self._end(claim, "failed", f"unknown channel {claim.channel}")

    # --- channels -------------------------------------------------------------------------

    def _in_app(self, claim: Claim, content: _Content) -> str:
        if self._late(claim):
            return self._end(claim, "missed", "past grace period")
        with self._store.unit(claim.user_id) as unit:
            note = Notification(user_id=claim.user_id, kind="reminder", created_at=unit.now())
            unit.seal(note, "body_ct", content.text)
            unit.add(note)
            unit.session.flush()
            if not self._outbox.mark_sent(claim, None, session=unit.session):
                unit.session.rollback()
                return "lost"
        return "sent"

    def _whatsapp(self, claim: Claim, content: _Content) -> str:
        if self._sender is None:
            return self._end(claim, "failed", "whatsapp not configured")
        recipient = self._links.recipient(claim.user_id)
        if recipient is None:
            return self._end(claim, "skipped", "no verified number")
        if claim.reconcile and claim.in_flight_at is not None:
            found = self._reconcile(claim, recipient.phone, content.text)
            if found != "":
                return found
            if claim.attempts >= self._outbox.policy.max_attempts:
                self._end(claim, "dead", claim_error(claim))
                self._note_undelivered(claim, content)
                return "dead"
        if recipient.opted_out:
            return self._end(claim, "skipped", "opted out")
        if self._late(claim):
            return self._end(claim, "missed", "past grace period")
        template = None
        if not recipient.in_window and self._settings.reminder_content_sid:
            template = MessageTemplate(self._settings.reminder_content_sid, {"1": content.text})
        if not self._outbox.begin_send(claim):
            return "lost"
        self._pacer.wait()
        try:
            sid = self._sender.send(to=recipient.phone, body=content.text, template=template)
        except DeliveryError as error:
            return self._failed(claim, content, error)
        self._outbox.mark_sent(claim, sid, provider_status="queued")
        return "sent"

    def _email(self, claim: Claim, content: _Content) -> str:
        if self._mailer is None:
            return self._end(claim, "failed", "email not configured")
        if not content.email:
            return self._end(claim, "skipped", "no email address")
        if self._late(claim):
            return self._end(claim, "missed", "past grace period")
        if not self._outbox.begin_send(claim):
            return "lost"
        self._pacer.wait()
        try:
            message_id = self._mailer.send(
                to=content.email, subject=email_subject(), body=content.text
            )
        except DeliveryError as error:
            if error.ambiguous:  # no list to reconcile against: try again (at least once)
                error = DeliveryError(str(error), retryable=True, code=error.code)
            return self._failed(claim, content, error)
        self._outbox.mark_sent(claim, message_id[:64], provider_status="accepted")
        return "sent"

    # --- outcomes -------------------------------------------------------------------------

    def _reconcile(self, claim: Claim, phone: str, text: str) -> str:
        """ "sent" when the provider has it; "" to go on and send; "unknown" to ask later.

        Only a message carrying this reminder's text counts: another message to the same number
        in the window (a verification code, a chat reply) must not pass for it."""
        assert self._sender is not None and claim.in_flight_at is not None
        since = claim.in_flight_at - _CLOCK_SKEW
        until = claim.in_flight_at + self._settings.recheck_after + _CLOCK_SKEW
        try:
            found = self._sender.find_sent(to=phone, since=since, until=until)
        except DeliveryError as error:
            if self._late(claim):  # never resend blind; past the grace period, give up
                self._end(claim, "dead", "could not check with the provider")
                return "dead"
            self._outbox.mark_unknown(claim, f"check: {error.code}", recheck_after=_RETRY_BASE)
            return "unknown"
        found = [message for message in found if text in message.body]
        if found:
            newest = max(found, key=lambda m: m.created_at)
            self._outbox.mark_sent(claim, newest.sid, provider_status=newest.status)
            return "reconciled"
        return ""

    def _failed(self, claim: Claim, content: _Content, error: DeliveryError) -> str:
        code = error.code or type(error).__name__
        if error.ambiguous and claim.channel == "whatsapp":
            self._outbox.mark_unknown(claim, code, recheck_after=self._settings.recheck_after)
            return "unknown"
        if not error.retryable:
            self._outbox.mark_final(claim, "failed", code)
            self._note_undelivered(claim, content)
            return "failed"
        tries = claim.attempts + 1
        delay = _RETRY_BASE * (2 ** min(tries, 8)) * random.uniform(0.5, 1.0)
        state = self._outbox.mark_retry(claim, code, delay=delay)
        if state == "dead":
            self._note_undelivered(claim, content)
        return state or "lost"

    def _end(self, claim: Claim, state: str, reason: str) -> str:
        self._outbox.mark_final(claim, state, reason)
        return state

    def _note_undelivered(self, claim: Claim, content: _Content) -> None:
        with self._store.unit(claim.user_id) as unit:
            note = Notification(user_id=claim.user_id, kind="undelivered", created_at=unit.now())
            unit.seal(note, "body_ct", dead_letter_text(content.kind, claim.channel))
            unit.add(note)

    # --- helpers --------------------------------------------------------------------------

    def _late(self, claim: Claim) -> bool:
        return self._clock.now() - claim.due_at > self._outbox.policy.grace

    def _content(self, claim: Claim) -> _Content | None:
        with self._store.unit(claim.user_id) as unit:
            schedule = unit.session.get(ReminderSchedule, claim.schedule_id)
            if schedule is None or schedule.user_id != claim.user_id or not schedule.active:
                return None
            custom = unit.open(schedule, "message_ct")
            email = unit.open(schedule, "destination_ct") if schedule.channel == "email" else None
            return _Content(schedule.kind, reminder_text(schedule.kind, custom), email)


def claim_error(claim: Claim) -> str:
    """Why a delivery is dead-lettered after its last ambiguous try."""
    return f"no answer after {claim.attempts} tries"
