"""README.txt of the export: every file and every column, in words.

A table's description is its model's docstring; a column's is the comment beside (or just
above) its field in `core/db/models.py`, else `COLUMN_DOCS` ("table.column", then "column" for
the names every table shares). `undocumented()` lists columns with neither, and a test keeps it
empty, so a new feature's table documents its columns to ship.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

from sqlmodel import SQLModel

_FIELD = re.compile(r"^    (\w+): [^#]*?(?:#\s*(.*))?$")
_COMMENT = re.compile(r"^    #\s?(.*)$")

COLUMN_DOCS: Final[dict[str, str]] = {
    # Shared by many tables.
    "id": "This row's identifier (random, made by the app).",
    "user_id": "Your account's identifier.",
    "created_at": "When this was created.",
    "updated_at": "When this was last changed.",
    # One table each.
    "users.id": "Your account's identifier.",
    "users.created_at": "When you registered.",
    "users.password_changed_at": "When your password was last set.",
    "users.failed_login_count": "Failed logins counted by an older version of the app.",
    "users.locked_until": "Until when logins were locked after failed attempts (if ever).",
    "users.last_login_at": "Your last successful login.",
    "user_preferences.display_name": "The name the app calls you.",
    "user_preferences.region": "Region whose crisis resources you see.",
    "user_preferences.timezone": "Your time zone; every time in this export is in it.",
    "user_preferences.locale": "Language code.",
    "login_sessions.issued_at": "When this login began.",
    "login_sessions.last_seen_at": "When this login was last used.",
    "login_sessions.expires_at": "When this login would expire.",
    "login_sessions.revoked_at": "When this login was ended (log out, password change…).",
    "login_sessions.revoke_reason": "Why it was ended.",
    "conversations.title": "The conversation's title.",
    "conversations.summary": "A running summary the app keeps of a long conversation.",
    "conversations.last_disclosure_at": "When the app last said it is an AI, in this thread.",
    "messages.conversation_id": "The conversation this message belongs to.",
    "messages.content": "What was written.",
    "messages.offline": "true when the answer came from the guides because the model was down.",
    "tip_feedback.message_id": "The answer you rated, if it was an answer.",
    "tip_feedback.helpful": "true for thumbs up, false for thumbs down.",
    "tip_feedback.knowledge_id": "The guide you rated, if it was a guide.",
    "safety_events.level": "What the safety screen found: none, concern or crisis.",
    "safety_events.source": (
        "What was screened: chat, journal, mood (a mood note), mood_import (an imported note), "
        "sleep (a sleep diary note), screening (PHQ-9 item 9), whatsapp."
    ),
    "mood_entries.score": "Your mood, 1 (lowest) to 10 (best).",
    "mood_entries.note": "Your note.",
    "mood_entries.logged_at": "The moment the mood is for.",
    "mood_tags.name": "The tag's name.",
    "journal_entries.title": "The entry's title.",
    "journal_entries.body": "The entry's text.",
    "journal_entries.kind": "free (free writing), gratitude or thought_record.",
    "journal_entries.sentiment": "How positive the words read, -1 to +1 (VADER; see below).",
    "sleep_logs.night_of": "The date of the evening the night began.",
    "sleep_logs.bed_time": "When you went to bed.",
    "sleep_logs.wake_time": "When you woke.",
    "sleep_logs.sleep_latency_minutes": "Minutes it took to fall asleep.",
    "sleep_logs.awakenings": "How many times you woke in the night.",
    "sleep_logs.quality": "Sleep quality, 1 to 5.",
    "sleep_logs.note": "Your note.",
    "breathing_sessions.pattern_id": "Which breathing exercise.",
    "breathing_sessions.started_at": "When you began.",
    "breathing_sessions.duration_seconds": "How long it lasted, in seconds.",
    "breathing_sessions.completed": "true if you finished it.",
    "emotion_checkins.captured_at": "When the check-in happened.",
    "emotion_checkins.source": "webcam or self-reported.",
    "emotion_checkins.dominant_emotion": "The emotion that stood out.",
    "emotion_checkins.frames_analyzed": "How many camera frames were read (none are kept).",
    "emotion_checkins.note": "Your note.",
    "screening_results.instrument": "PHQ-9 (low mood) or GAD-7 (anxiety).",
    "screening_results.answers": "Your answer to each question in order, 0 (not at all) to "
    "3 (nearly every day).",
    "screening_results.total_score": "The sum of the answers.",
    "screening_results.severity": "The instrument's published band for the total.",
    "screening_results.taken_at": "When you answered.",
    "reminder_schedules.message": "The reminder's text.",
    "reminder_schedules.destination": "Where it is sent (phone number or email).",
    "reminder_schedules.timezone": "The time zone of time_of_day.",
    "reminder_schedules.active": "true while the reminder is on.",
    "reminder_schedules.next_run_at": "When it is next due.",
    "reminder_deliveries.schedule_id": (
        "The reminder this send belongs to; for a gentle nudge sent by WhatsApp or email, the "
        "id of the nudge's in-app notification."
    ),
    "reminder_deliveries.occurrence_at": "When this send was due.",
    "reminder_deliveries.claimed_by": "Which worker process took it.",
    "reminder_deliveries.lease_expires_at": "Until when that worker held it.",
    "reminder_deliveries.attempts": "How many times sending was tried.",
    "reminder_deliveries.provider_message_id": "The messaging provider's id for the message.",
    "reminder_deliveries.error_code": "Why sending failed, if it did.",
    "reminder_deliveries.sent_at": "When it was sent.",
    "notifications.kind": "What the notification is about.",
    "notifications.body": "Its text.",
    "notifications.read_at": "When you read it.",
    "sleep_logs.timezone": "The time zone the night was lived in.",
    "sleep_logs.out_of_bed": "When you got out of bed.",
    "sleep_logs.naps": "How many naps you took that day.",
    "sleep_logs.nap_minutes": "Total minutes of napping that day.",
    "sleep_logs.caffeine_drinks": "Caffeinated drinks that day.",
    "sleep_logs.caffeine_last": "When you had the last caffeinated drink.",
    "sleep_logs.alcohol_drinks": "Alcoholic drinks that evening.",
    "sleep_logs.alcohol_last": "When you had the last alcoholic drink.",
    "breathing_sessions.stress_before": "Your stress before the session (1-10).",
    "breathing_sessions.stress_after": "Your stress after the session (1-10).",
    "breathing_sessions.breaths_per_minute": "Your breathing pace during the session in "
    "breaths a minute, as the microphone measured it (empty when it wasn't used; no sound was "
    "kept).",
    "emotion_checkins.duration_seconds": "How long the camera session lasted, in seconds.",
    "reminder_schedules.quiet_end": "When your quiet hours end (HH:MM).",
    "reminder_deliveries.channel": "How this reminder was sent: WhatsApp, email or in-app.",
    "reminder_deliveries.status": "Where this send stands (sent, missed, failed, ...).",
    "reminder_deliveries.next_attempt_at": "When the next try was planned, if any.",
    "reminder_deliveries.provider_status": "What Twilio last said about the message.",
    "whatsapp_links.phone": "Your WhatsApp number.",
    "whatsapp_links.code_expires_at": "When the last verification code expired.",
    "whatsapp_links.code_attempts": "Tries at the last verification code.",
    "whatsapp_links.verified_at": "When you verified the number.",
    "whatsapp_links.opted_out_at": "When you sent STOP (empty: you receive messages).",
    "inbound_messages.message_sid": "Twilio's identifier of a message you sent us.",
    "inbound_messages.received_at": "When your WhatsApp message arrived.",
    "trigger_settings.channel": (
        "Where gentle nudges also go besides the app: whatsapp, email or in_app (only the app)."
    ),
    "trigger_settings.no_checkin_days": "Nudge after this many days without a check-in.",
    "trigger_settings.mood_drop": "Nudge when the 3-day mood average drops by this much.",
    "trigger_settings.streak": "Whether to nudge before a streak breaks.",
}

PREAMBLE: Final = """\
Your data from the companion app
================================

