"""Structured journal entries and the daily prompt, as plain text a journal entry can hold.

A gratitude entry (up to three good things) and a CBT thought record (situation, automatic
thought, emotion and its intensity, evidence for and against, a balanced thought and the
intensity after) become a title and a plain-text body with one labelled section per line, so
an entry reads the same wherever it is shown or exported. The daily prompt is picked by the
date in the person's time zone from `data/journal_prompts.yaml`: the same all day, a different
one tomorrow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from core.errors import InvalidInput

Kind = Literal["free", "gratitude", "thought_record"]
KINDS: Final[tuple[Kind, ...]] = ("free", "gratitude", "thought_record")
KIND_LABELS: Final[dict[str, str]] = {
    "free": "Free writing",
    "gratitude": "Gratitude",
    "thought_record": "Thought record",
}
PROMPTS_PATH: Final = Path(__file__).resolve().parents[1] / "data" / "journal_prompts.yaml"
MAX_FIELD_CHARS = 5_000
_KIND_MARK = "\x1e"  # ASCII record separator: starts the kind line inside the sealed body
_TITLE_SITUATION_CHARS = 60


@dataclass(frozen=True, slots=True)
class Draft:
    """A title, body and kind ready for `JournalService.add`."""

    title: str
    body: str
    kind: Kind


@dataclass(frozen=True, slots=True)
class ThoughtRecord:
    """The columns of a CBT thought record; intensities are 0-100."""

    situation: str
    automatic_thought: str
    emotion: str
    intensity: int
    evidence_for: str = ""
    evidence_against: str = ""
    balanced_thought: str = ""
    new_intensity: int | None = None


def _field(value: str, what: str, *, required: bool) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"Please write {what}.")
    value = " ".join(value.split())  # one line each: the body keeps one section a line
    if required and not value:
        raise InvalidInput(f"Please write {what}; a few words are enough.")
    if len(value) > MAX_FIELD_CHARS:
        raise InvalidInput(f"Each part is at most {MAX_FIELD_CHARS:,} characters.")
    return value


def _intensity(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise InvalidInput(f"{what} is a number from 0 (none) to 100 (the most you can imagine).")
    return value


def gratitude_entry(things: Sequence[str], *, title: str = "") -> Draft:
    """Up to three good things as a numbered list; at least one is needed."""
    if isinstance(things, str) or len(things) > 3:
        raise InvalidInput("A gratitude entry holds up to three things.")
    kept = [
        thing
        for thing in (_field(t, "something you're grateful for", required=False) for t in things)
        if thing
    ]
    if not kept:
        raise InvalidInput("Write at least one good thing; small things count.")
    body = "\n".join(f"{number}. {thing}" for number, thing in enumerate(kept, start=1))
    default = "Three good things" if len(kept) == 3 else "Good things"
    return Draft(title.strip() or default, body, "gratitude")


def thought_record_entry(record: ThoughtRecord, *, title: str = "") -> Draft:
    """A thought record as labelled lines; situation, thought and emotion are needed."""
    situation = _field(record.situation, "the situation", required=True)
    thought = _field(record.automatic_thought, "the thought that went through your mind",
                     required=True)  # fmt: skip
    emotion = _field(record.emotion, "the emotion you felt", required=True)
    intensity = _intensity(record.intensity, "How strong the emotion was")
    lines = [
        f"Situation: {situation}",
        f"Automatic thought: {thought}",
        f"Emotion: {emotion} ({intensity}/100)",
    ]
    for label, value in (
        ("Evidence for", record.evidence_for),
        ("Evidence against", record.evidence_against),
        ("Balanced thought", record.balanced_thought),
    ):
        text = _field(value, label.lower(), required=False)
        if text:
            lines.append(f"{label}: {text}")
    if record.new_intensity is not None:
        after = _intensity(record.new_intensity, "How strong the emotion is now")
        lines.append(f"Emotion now: {emotion} ({after}/100)")
    short = situation
    if len(short) > _TITLE_SITUATION_CHARS:
        short = short[:_TITLE_SITUATION_CHARS].rstrip() + "…"
    return Draft(title.strip() or f"Thought record: {short}", "\n".join(lines), "thought_record")


@lru_cache(maxsize=1)
def prompts(path: Path = PROMPTS_PATH) -> tuple[str, ...]:
    """The daily prompts, in the order the days go through them."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = tuple(str(item).strip() for item in data["prompts"] if str(item).strip())
    if not found:
        raise ValueError(f"{path} has no prompts")
    return found


def local_time(moment_utc: datetime, timezone: str) -> datetime:
    """A stored time (naive UTC) in an IANA time zone, DST included; UTC if the zone is unknown."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment_utc.replace(tzinfo=UTC).astimezone(zone)


def local_date(now_utc: datetime, timezone: str) -> date:
    """The calendar date at `now_utc` (naive UTC) in an IANA time zone; UTC if unknown."""
    return local_time(now_utc, timezone).date()


def prompt_for(day: date) -> str:
    """The prompt of a calendar day: the same all day, the next one tomorrow."""
    every = prompts()
    return every[day.toordinal() % len(every)]


def pack_body(kind: Kind, body: str) -> str:
    """The text sealed as an entry's body: a kind line (see core.journal), then the body."""
    return f"{_KIND_MARK}{kind}\n{body}"


def unpack_body(stored: str) -> tuple[Kind, str]:
    """The kind and body of a sealed body; one without a kind line is free writing."""
    if stored.startswith(_KIND_MARK):
        head, newline, rest = stored[1:].partition("\n")
        for kind in KINDS:
            if newline and head == kind:
                return kind, rest
    return "free", stored
