"""Every table of the product, in one place.

Conventions (they matter on TiDB as much as on SQLite):
- Primary keys are random UUID hex strings made by the application: no AUTO_INCREMENT hotspot.
- Times are naive UTC with microseconds (`utcnow()`); MySQL gets DATETIME(6).
- Per-user tables carry `user_id` and an index on (user_id, time). Core scopes every query by it.
- Free text a user writes is stored only as ciphertext in `*_ct` columns (see core.crypto).
- No database-level foreign keys: core deletes a user's rows explicitly (see USER_OWNED_TABLES),
  which behaves the same on SQLite, MySQL and TiDB.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlmodel import Field, SQLModel

from core.timeutil import utcnow


def new_id() -> str:
    """A random, application-generated primary key."""
    return uuid.uuid4().hex


def _id_field() -> Any:
    return Field(default_factory=new_id, primary_key=True, max_length=32)


def _user_id_field() -> Any:
    return Field(max_length=32, index=False)


def _time_column(*, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql"), nullable=nullable)


def _time_field(*, nullable: bool = False) -> Any:
    if nullable:
        return Field(default=None, sa_column=_time_column(nullable=True))
    return Field(default_factory=utcnow, sa_column=_time_column())


def _ciphertext_column(*, nullable: bool = True) -> sa.Column:  # type: ignore[type-arg]
    # BLOB is 64 KiB on MySQL; a long journal entry needs MEDIUMBLOB (16 MiB).
    return sa.Column(sa.LargeBinary().with_variant(mysql.MEDIUMBLOB(), "mysql"), nullable=nullable)


def _ciphertext_field(*, nullable: bool = True) -> Any:
    return Field(default=None, sa_column=_ciphertext_column(nullable=nullable))


# --- Accounts -------------------------------------------------------------------------------


class User(SQLModel, table=True):
    """An account. Credentials live here, never in a YAML file."""

    __tablename__ = "users"

    id: str = _id_field()
    username: str = Field(max_length=64)  # as typed at registration, for display
    username_canonical: str = Field(max_length=64, unique=True)  # case-folded, for lookups
    password_hash: str = Field(max_length=128)
    created_at: datetime = _time_field()
    password_changed_at: datetime = _time_field()
    # Every login cookie issued before this instant is refused (password change, log out
    # everywhere). Checked against the database on each run.
    sessions_valid_after: datetime = _time_field()
    # Unused since migration 0002: failed logins are counted in LoginThrottle, for every name
    # typed, known or not. Kept so replicas of the previous release still run during a rolling
    # upgrade; drop them in a later migration.
    failed_login_count: int = Field(default=0)
    locked_until: datetime | None = _time_field(nullable=True)
    last_login_at: datetime | None = _time_field(nullable=True)


class LoginThrottle(SQLModel, table=True):
    """Login attempts per username typed, known or not, keyed by a hash of the name.

    Each attempt is counted here before its password is checked, by one conditional UPDATE, so
    parallel attempts on any number of replicas get at most the threshold of password checks per
    lock. Not a per-user table: an unknown name has a row too, so it answers like a known one.
    """

    __tablename__ = "login_throttle"
    __table_args__ = (sa.Index("ix_login_throttle_window", "window_started_at"),)

    name_hash: str = Field(primary_key=True, max_length=64)  # sha256 hex of the name's key
    attempts: int = Field(default=0)  # counted in this window, the ones still being checked too
    window_started_at: datetime = _time_field()
    locked_until: datetime | None = _time_field(nullable=True)


class UserKey(SQLModel, table=True):
    """A user's random data key, wrapped (encrypted) by the master key."""

    __tablename__ = "user_keys"

    user_id: str = Field(primary_key=True, max_length=32)
    wrapped_key: bytes = Field(sa_column=sa.Column(sa.LargeBinary(), nullable=False))
    master_key_id: str = Field(max_length=16)
    created_at: datetime = _time_field()
    rotated_at: datetime | None = _time_field(nullable=True)


class UserPreferences(SQLModel, table=True):
    """Profile and preferences; one row per user."""

    __tablename__ = "user_preferences"

    user_id: str = Field(primary_key=True, max_length=32)
    display_name: str = Field(default="", max_length=80)
    region: str = Field(default="US", max_length=8)
    timezone: str = Field(default="UTC", max_length=64)
    locale: str = Field(default="en", max_length=16)
    updated_at: datetime = _time_field()


