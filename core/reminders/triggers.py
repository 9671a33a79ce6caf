"""Gentle trigger-based nudges a person can turn on, at most one a day, never alarming.

- no check-in for N days (they have checked in before);
- the 3-day mood average dropped by at least X against the 3 days before;
- a streak about to break: a check-in on each of the last 3+ days, none yet today, evening.
The nudge is an in-app notification; when the person chose WhatsApp or email for nudges and
has it set up (a verified number they have not opted out of; the address of their email
reminders), the same text also goes out through the reminder outbox: a delivery row whose
`schedule_id` is the notification's id, sent by the worker like any reminder (in flight before
the send, reconciled, paced at the configured rate). One a day per person is enforced by a
conditional UPDATE of `last_sent_on`, so any number of workers send at most one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from statistics import mean
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from core.db.engine import session_scope
from core.db.models import (
    MoodEntry,
    Notification,
    ReminderDelivery,
    ReminderSchedule,
    TriggerChoiceRow,
    UserPreferences,
)
from core.errors import InvalidInput
from core.reminders.dbretry import db_retry
from core.reminders.messages import CHANNELS
from core.reminders.whatsapp import recipient_in
from core.store import UserStore, UserUnit

log = logging.getLogger(__name__)

STREAK_MIN_DAYS = 3
STREAK_EVENING_HOUR = 18
_WINDOW_DAYS = 6

NO_CHECKIN_TEXT = (
    "It's been a few days since your last check-in. No pressure at all; whenever you feel "
    "like it, a quick note on how you're doing is here for you."
)
MOOD_DROP_TEXT = (
    "Your last few days seem to have been a bit harder. Be gentle with yourself; a short "
    "breathing break or a chat might help, and reaching out to someone you trust is always okay."
)
STREAK_TEXT = (
    "You've checked in every day lately. If you have a minute this evening, today's check-in "
    "keeps your streak going; and if not, that's fine too."
)


@dataclass(frozen=True, slots=True)
class TriggerChoice:
    """Which nudges a person wants (None / False = off)."""

    no_checkin_days: int | None = None
    mood_drop: float | None = None
    streak: bool = False
    channel: str = "in_app"  # also sent by "whatsapp" or "email" when that is set up


class TriggerService:
    """Read and change a person's choices; evaluate everyone's triggers (the worker)."""

    def __init__(self, *, store: UserStore, engine: Engine) -> None:
        self._store = store
        self._engine = engine

    def get(self, user_id: str) -> TriggerChoice:
        """The person's choices (all off by default)."""
        with self._store.unit(user_id) as unit:
            row = unit.session.get(TriggerChoiceRow, user_id)
            if row is None:
                return TriggerChoice()
            return TriggerChoice(row.no_checkin_days, row.mood_drop, row.streak, row.channel)

    def set(self, user_id: str, choice: TriggerChoice) -> None:
        """Save the choices; `InvalidInput` for numbers out of range."""
        days, drop = choice.no_checkin_days, choice.mood_drop
        if days is not None and not 1 <= days <= 60:
            raise InvalidInput("Choose between 1 and 60 days.")
        if drop is not None and not 0.5 <= drop <= 9:
            raise InvalidInput("Choose a drop between 0.5 and 9 points.")
        if choice.channel not in CHANNELS:
            raise InvalidInput("Choose where nudges should reach you.")
        with self._store.unit(user_id) as unit:
            row = unit.session.get(TriggerChoiceRow, user_id) or TriggerChoiceRow(user_id=user_id)
            row.no_checkin_days, row.mood_drop, row.streak = days, drop, choice.streak
            row.channel = choice.channel
            row.updated_at = unit.now()
            unit.add(row)

    def run(self, *, limit: int = 500) -> int:
        """Evaluate every opted-in person; the number of nudges written."""
        with session_scope(self._engine) as session:
            users = session.exec(
                select(TriggerChoiceRow.user_id)
                .where(
                    sa.or_(
                        col(TriggerChoiceRow.no_checkin_days).is_not(None),
                        col(TriggerChoiceRow.mood_drop).is_not(None),
                        col(TriggerChoiceRow.streak).is_(True),
                    )
                )
                .limit(limit)
            ).all()
        return sum(self._evaluate(user_id) for user_id in users)

    @db_retry
    def _evaluate(self, user_id: str) -> int:
        with self._store.unit(user_id) as unit:
            now = unit.now()
            settings = unit.session.get(TriggerChoiceRow, user_id)
            preferences = unit.session.get(UserPreferences, user_id)
            if settings is None:
                return 0
            zone = ZoneInfo(preferences.timezone if preferences else "UTC")
            local_now = now.replace(tzinfo=UTC).astimezone(zone)
            today = local_now.date()
            if settings.last_sent_on is not None and settings.last_sent_on >= today:
                return 0
            moods = unit.list(
                MoodEntry, time_column="logged_at", since=now - timedelta(days=60), limit=500
            )
            text = choose_nudge(settings, moods, local_now, zone)
            if text is None:
                return 0
            claimed = unit.session.connection().execute(
                sa.update(TriggerChoiceRow)
                .where(col(TriggerChoiceRow.user_id) == user_id)
                .where(
                    sa.or_(
                        col(TriggerChoiceRow.last_sent_on).is_(None),
                        col(TriggerChoiceRow.last_sent_on) < today,
                    )
                )
                .values(last_sent_on=today)
            )
            if claimed.rowcount != 1:
                return 0  # another worker sent today's already
            note = Notification(user_id=user_id, kind="nudge", created_at=now)
            unit.seal(note, "body_ct", text)
            unit.add(note)
            if settings.channel != "in_app" and channel_ready(unit, settings.channel):
                unit.add(
                    ReminderDelivery(
                        user_id=user_id,
                        schedule_id=note.id,  # a nudge's delivery names its notification
                        channel=settings.channel,
                        occurrence_at=now,
                        due_at=now,
                        next_attempt_at=now,
                        status="pending",
                        created_at=now,
                        updated_at=now,
                    )
                )
            return 1


