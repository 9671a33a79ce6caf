"""Linking a WhatsApp number: E.164, a one-time code (hashed, expiring, attempt-limited),
opt-out and opt-in, and the 24-hour customer-service window.

The number is sealed in the row; `phone_lookup` (a keyed hash of the E.164 form) lets the
webhook find who wrote without decrypting anything. The code is stored only as a keyed hash.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

import phonenumbers
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from core.db.engine import session_scope
from core.db.models import WhatsAppLink
from core.errors import InvalidInput
from core.ports import DeliveryError, MessageSender, MessageTemplate
from core.store import UserStore, UserUnit

log = logging.getLogger(__name__)

CODE_TTL = timedelta(minutes=10)
MAX_CODE_ATTEMPTS = 5
RESEND_AFTER = timedelta(seconds=60)
WINDOW = timedelta(hours=24)  # WhatsApp's customer-service window after the person writes


@dataclass(frozen=True, slots=True)
class LinkView:
    """The person's link as the page shows it (number masked)."""

    masked_phone: str
    verified: bool
    opted_out: bool
    code_pending: bool


@dataclass(frozen=True, slots=True)
class Recipient:
    """Where and how a WhatsApp message to this person may go."""

    phone: str
    opted_out: bool
    in_window: bool


def normalise_phone(text: str, region: str | None = None) -> str:
    """The E.164 form of a phone number as typed; `InvalidInput` when it isn't one."""
    try:
        parsed = phonenumbers.parse((text or "").strip(), region or None)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput(
            "That doesn't look like a phone number; include the country code, e.g. +44 7700 900123."
        ) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidInput("That number isn't valid; check the country code and digits.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


class WhatsAppService:
    """Link, verify, opt out and look up WhatsApp numbers."""

    def __init__(
        self,
        *,
        store: UserStore,
        engine: Engine,
        sender: MessageSender | None,
        lookup_key: bytes,
        verify_content_sid: str = "",
    ) -> None:
        self._store = store
        self._engine = engine
        self._sender = sender
        self._key = lookup_key
        self._verify_sid = verify_content_sid

    def lookup(self, phone_e164: str) -> str:
        """The keyed hash that finds a number's row."""
        return hmac.new(self._key, phone_e164.encode(), hashlib.sha256).hexdigest()

    def start(self, user_id: str, phone_text: str, *, region: str | None = None) -> None:
        """Save the number (unverified) and send it a one-time code through WhatsApp."""
        if self._sender is None:
            raise InvalidInput("WhatsApp isn't set up on this server yet.")
        phone = normalise_phone(phone_text, region)
        code = f"{secrets.randbelow(1_000_000):06d}"
        with self._store.unit(user_id) as unit:
            now = unit.now()
            if self._taken_by_other(phone, user_id):
                raise InvalidInput("That number is linked to another account.")
            link = unit.session.get(WhatsAppLink, user_id)
            if link is not None and link.code_expires_at is not None:
                sent_at = link.code_expires_at - CODE_TTL
                if now - sent_at < RESEND_AFTER and link.phone_lookup == self.lookup(phone):
                    raise InvalidInput("A code is on its way; please wait a minute to resend.")
            if link is None:
                link = WhatsAppLink(
                    user_id=user_id, phone_lookup=self.lookup(phone), created_at=now
                )
            link.phone_lookup = self.lookup(phone)
            unit.seal(link, "phone_ct", phone)
            link.code_hash = self._code_hash(user_id, code)
            link.code_expires_at = now + CODE_TTL
            link.code_attempts = 0
            link.verified_at = None
            unit.add(link)
        self._send_code(phone, code)

    def confirm(self, user_id: str, code: str) -> None:
        """Verify the number with the code; `InvalidInput` (kind) when wrong, late or spent."""
        with self._store.unit(user_id) as unit:
            link = unit.session.get(WhatsAppLink, user_id)
            now = unit.now()
            if link is None or link.code_hash is None or link.code_expires_at is None:
                raise InvalidInput("Ask for a code first.")
            if link.code_attempts >= MAX_CODE_ATTEMPTS:
                raise InvalidInput("Too many tries; please ask for a new code.")
            if now >= link.code_expires_at:
                raise InvalidInput("That code has expired; please ask for a new one.")
            link.code_attempts += 1
            given = self._code_hash(user_id, (code or "").strip())
            if not hmac.compare_digest(given, link.code_hash):
                left = MAX_CODE_ATTEMPTS - link.code_attempts
                unit.session.commit()  # the attempt counts even though we refuse
                raise InvalidInput(f"That code isn't right; {left} tries left.")
            link.verified_at = now
            link.code_hash = None
            link.code_expires_at = None

    def status(self, user_id: str) -> LinkView | None:
        """The person's link, or None."""
        with self._store.unit(user_id) as unit:
            link = unit.session.get(WhatsAppLink, user_id)
            if link is None:
                return None
            phone = unit.open(link, "phone_ct") or ""
            pending = link.code_expires_at is not None and unit.now() < link.code_expires_at
            return LinkView(
                _mask(phone), link.verified_at is not None, link.opted_out_at is not None, pending
            )

    def unlink(self, user_id: str) -> None:
        """Forget the number (WhatsApp reminders stop being sent)."""
        with self._store.unit(user_id) as unit:
            link = unit.session.get(WhatsAppLink, user_id)
            if link is not None:
                unit.session.delete(link)

    def recipient(self, user_id: str) -> Recipient | None:
        """Where a WhatsApp message to this person goes; None when not linked and verified."""
        with self._store.unit(user_id) as unit:
            return recipient_in(unit)

    def user_for(self, phone_e164: str) -> str | None:
        """Whose verified number this is (the webhook's lookup); None for an unknown number."""
        with session_scope(self._engine) as session:
            link = session.exec(
                select(WhatsAppLink).where(
                    col(WhatsAppLink.phone_lookup) == self.lookup(phone_e164)
                )
            ).first()
            return link.user_id if link is not None and link.verified_at is not None else None

    def set_opted_out(self, user_id: str, opted_out: bool) -> None:
        """STOP (True) or START (False): no WhatsApp message goes to an opted-out number."""
        with self._store.unit(user_id) as unit:
            link = unit.session.get(WhatsAppLink, user_id)
            if link is not None:
                link.opted_out_at = unit.now() if opted_out else None

    def record_inbound(self, user_id: str) -> None:
        """The person wrote: the 24-hour window for free text opens again."""
        with self._store.unit(user_id) as unit:
            link = unit.session.get(WhatsAppLink, user_id)
            if link is not None:
                link.last_inbound_at = unit.now()

    def _taken_by_other(self, phone: str, user_id: str) -> bool:
        with session_scope(self._engine) as session:
            other = session.exec(
                select(WhatsAppLink.user_id)
                .where(col(WhatsAppLink.phone_lookup) == self.lookup(phone))
                .where(col(WhatsAppLink.user_id) != user_id)
            ).first()
        return other is not None

    def _code_hash(self, user_id: str, code: str) -> str:
        return hmac.new(self._key, f"code:{user_id}:{code}".encode(), hashlib.sha256).hexdigest()

    def _send_code(self, phone: str, code: str) -> None:
        assert self._sender is not None
        body = f"Your companion verification code is {code}. It expires in 10 minutes."
        template = MessageTemplate(self._verify_sid, {"1": code}) if self._verify_sid else None
        try:
            self._sender.send(to=phone, body=body, template=template)
        except DeliveryError as exc:
            log.warning("verification code not sent", extra={"code": exc.code})
            raise InvalidInput(
                "We couldn't send the code just now; please check the number and try again."
            ) from exc


def recipient_in(unit: UserUnit) -> Recipient | None:
    """`WhatsAppService.recipient` inside an open unit (a worker reads a batch in one)."""
    link = unit.session.get(WhatsAppLink, unit.user_id)
    if link is None or link.verified_at is None:
        return None
    phone = unit.open(link, "phone_ct")
    if not phone:
        return None
    in_window = link.last_inbound_at is not None and unit.now() - link.last_inbound_at < WINDOW
    return Recipient(phone, link.opted_out_at is not None, in_window)


def _mask(phone: str) -> str:
    return phone[:3] + "•" * max(0, len(phone) - 6) + phone[-3:] if len(phone) > 6 else phone
