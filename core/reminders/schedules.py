"""A person's reminder schedules: create, list, pause, resume, delete; and what became of them.

Every read and write goes through the per-user store; the custom text and the email address
are sealed. `next_run_at` is the first occurrence not yet handed to the worker: creating or
resuming a schedule sets it to the next occurrence after now, so a paused stretch is never
sent afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col

from core.db.models import ReminderDelivery, ReminderSchedule, WhatsAppLink
from core.errors import InvalidInput
from core.reminders.messages import CHANNELS, KIND_LABELS, KINDS
from core.reminders.occurrences import Recurrence
from core.store import UserStore, UserUnit
from core.textinput import replace_lone_surrogates

MAX_SCHEDULES = 20
MAX_CUSTOM_CHARS = 300
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s.]{2,}$")
_MISSING = "That reminder doesn't exist any more; it may have been deleted in another tab."


@dataclass(frozen=True, slots=True)
class ReminderSpec:
    """What a person asks for when creating a reminder (as typed; validated by the service)."""

    kind: str
    channel: str
    time_of_day: str
    days_of_week: str
    timezone: str
    quiet_start: str | None = None
    quiet_end: str | None = None
    message: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class ReminderView:
    """A schedule as the Reminders page shows it."""

    id: str
    kind: str
    label: str
    channel: str
    time_of_day: str
    days_of_week: str
    timezone: str
    quiet_start: str | None
    quiet_end: str | None
    active: bool
    message: str | None
    next_run_at: datetime | None


@dataclass(frozen=True, slots=True)
class DeliveryView:
    """One send of a reminder and how it went (dead-lettered ones included)."""

    id: str
    schedule_id: str
    channel: str
    occurrence_at: datetime
    status: str
    attempts: int
    error_code: str | None


class ReminderService:
    """Schedules of one person at a time, through the per-user store."""

    def __init__(self, *, store: UserStore) -> None:
        self._store = store

    def create(self, user_id: str, spec: ReminderSpec) -> ReminderView:
        """Validate `spec` and save it; `InvalidInput` with a kind message otherwise."""
        rule = _validate(spec)
        with self._store.unit(user_id) as unit:
            if len(unit.list(ReminderSchedule, limit=MAX_SCHEDULES)) >= MAX_SCHEDULES:
                raise InvalidInput(f"You can have up to {MAX_SCHEDULES} reminders.")
            if spec.channel == "whatsapp":
                _require_whatsapp(unit)
            now = unit.now()
            row = ReminderSchedule(
                user_id=user_id,
                kind=spec.kind,
                channel=spec.channel,
                time_of_day=spec.time_of_day.strip(),
                days_of_week="".join(sorted(spec.days_of_week)),
                timezone=spec.timezone,
                quiet_start=spec.quiet_start,
                quiet_end=spec.quiet_end,
                next_run_at=rule.next_after(now),
                created_at=now,
                updated_at=now,
            )
            if spec.kind == "custom":
                unit.seal(row, "message_ct", _custom_text(spec.message))
            if spec.channel == "email":
                unit.seal(row, "destination_ct", _email(spec.email))
            unit.add(row)
            return _view(unit, row)

    def schedules(self, user_id: str) -> list[ReminderView]:
        """This person's schedules, oldest first."""
        with self._store.unit(user_id) as unit:
            rows = unit.list(ReminderSchedule, newest_first=False)
            return [_view(unit, row) for row in rows]

    def pause(self, user_id: str, reminder_id: str) -> None:
        """Stop sending until resumed (occurrences meanwhile are not sent later)."""
        with self._store.unit(user_id) as unit:
            row = unit.get(ReminderSchedule, reminder_id, missing=_MISSING)
            row.active = False
            row.updated_at = unit.now()

    def resume(self, user_id: str, reminder_id: str) -> None:
        """Send again from the next occurrence after now."""
        with self._store.unit(user_id) as unit:
            row = unit.get(ReminderSchedule, reminder_id, missing=_MISSING)
            if row.channel == "whatsapp":
                _require_whatsapp(unit)
            row.active = True
            row.next_run_at = _rule(row).next_after(unit.now())
            row.updated_at = unit.now()

    def delete(self, user_id: str, reminder_id: str) -> None:
        """Delete a schedule; sends not yet made are skipped by the worker."""
        with self._store.unit(user_id) as unit:
            unit.delete(ReminderSchedule, reminder_id, missing=_MISSING)

    def deliveries(self, user_id: str, *, limit: int = 20) -> list[DeliveryView]:
        """The latest sends of this person's reminders, newest first."""
        with self._store.unit(user_id) as unit:
            rows = unit.list(ReminderDelivery, time_column="occurrence_at", limit=limit)
            return [_delivery_view(row) for row in rows]

    def undeliverable(self, user_id: str) -> list[DeliveryView]:
        """Sends that ended without reaching the person (dead-lettered or refused)."""
        with self._store.unit(user_id) as unit:
            rows = unit.list(
                ReminderDelivery,
                time_column="occurrence_at",
                limit=20,
                where=[col(ReminderDelivery.status).in_(("dead", "failed"))],
            )
            return [_delivery_view(row) for row in rows]


def _delivery_view(row: ReminderDelivery) -> DeliveryView:
    return DeliveryView(
        row.id,
        row.schedule_id,
        row.channel,
        row.occurrence_at,
        row.status,
        row.attempts,
        row.error_code,
    )


def _validate(spec: ReminderSpec) -> Recurrence:
    if spec.kind not in KINDS:
        raise InvalidInput("Choose what the reminder is for.")
    if spec.channel not in CHANNELS:
        raise InvalidInput("Choose how the reminder reaches you.")
    return Recurrence.parse(
        time_of_day=spec.time_of_day,
        days_of_week=spec.days_of_week,
        timezone=spec.timezone,
        quiet_start=spec.quiet_start,
        quiet_end=spec.quiet_end,
    )


def _rule(row: ReminderSchedule) -> Recurrence:
    return Recurrence.parse(
        time_of_day=row.time_of_day,
        days_of_week=row.days_of_week,
        timezone=row.timezone,
        quiet_start=row.quiet_start,
        quiet_end=row.quiet_end,
    )


def _custom_text(message: str | None) -> str:
    text = replace_lone_surrogates((message or "").strip())
    if not text:
        raise InvalidInput("Write the words you'd like the reminder to say.")
    if len(text) > MAX_CUSTOM_CHARS:
        raise InvalidInput(f"Reminder texts are at most {MAX_CUSTOM_CHARS} characters.")
    return text


def _email(address: str | None) -> str:
    text = (address or "").strip()
    if not _EMAIL.match(text):
        raise InvalidInput("That email address doesn't look complete, e.g. name@example.org.")
    return text


def _require_whatsapp(unit: UserUnit) -> None:
    link = unit.session.get(WhatsAppLink, unit.user_id)
    if link is None or link.verified_at is None:
        raise InvalidInput("Link and verify your WhatsApp number first.")


def _view(unit: UserUnit, row: ReminderSchedule) -> ReminderView:
    return ReminderView(
        id=row.id,
        kind=row.kind,
        label=KIND_LABELS.get(row.kind, row.kind),
        channel=row.channel,
        time_of_day=row.time_of_day,
        days_of_week=row.days_of_week,
        timezone=row.timezone,
        quiet_start=row.quiet_start,
        quiet_end=row.quiet_end,
        active=row.active,
        message=unit.open(row, "message_ct"),
        next_run_at=row.next_run_at,
    )
