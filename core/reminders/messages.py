"""What a reminder says: gentle, short, never alarming; the person's own words for "custom"."""

from __future__ import annotations

from typing import Literal, get_args

Kind = Literal["mood", "journal", "breathing", "sleep", "custom"]
Channel = Literal["whatsapp", "email", "in_app"]
KINDS: tuple[Kind, ...] = get_args(Kind)
CHANNELS: tuple[Channel, ...] = get_args(Channel)

KIND_LABELS: dict[str, str] = {
    "mood": "Mood check-in",
    "journal": "Journaling",
    "breathing": "Breathing",
    "sleep": "Sleep wind-down",
    "custom": "My own words",
}
CHANNEL_LABELS: dict[str, str] = {
    "whatsapp": "WhatsApp",
    "email": "Email",
    "in_app": "In the app",
}

_TEXTS: dict[str, str] = {
    "mood": "A gentle nudge: how are you feeling right now? Reply 'mood' and a number from "
    "1 to 10 if you like.",
    "journal": "If you have a quiet moment, a few lines in your journal might help you "
    "unwind. No pressure.",
    "breathing": "Time for a short breathing break? Even a minute of slow breaths counts.",
    "sleep": "It's nearly time to wind down. Maybe dim the lights and put the screen away soon.",
    "custom": "A reminder you set for yourself.",
}
_EMAIL_SUBJECT = "A gentle reminder"


def reminder_text(kind: str, custom: str | None) -> str:
    """The text a reminder of `kind` sends (the person's own words for a custom one)."""
    if kind == "custom" and custom:
        return custom
    return _TEXTS.get(kind, _TEXTS["custom"])


def email_subject() -> str:
    """The subject line of every reminder email (the text says what it is about)."""
    return _EMAIL_SUBJECT


def dead_letter_text(kind: str, channel: str) -> str:
    """The in-app note when a reminder could not be delivered after every try."""
    label = KIND_LABELS.get(kind, "reminder").lower()
    where = CHANNEL_LABELS.get(channel, channel)
    return (
        f"We couldn't deliver your {label} reminder by {where}. You don't need to do anything; "
        "you can check the number or address on the Reminders page."
    )