One CSV file per kind of data, each with a header row. Files are UTF-8; the text you wrote is
decrypted for you (it is stored encrypted). Times are ISO 8601 in your time zone with its
offset from UTC, e.g. 2026-03-29T09:30:00+02:00. true/false are yes/no; an empty cell is "none".
A text cell that begins with = + - @, a tab or a carriage return has an apostrophe put in
front, so a spreadsheet shows it as text instead of running it as a formula.

Left out on purpose: your password hash, your encryption key and login tokens (secrets that
are of no use outside the app and would weaken your account if this file were lost), and each
journal entry's search vector (384 numbers the app computes from the entry's title and text, so
it can search your journal by meaning; the title and text themselves are in journal_entries.csv).

Journal sentiment is VADER's compound score (a word list with rules, run on the app's own
computer): it reads words, not meaning, and describes the words of one entry, never you.
"""


@dataclass(frozen=True, slots=True)
class FileDoc:
    """One CSV file of the export and its columns (name, description)."""

    file: str
    about: str
    columns: tuple[tuple[str, str], ...]


@cache
def _source_docs(model: type[SQLModel]) -> dict[str, str]:
    """Field -> the comment beside it or the comment lines just above it."""
    docs: dict[str, str] = {}
    above: list[str] = []
    for line in inspect.getsource(model).splitlines():
        if comment := _COMMENT.match(line):
            above.append(comment.group(1).strip())
            continue
        if field := _FIELD.match(line):
            text = field.group(2) or " ".join(above)
            if text and not field.group(1).startswith("__"):
                docs[field.group(1)] = text.strip()
        above = []
    return docs


def describe(model: type[SQLModel], field: str, exported: str) -> str | None:
    """The description of a column (`field` in the model, `exported` in the CSV), or None."""
    table = str(model.__tablename__)
    return (
        COLUMN_DOCS.get(f"{table}.{exported}")
        or _source_docs(model).get(field)
        or COLUMN_DOCS.get(exported)
    )


def about(model: type[SQLModel]) -> str:
    """A table's description: the first paragraph of its model's docstring."""
    doc = inspect.getdoc(model) or ""
    return " ".join(doc.split("\n\n")[0].split())


def readme(files: Iterable[FileDoc]) -> str:
    """README.txt: the preamble, then each file with each column described."""
    parts = [PREAMBLE]
    for item in files:
        parts.append(f"\n{item.file}\n{'-' * len(item.file)}\n{item.about}\n")
        width = max((len(name) for name, _ in item.columns), default=0)
        parts.extend(f"  {name.ljust(width)}  {text}\n" for name, text in item.columns)
    return "".join(parts)


def undocumented(files: Sequence[FileDoc]) -> list[str]:
    """ "file: column" for every column without a description."""
    return [f"{item.file}: {name}" for item in files for name, text in item.columns if not text]