class LoginSession(SQLModel, table=True):
    """One login (one cookie). Checked on every run: revoked, idle or pre-dating a password
    change means logged out, whichever browser or replica presents the cookie."""

    __tablename__ = "login_sessions"
    __table_args__ = (
        sa.Index("ix_login_sessions_user_seen", "user_id", "last_seen_at"),
        sa.Index("ix_login_sessions_login", "user_id", "login_id"),
    )

    id: str = Field(primary_key=True, max_length=64)  # fingerprint of (user, cookie expiry)
    user_id: str = _user_id_field()
    # One browser login may be sent several cookies; they share this id and end together.
    login_id: str | None = Field(default=None, max_length=32)
    issued_at: datetime = _time_field()
    last_seen_at: datetime = _time_field()
    expires_at: datetime = _time_field()
    revoked_at: datetime | None = _time_field(nullable=True)
    revoke_reason: str | None = Field(default=None, max_length=24)


class AuditEvent(SQLModel, table=True):
    """Security events. Never holds message text, passwords or usernames typed at login."""

    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_user_time", "user_id", "created_at"),)

    id: str = _id_field()
    user_id: str | None = Field(default=None, max_length=32)
    event: str = Field(max_length=40)
    detail: str = Field(default="", max_length=200)
    request_id: str = Field(default="", max_length=32)
    created_at: datetime = _time_field()


# --- Conversations --------------------------------------------------------------------------


class Conversation(SQLModel, table=True):
    """A chat thread; its title and running summary are encrypted."""

    __tablename__ = "conversations"
    __table_args__ = (sa.Index("ix_conversations_user_time", "user_id", "updated_at"),)

    id: str = _id_field()
    user_id: str = _user_id_field()
    title_ct: bytes | None = _ciphertext_field()
    summary_ct: bytes | None = _ciphertext_field()
    summary_upto: int = Field(default=0)  # messages folded into the summary
    last_disclosure_at: datetime | None = _time_field(nullable=True)
    created_at: datetime = _time_field()
    updated_at: datetime = _time_field()


class Message(SQLModel, table=True):
    """One turn of a conversation."""

    __tablename__ = "messages"
    __table_args__ = (
        sa.Index("ix_messages_user_time", "user_id", "created_at"),
        sa.Index("ix_messages_conversation_time", "conversation_id", "created_at"),
        # One message gets at most one stored answer, whatever tabs and reloads do.
        sa.Index("uq_messages_reply_to", "reply_to", unique=True),
    )

    id: str = _id_field()
    user_id: str = _user_id_field()
    conversation_id: str = Field(max_length=32)
    role: str = Field(max_length=16)  # user | assistant | notice
    content_ct: bytes | None = _ciphertext_field()
    # Safety level, guides used, kept out of model context, crisis region (core.chat.records).
    meta_ct: bytes | None = _ciphertext_field()
    reply_to: str | None = Field(default=None, max_length=32)  # the message this answers
    offline: bool = Field(default=False)
    created_at: datetime = _time_field()


class TipFeedback(SQLModel, table=True):
    """Thumbs up/down on an answer or on a knowledge entry."""

    __tablename__ = "tip_feedback"
    __table_args__ = (sa.Index("ix_tip_feedback_user_time", "user_id", "created_at"),)

    id: str = _id_field()
    user_id: str = _user_id_field()
    message_id: str | None = Field(default=None, max_length=32)
    knowledge_id_ct: bytes | None = _ciphertext_field()  # encrypted: it can name crisis guides
    helpful: bool
    created_at: datetime = _time_field()


class SafetyEvent(SQLModel, table=True):
    """That an assessment happened: level, source and time only, never the text."""

    __tablename__ = "safety_events"
    __table_args__ = (sa.Index("ix_safety_events_user_time", "user_id", "created_at"),)

    id: str = _id_field()
    user_id: str = _user_id_field()
    level_ct: bytes | None = _ciphertext_field()  # encrypted: "crisis" says who had one
    source: str = Field(max_length=16)  # chat | journal | whatsapp
    created_at: datetime = _time_field()


# --- Self-tracking --------------------------------------------------------------------------


