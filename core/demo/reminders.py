"""The demo account's reminders: schedules, past deliveries (one dead-lettered), notifications
and gentle-nudge choices, so the Reminders page and Home look lived-in."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.db.models import Notification, ReminderDelivery, ReminderSchedule, TriggerChoiceRow
from core.reminders.messages import dead_letter_text, reminder_text
from core.reminders.occurrences import Recurrence
from core.store import UserUnit

# (kind, channel, time, days, active, custom text, email)
SCHEDULES: tuple[tuple[str, str, str, str, bool, str | None, str | None], ...] = (
    ("mood", "in_app", "09:00", "0123456", True, None, None),
    ("breathing", "in_app", "13:30", "01234", True, None, None),
    ("sleep", "email", "22:15", "0123456", False, None, "alex@example.org"),
    ("custom", "in_app", "18:00", "06", True, "Text Sam back about Sunday's walk", None),
)
# (days ago, hour, status) of the mood reminder's past sends
DELIVERIES: tuple[tuple[int, int, str], ...] = (
    (3, 9, "sent"),
    (2, 9, "sent"),
    (1, 9, "sent"),
)
NUDGE = (
    "You've checked in every day lately. If you have a minute this evening, today's check-in "
    "keeps your streak going; and if not, that's fine too."
)


def seed_reminders(unit: UserUnit, now: datetime) -> None:
    """Schedules, past deliveries, notifications and nudge choices for the demo account."""
    first: ReminderSchedule | None = None
    email: ReminderSchedule | None = None
    for kind, channel, clock, days, active, text, address in SCHEDULES:
        rule = Recurrence.parse(time_of_day=clock, days_of_week=days, timezone="Europe/London")
        row = ReminderSchedule(
            user_id=unit.user_id,
            kind=kind,
            channel=channel,
            time_of_day=clock,
            days_of_week=days,
            timezone="Europe/London",
            active=active,
            next_run_at=rule.next_after(now) if active else None,
            created_at=now - timedelta(days=14),
            updated_at=now - timedelta(days=14),
        )
        unit.seal(row, "message_ct", text)
        unit.seal(row, "destination_ct", address)
        unit.add(row)
        first = first or row
        email = row if channel == "email" else email
    assert first is not None and email is not None
    for days_ago, hour, status in DELIVERIES:
        _delivery(unit, first, now.replace(hour=hour, minute=0) - timedelta(days=days_ago), status)
        _note(unit, "reminder", reminder_text("mood", None), now - timedelta(days=days_ago), True)
    dead = now.replace(hour=21, minute=15) - timedelta(days=4)
    _delivery(unit, email, dead, "dead", error="SMTPServerDisconnected", attempts=5)
    _note(unit, "undelivered", dead_letter_text("sleep", "email"), dead, True)
    nudged = now - timedelta(hours=2)
    nudge = _note(unit, "nudge", NUDGE, nudged, False)
    unit.add(  # nudges also go by email (the address of the email reminder)
        ReminderDelivery(
            user_id=unit.user_id,
            schedule_id=nudge.id,
            channel="email",
            occurrence_at=nudged,
            due_at=nudged,
            next_attempt_at=nudged,
            status="sent",
            attempts=1,
            sent_at=nudged,
            created_at=nudged,
            updated_at=nudged,
        )
    )
    _note(unit, "reminder", reminder_text("mood", None), now - timedelta(hours=1), False)
    unit.add(
        TriggerChoiceRow(
            user_id=unit.user_id,
            channel="email",
            no_checkin_days=3,
            streak=True,
            last_sent_on=nudged.date(),
            updated_at=now,
        )
    )


def _delivery(
    unit: UserUnit,
    schedule: ReminderSchedule,
    at: datetime,
    status: str,
    *,
    error: str | None = None,
    attempts: int = 1,
) -> None:
    unit.add(
        ReminderDelivery(
            user_id=unit.user_id,
            schedule_id=schedule.id,
            channel=schedule.channel,
            occurrence_at=at,
            due_at=at,
            next_attempt_at=at,
            status=status,
            attempts=attempts,
            error_code=error,
            sent_at=at if status == "sent" else None,
            created_at=at,
            updated_at=at,
        )
    )


def _note(unit: UserUnit, kind: str, body: str, at: datetime, read: bool) -> Notification:
    note = Notification(
        user_id=unit.user_id, kind=kind, created_at=at, read_at=at if read else None
    )
    unit.seal(note, "body_ct", body)
    return unit.add(note)
