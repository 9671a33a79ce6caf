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

A worker moves a batch at a time, so a message costs a fraction of a commit: `start` reads the
batch's schedules, numbers and keys in one transaction, settles what needs no send, and records
the rest as in flight in one commit; `send` (one per pool thread, paced) calls the provider;
`finish` records the accepted sends in one commit, each still fenced by its claim's token.

Email has no provider-side list to reconcile against: the row is in flight (committed) before
the SMTP call, and an ambiguous failure (the answer to DATA lost) is retried, so a message may
arrive twice; every try carries the same Message-ID (`<reminder.DELIVERY@domain>`), by which
mail servers and clients can recognise the copy. In-app reminders are written in the same
transaction as the row's `sent` mark, so they are exactly once.
"""

from __future__ import annotations

import logging
import random
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlmodel import col, select

from core.db.models import Notification, ReminderSchedule, WhatsAppLink
from core.ports import Clock, DeliveryError, Mailer, MessageSender, MessageTemplate
from core.reminders.messages import dead_letter_text, email_subject, reminder_text
from core.reminders.outbox import Claim, Outbox, Sent
from core.reminders.pacing import Pacer
from core.reminders.triggers import nudge_email
from core.reminders.whatsapp import Recipient, WhatsAppService, recipient_in
from core.store import UserStore, UserUnit

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


@dataclass(frozen=True, slots=True)
class _Loaded:
    content: _Content | None  # None: the schedule is paused or deleted
    recipient: Recipient | None


@dataclass(frozen=True, slots=True)
class SendJob:
    """A delivery recorded as in flight, ready for the provider call."""

    claim: Claim
    content: _Content
    to: str  # E.164 number or email address
    template: MessageTemplate | None = None


@dataclass(frozen=True, slots=True)
class SendResult:
    """What the provider said to one job (or that the job was never sent: the worker stops)."""

    job: SendJob
    provider_id: str | None = None
    error: DeliveryError | None = None
    at: datetime | None = None  # when the provider answered
    unsent: bool = False


class Dispatcher:
    """Moves claims to their end (or to their next try), a batch at a time."""

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

    def start(self, claims: Sequence[Claim]) -> tuple[list[SendJob], Counter[str]]:
        """Settle what needs no send (paused, opted out, late, in-app, found at the provider)
        and record the rest as in flight in one commit; those are returned as jobs to send."""
        outcomes: Counter[str] = Counter()
        ready: list[SendJob] = []
        loaded = self._load(claims)
        for claim in claims:
            if claim.delivery_id not in loaded:  # unreadable: its lease expires, it comes back
                outcomes["error"] += 1
                continue
            try:
                step = self._step(claim, loaded[claim.delivery_id])
            except Exception:  # one bad row must not stop the others; its lease expires
                log.exception("delivery failed", extra={"delivery": claim.delivery_id})
                step = "error"
            if isinstance(step, SendJob):
                ready.append(step)
            else:
                outcomes[step] += 1
        begun = {c.delivery_id: c for c in self._outbox.begin_many([j.claim for j in ready])}
        jobs = [
            replace(j, claim=begun[j.claim.delivery_id])
            for j in ready
            if j.claim.delivery_id in begun
        ]
        if len(jobs) < len(ready):
            outcomes["lost"] += len(ready) - len(jobs)
        return jobs, outcomes

    def send(self, job: SendJob, stopping: threading.Event | None = None) -> SendResult:
        """Wait for this send's slot at the configured rate, then call the provider (any
        thread). A job not yet sent when the worker stops comes back `unsent`."""
        if stopping is not None and stopping.is_set():
            return SendResult(job, unsent=True)
        self._pacer.wait()
        try:
            if job.claim.channel == "whatsapp":
                assert self._sender is not None
                sid = self._sender.send(to=job.to, body=job.content.text, template=job.template)
            else:
                assert self._mailer is not None
                sid = self._mailer.send(
                    to=job.to,
                    subject=email_subject(),
                    body=job.content.text,
                    key=job.claim.delivery_id,  # the same Message-ID on every try
                )[:64]
        except DeliveryError as error:
            return SendResult(job, error=error, at=self._clock.now())
        return SendResult(job, provider_id=sid, at=self._clock.now())

    def finish(self, results: Sequence[SendResult]) -> Counter[str]:
        """Record what the provider said: every accepted send in one commit; failures one by
        one (they are rare and each has its own next step)."""
        outcomes: Counter[str] = Counter()
        accepted = [r for r in results if r.error is None and not r.unsent]
        marks = self._outbox.mark_sent_many(
            [
                Sent(
                    r.job.claim,
                    r.provider_id,
                    "queued" if r.job.claim.channel == "whatsapp" else "accepted",
                    r.at or self._clock.now(),
                )
                for r in accepted
            ]
        )
        outcomes.update("sent" if moved else "lost" for moved in marks)
        for result in results:
            claim = result.job.claim
            if result.unsent:
                self._outbox.release_unsent(claim)
                outcomes["released"] += 1
            elif result.error is not None:
                error = result.error
                if claim.channel == "email" and error.ambiguous:
                    # no list to reconcile against: try again (at least once)
                    error = DeliveryError(str(error), retryable=True, code=error.code)
                outcomes[self._failed(claim, result.job.content, error)] += 1
        return outcomes

    # --- one claim's next step ------------------------------------------------------------

    def _step(self, claim: Claim, loaded: _Loaded) -> SendJob | str:
        if loaded.content is None:
            return self._end(claim, "skipped", "schedule paused or deleted")
        content = loaded.content
        if claim.channel == "in_app":
            return self._in_app(claim, content)
        if claim.channel == "whatsapp":
            return self._whatsapp(claim, content, loaded.recipient)
        if claim.channel == "email":
            return self._email(claim, content)
        return self._end(claim, "failed", f"unknown channel {claim.channel}")

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

    def _whatsapp(
        self, claim: Claim, content: _Content, recipient: Recipient | None
    ) -> SendJob | str:
        if self._sender is None:
            return self._end(claim, "failed", "whatsapp not configured")
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
        return SendJob(claim, content, recipient.phone, template)

    def _email(self, claim: Claim, content: _Content) -> SendJob | str:
        if self._mailer is None:
            return self._end(claim, "failed", "email not configured")
        if not content.email:
            return self._end(claim, "skipped", "no email address")
        if self._late(claim):
            return self._end(claim, "missed", "past grace period")
        return SendJob(claim, content, content.email)

    # --- outcomes -------------------------------------------------------------------------

    def _reconcile(self, claim: Claim, phone: str, text: str) -> str:
        """ "sent" when the provider has it; "" to go on and send; "unknown" to ask later.

        Only a message carrying this reminder's text counts, and only one no other delivery
        already owns: another message to the same number in the window (a verification code,
        a chat reply, another reminder with the same words) must not pass for it."""
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
        owned = self._owned_elsewhere([m.sid for m in found], claim.delivery_id)
        found = [message for message in found if message.sid not in owned]
        if found:
            newest = max(found, key=lambda m: m.created_at)
            self._outbox.mark_sent(claim, newest.sid, provider_status=newest.status)
            return "reconciled"
        return ""

    def _owned_elsewhere(self, sids: list[str], delivery_id: str) -> set[str]:
        """Which of these provider ids another delivery row already records."""
        return self._outbox.owned_provider_ids(sids, besides=delivery_id) if sids else set()

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

    def _load(self, claims: Sequence[Claim]) -> dict[str, _Loaded]:
        """Every claim's text, address and WhatsApp recipient, read in one transaction."""
        if not claims:
            return {}
        loaded: dict[str, _Loaded] = {}
        with self._store.units(c.user_id for c in claims) as units:
            session = next(iter(units.values())).session
            # Held here, so they stay in the identity map (weak references only) and each
            # unit's lookups below need no query of their own.
            schedules = session.exec(
                select(ReminderSchedule).where(
                    col(ReminderSchedule.id).in_({c.schedule_id for c in claims})
                )
            ).all()
            links = session.exec(
                select(WhatsAppLink).where(
                    col(WhatsAppLink.user_id).in_(
                        {c.user_id for c in claims if c.channel == "whatsapp"}
                    )
                )
            ).all()
            recipients: dict[str, Recipient | None] = {}
            for claim in claims:
                unit = units[claim.user_id]
                try:
                    content = _content_in(unit, claim)
                    if content is None:
                        loaded[claim.delivery_id] = _Loaded(None, None)
                        continue
                    if claim.channel == "whatsapp" and claim.user_id not in recipients:
                        recipients[claim.user_id] = recipient_in(unit)
                    loaded[claim.delivery_id] = _Loaded(content, recipients.get(claim.user_id))
                except Exception:  # an unreadable row is settled alone (see `start`)
                    log.exception("delivery unreadable", extra={"delivery": claim.delivery_id})
            del schedules, links
        return loaded


def _content_in(unit: UserUnit, claim: Claim) -> _Content | None:
    """What a delivery says: its schedule's text, or a nudge's (the delivery names the in-app
    notification it also sends); None when the schedule is paused or deleted."""
    schedule = unit.session.get(ReminderSchedule, claim.schedule_id)
    if schedule is None:
        note = unit.session.get(Notification, claim.schedule_id)
        if note is None or note.user_id != claim.user_id or note.kind != "nudge":
            return None
        email = nudge_email(unit) if claim.channel == "email" else None
        return _Content("nudge", unit.open(note, "body_ct") or "", email)
    if schedule.user_id != claim.user_id or not schedule.active:
        return None
    custom = unit.open(schedule, "message_ct")
    email = unit.open(schedule, "destination_ct") if schedule.channel == "email" else None
    return _Content(schedule.kind, reminder_text(schedule.kind, custom), email)


def claim_error(claim: Claim) -> str:
    """Why a delivery is dead-lettered after its last ambiguous try."""
    return f"no answer after {claim.attempts} tries"