class MoodEntry(SQLModel, table=True):
    """A mood rating with optional emotions, tags and an encrypted note."""

    __tablename__ = "mood_entries"
    __table_args__ = (sa.Index("ix_mood_entries_user_time", "user_id", "logged_at"),)

    id: str = _id_field()
    user_id: str = _user_id_field()
    score: int = Field(ge=1, le=10)
    emotions: str = Field(default="", max_length=400)  # comma-separated labels (a fixed list)
    # Comma-separated MoodTag ids; the names a person gave them are encrypted on MoodTag.
    tags: str = Field(default="", max_length=700)
    note_ct: bytes | None = _ciphertext_field()
    logged_at: datetime = _time_field()


class MoodTag(SQLModel, table=True):
    """A person's own reusable tag for mood entries: an activity or a person; name encrypted."""

    __tablename__ = "mood_tags"
    __table_args__ = (sa.Index("ix_mood_tags_user_time", "user_id", "created_at"),)

    id: str = _id_field()
    user_id: str = _user_id_field()
    kind: str = Field(max_length=16)  # activity | people
    name_ct: bytes | None = _ciphertext_field()
    created_at: datetime = _time_field()


class JournalEntry(SQLModel, table=True):
    """A private journal entry; title and body are encrypted."""

    __tablename__ = "journal_entries"
    __table_args__ = (sa.Index("ix_journal_entries_user_time", "user_id", "created_at"),)

    id: str = _id_field()
    user_id: str = _user_id_field()
    title_ct: bytes | None = _ciphertext_field()
    body_ct: bytes | None = _ciphertext_field()
    # VADER compound score of title and body, -1 (negative) to 1 (positive); encrypted, as it
    # tells how the entry reads (core.sentiment).
    sentiment_ct: bytes | None = _ciphertext_field()
    # The entry's meaning as a vector of the embedding model (its name, then the float32 values),
    # computed when the entry is saved so a search reads vectors instead of embedding every entry;
    # encrypted, as it says what the text is about (core.journal_vectors). Not exported.
    embedding_ct: bytes | None = _ciphertext_field()
    created_at: datetime = _time_field()
    updated_at: datetime = _time_field()


class SleepLog(SQLModel, table=True):
    """One night of the sleep diary (Consensus Sleep Diary fields), typed or imported.

    Moments are naive UTC; `timezone` is the zone the night was lived in, so clock times show as
    they were and durations stay right across midnight and DST. One row per (user, night).
    """

    __tablename__ = "sleep_logs"
    __table_args__ = (sa.Index("uq_sleep_logs_user_night", "user_id", "night_of", unique=True),)

    id: str = _id_field()
    user_id: str = _user_id_field()
    night_of: date  # the local date the night began
    timezone: str = Field(default="UTC", max_length=64)
    source: str = Field(default="diary", max_length=16)  # diary | apple_health | fitbit
    bed_time: datetime | None = _time_field(nullable=True)  # got into bed
    lights_out: datetime | None = _time_field(nullable=True)  # tried to sleep
    sleep_latency_minutes: int | None = None  # minutes to fall asleep
    awakenings: int | None = None
    wake_minutes: int | None = None  # total minutes awake during the night (WASO)
    wake_time: datetime | None = _time_field(nullable=True)  # final awakening
    out_of_bed: datetime | None = _time_field(nullable=True)
    quality: int | None = Field(default=None, ge=1, le=5)
    naps: int = Field(default=0, ge=0)
    nap_minutes: int = Field(default=0, ge=0)
    caffeine_drinks: int = Field(default=0, ge=0)
    caffeine_last: datetime | None = _time_field(nullable=True)
    alcohol_drinks: int = Field(default=0, ge=0)
    alcohol_last: datetime | None = _time_field(nullable=True)
    note_ct: bytes | None = _ciphertext_field()
    created_at: datetime = _time_field()
    updated_at: datetime = _time_field()


class BreathingSession(SQLModel, table=True):
    """A completed breathing exercise, with stress rated 1-10 before and after."""

    __tablename__ = "breathing_sessions"
    __table_args__ = (sa.Index("ix_breathing_sessions_user_time", "user_id", "started_at"),)

    id: str = _id_field()
    user_id: str = _user_id_field()
    pattern_id: str = Field(max_length=40)
    phases: str = Field(default="", max_length=64)  # seconds: "in-hold-out-hold", e.g. "4-7-8-0"
    started_at: datetime = _time_field()
    duration_seconds: int = Field(default=0, ge=0)
    completed: bool = Field(default=False)
    stress_before: int | None = Field(default=None, ge=1, le=10)
    stress_after: int | None = Field(default=None, ge=1, le=10)
    breaths_per_minute: float | None = None  # measured by the microphone, when it was used