def channel_ready(unit: UserUnit, channel: str) -> bool:
    """Whether the person has `channel` set up: a verified WhatsApp number not opted out of, or
    an address among their email reminders."""
    if channel == "whatsapp":
        recipient = recipient_in(unit)
        return recipient is not None and not recipient.opted_out
    if channel == "email":
        return nudge_email(unit) is not None
    return False


def nudge_email(unit: UserUnit) -> str | None:
    """Where an email nudge goes: the address of the person's newest email reminder."""
    schedules = unit.list(
        ReminderSchedule, where=[col(ReminderSchedule.channel) == "email"], limit=5
    )
    for schedule in schedules:
        address = unit.open(schedule, "destination_ct")
        if address:
            return address
    return None


def choose_nudge(
    settings: TriggerChoiceRow, moods: list[MoodEntry], local_now: datetime, zone: ZoneInfo
) -> str | None:
    """The one nudge due now (the gentlest first), or None."""
    days = _days_with_scores(moods, zone)
    today = local_now.date()
    if settings.no_checkin_days and moods:
        last = max(days) if days else None
        if last is not None and (today - last).days >= settings.no_checkin_days:
            return NO_CHECKIN_TEXT
    if settings.streak and today not in days and local_now.hour >= STREAK_EVENING_HOUR:
        run = 0
        while today - timedelta(days=run + 1) in days:
            run += 1
        if run >= STREAK_MIN_DAYS:
            return STREAK_TEXT
    if settings.mood_drop:
        recent = [s for d, ss in days.items() if 0 <= (today - d).days < 3 for s in ss]
        before = [s for d, ss in days.items() if 3 <= (today - d).days < _WINDOW_DAYS for s in ss]
        if recent and before and mean(before) - mean(recent) >= settings.mood_drop:
            return MOOD_DROP_TEXT
    return None


def _days_with_scores(moods: list[MoodEntry], zone: ZoneInfo) -> dict[date, list[int]]:
    days: dict[date, list[int]] = {}
    for mood in moods:
        day = mood.logged_at.replace(tzinfo=UTC).astimezone(zone).date()
        days.setdefault(day, []).append(mood.score)
    return days