class EmotionCheckin(SQLModel, table=True):
    """A webcam (or self-reported) emotion check-in. Never stores images."""

    __tablename__ = "emotion_checkins"
    __table_args__ = (sa.Index("ix_emotion_checkins_user_time", "user_id", "captured_at"),)

    id: str = _id_field()
    user_id: str = _user_id_field()
    captured_at: datetime = _time_field()
    source: str = Field(default="webcam", max_length=16)
    dominant_emotion: str = Field(max_length=16)
    scores: str = Field(default="", max_length=400)  # JSON: emotion -> probability
    frames_analyzed: int = Field(default=0)
    note_ct: bytes | None = _ciphertext_field()
    duration_seconds: int = Field(default=0, ge=0)
    self_rating: int | None = Field(default=None, ge=1, le=10)  # the person's own 1-10
    corrected_emotion: str | None = Field(default=None, max_length=16)  # what they say they feel
    tone_ct: bytes | None = _ciphertext_field()  # voice tone summary (JSON), only if chosen


class ScreeningResult(SQLModel, table=True):
    """A PHQ-9 or GAD-7 questionnaire result; the item answers are encrypted."""

    __tablename__ = "screening_results"
    __table_args__ = (sa.Index("ix_screening_results_user_time", "user_id", "taken_at"),)

    id: str = _id_field()
    user_id: str = _user_id_field()
    instrument: str = Field(max_length=16)  # PHQ-9 | GAD-7
    answers_ct: bytes | None = _ciphertext_field()
    total_score: int = Field(ge=0)
    severity: str = Field(max_length=24)
    taken_at: datetime = _time_field()


# --- Reminders and notifications ------------------------------------------------------------


class ReminderSchedule(SQLModel, table=True):
    """A recurring reminder the worker sends (WhatsApp, email or in-app)."""

    __tablename__ = "reminder_schedules"
    __table_args__ = (
        sa.Index("ix_reminder_schedules_user_time", "user_id", "created_at"),
        sa.Index("ix_reminder_schedules_active_next", "active", "next_run_at"),
    )

    id: str = _id_field()
    user_id: str = _user_id_field()
    kind: str = Field(max_length=24)  # mood | breathing | sleep | journal | custom
    channel: str = Field(max_length=16)  # whatsapp | email | in_app
    message_ct: bytes | None = _ciphertext_field()
    destination_ct: bytes | None = _ciphertext_field()  # phone number or email, encrypted
    time_of_day: str = Field(max_length=5)  # HH:MM in the schedule's time zone
    days_of_week: str = Field(default="0123456", max_length=7)  # Monday = 0
    timezone: str = Field(default="UTC", max_length=64)
    # Local HH:MM; an occurrence inside [start, end) waits for the end (may wrap midnight).
    quiet_start: str | None = Field(default=None, max_length=5)
    quiet_end: str | None = Field(default=None, max_length=5)
    active: bool = Field(default=True)  # False while paused
    # The next occurrence not yet materialised as a delivery row (UTC); the worker advances it.
    next_run_at: datetime | None = _time_field(nullable=True)
    created_at: datetime = _time_field()
    updated_at: datetime = _time_field()


class ReminderDelivery(SQLModel, table=True):
    """One planned send of a schedule; unique per (schedule, occurrence) so none goes twice.

    status: pending -> claimed -> in_flight -> sent (-> delivered | read | failed by the status
    callback); in_flight -> unknown (ambiguous answer or a crash mid-send) -> reconciled against
    the provider before any resend; pending again with `next_attempt_at` after a retryable
    failure; failed (permanent), dead (too many tries), missed (past the grace period),
    skipped (schedule paused or deleted, or the person opted out).
    """

    __tablename__ = "reminder_deliveries"
    __table_args__ = (
        sa.UniqueConstraint("schedule_id", "occurrence_at", name="uq_delivery_occurrence"),
        sa.Index("ix_reminder_deliveries_user_time", "user_id", "occurrence_at"),
        sa.Index("ix_reminder_deliveries_status_lease", "status", "lease_expires_at"),
        sa.Index("ix_reminder_deliveries_status_next", "status", "next_attempt_at"),
        sa.Index("ix_reminder_deliveries_provider_id", "provider_message_id"),
    )

    id: str = _id_field()
    user_id: str = _user_id_field()
    schedule_id: str = Field(max_length=32)
    channel: str = Field(default="in_app", max_length=16)
    occurrence_at: datetime = _time_field()
    due_at: datetime = _time_field()  # the occurrence, or the end of quiet hours
    status: str = Field(default="pending", max_length=16)
    claimed_by: str | None = Field(default=None, max_length=64)  # the claim's fencing token
    lease_expires_at: datetime | None = _time_field(nullable=True)
    next_attempt_at: datetime = _time_field()
    in_flight_at: datetime | None = _time_field(nullable=True)  # when the last send began
    attempts: int = Field(default=0)
    provider_message_id: str | None = Field(default=None, max_length=64)
    provider_status: str | None = Field(default=None, max_length=16)
    error_code: str | None = Field(default=None, max_length=64)
    sent_at: datetime | None = _time_field(nullable=True)
    created_at: datetime = _time_field()
    updated_at: datetime = _time_field()


class Notification(SQLModel, table=True):
    """An in-app notification."""

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_time", "user_id", "created_at"),)

    id: str = _id_field()
    user_id: str = _user_id_field()
    kind: str = Field(max_length=24)
    body_ct: bytes | None = _ciphertext_field()
    created_at: datetime = _time_field()
    read_at: datetime | None = _time_field(nullable=True)


class WhatsAppLink(SQLModel, table=True):
    """A person's WhatsApp number: verified by a one-time code, with opt-out and the 24 h window.

    `phone_lookup` is a keyed hash of the E.164 number so the webhook finds the person without
    decrypting every row; the number itself is sealed in `phone_ct`.
    """

    __tablename__ = "whatsapp_links"

    user_id: str = Field(primary_key=True, max_length=32)
    phone_lookup: str = Field(max_length=64, unique=True)
    phone_ct: bytes | None = _ciphertext_field()
    code_hash: str | None = Field(default=None, max_length=64)
    code_expires_at: datetime | None = _time_field(nullable=True)
    code_attempts: int = Field(default=0)
    verified_at: datetime | None = _time_field(nullable=True)
    opted_out_at: datetime | None = _time_field(nullable=True)
    last_inbound_at: datetime | None = _time_field(nullable=True)  # opens the 24 h window
    created_at: datetime = _time_field()


class InboundMessage(SQLModel, table=True):
    """A WhatsApp message the webhook has acted on, by Twilio's MessageSid (idempotency)."""

    __tablename__ = "inbound_messages"
    __table_args__ = (sa.Index("ix_inbound_messages_user_time", "user_id", "received_at"),)

    message_sid: str = Field(primary_key=True, max_length=64)
    user_id: str | None = Field(default=None, max_length=32)
    received_at: datetime = _time_field()


class TriggerChoiceRow(SQLModel, table=True):
    """Which gentle trigger-based nudges a person wants, and when the last one went."""

    __tablename__ = "trigger_settings"

    user_id: str = Field(primary_key=True, max_length=32)
    channel: str = Field(default="in_app", max_length=16)
    no_checkin_days: int | None = Field(default=None, ge=1, le=60)
    mood_drop: float | None = Field(default=None, gt=0, le=9)
    streak: bool = Field(default=False)
    last_sent_on: date | None = None  # at most one trigger message a day
    updated_at: datetime = _time_field()


# Every table holding a user's rows, and the column naming the owner. Account deletion and the
# data export walk this list, so a new per-user table must be added here.
USER_OWNED_TABLES: tuple[tuple[type[SQLModel], str], ...] = (
    (UserPreferences, "user_id"),
    (LoginSession, "user_id"),
    (Conversation, "user_id"),
    (Message, "user_id"),
    (TipFeedback, "user_id"),
    (SafetyEvent, "user_id"),
    (MoodEntry, "user_id"),
    (MoodTag, "user_id"),
    (JournalEntry, "user_id"),
    (SleepLog, "user_id"),
    (BreathingSession, "user_id"),
    (EmotionCheckin, "user_id"),
    (ScreeningResult, "user_id"),
    (ReminderSchedule, "user_id"),
    (ReminderDelivery, "user_id"),
    (Notification, "user_id"),
    (WhatsAppLink, "user_id"),
    (InboundMessage, "user_id"),
    (TriggerChoiceRow, "user_id"),
    (UserKey, "user_id"),
    (User, "id"),
)
