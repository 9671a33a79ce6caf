"""Emotion check-ins: a summary of a webcam session (or a manual one), never an image or sound.

A check-in keeps when it started, how long it ran, the model's averaged distribution and its
dominant label (a hint), what the person says they feel and their own 1–10 rating, an optional
note (encrypted, screened by `core.safety` like every text a person writes) and, only when the
person chooses, the voice-tone summary (encrypted). Check-ins join the mood timeline through
`timeline`, with the person's own rating as the score.
"""

from __future__ import annotations

import builtins
import json
import math
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Literal

from core.db.models import EmotionCheckin
from core.emotion import EMOTIONS
from core.emotion.voice import VoiceTone
from core.errors import InvalidInput
from core.lazy import Lazy
from core.ports import RiskScorer
from core.safety import Assessment, assess
from core.safety_events import record_screening
from core.store import UserStore, UserUnit
from core.textinput import replace_lone_surrogates

MAX_NOTE_CHARS = 2_000
MAX_DURATION_SECONDS = 6 * 60 * 60
# Words people choose from when they correct the hint (or check in by hand).
FEELINGS: tuple[str, ...] = EMOTIONS
_MISSING = "That check-in doesn't exist any more; it may have been deleted in another tab."
Source = Literal["webcam", "manual"]


@dataclass(frozen=True, slots=True)
class CheckinDraft:
    """What the page hands over to save."""

    started_at: datetime
    feeling: str  # what the person says they feel (the hint, or their correction)
    rating: int  # their own 1-10
    note: str = ""
    source: Source = "manual"
    duration_seconds: int = 0
    analyses: int = 0
    model_dominant: str | None = None
    model_average: dict[str, float] | None = None
    tone: VoiceTone | None = None  # only when the person chose to keep it


@dataclass(frozen=True, slots=True)
class CheckinView:
    """A saved check-in, decrypted for its owner."""

    id: str
    started_at: datetime
    source: str
    feeling: str
    rating: int | None
    model_dominant: str
    model_average: dict[str, float]
    duration_seconds: int
    analyses: int
    note: str
    tone: dict[str, float | None] | None


@dataclass(frozen=True, slots=True)
class SavedCheckin:
    """The new check-in's id and how the safety screen read its note."""

    id: str
    assessment: Assessment


def _validate(draft: CheckinDraft, now: datetime) -> str:
    if draft.feeling not in FEELINGS:
        raise InvalidInput("Please choose how you feel from the list.")
    if isinstance(draft.rating, bool) or not isinstance(draft.rating, int):
        raise InvalidInput("Please rate how you feel from 1 to 10.")
    if not 1 <= draft.rating <= 10:
        raise InvalidInput("Please rate how you feel from 1 to 10.")
    if not isinstance(draft.note, str):
        raise InvalidInput("The note must be text.")
    note = replace_lone_surrogates(draft.note.strip())
    if len(note) > MAX_NOTE_CHARS:
        raise InvalidInput(f"Notes are at most {MAX_NOTE_CHARS:,} characters.")
    if draft.started_at > now + timedelta(minutes=1):
        raise InvalidInput("A check-in can't start in the future.")
    if not 0 <= draft.duration_seconds <= MAX_DURATION_SECONDS or draft.analyses < 0:
        raise InvalidInput("That check-in's length doesn't look right; please try again.")
    if draft.model_average is not None and not _is_distribution(draft.model_average):
        raise InvalidInput("The emotion reading was not valid; please save without it.")
    return note


def _is_distribution(scores: dict[str, float]) -> bool:
    values = [scores.get(label) for label in EMOTIONS]
    if set(scores) - set(EMOTIONS) or any(v is None or not math.isfinite(v) for v in values):
        return False
    return all(0 <= v <= 1 for v in values if v is not None) and abs(sum(values) - 1) < 0.01  # type: ignore[arg-type]


class CheckinService:
    """Save, list and delete one user's emotion check-ins."""

    def __init__(
        self, *, store: UserStore, risk_scorer: Lazy[RiskScorer | None] | None = None
    ) -> None:
        self._store = store
        self._risk_scorer = risk_scorer

    def save(self, *, user_id: str, draft: CheckinDraft, region: str | None = None) -> SavedCheckin:
        """Validate, screen the note, and save the check-in's summary."""
        note = _validate(draft, self._store.clock.now())
        scorer = self._risk_scorer.ready_or_start() if self._risk_scorer else None
        assessment = assess(note, region=region, semantic=scorer)
        with self._store.unit(user_id) as unit:
            row = new_checkin(unit, draft, note)
            unit.add(row)
            if note:
                record_screening(unit, assessment.level, source="checkin")
            return SavedCheckin(row.id, assessment)

    def list(
        self,
        *,
        user_id: str,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = 200,
    ) -> builtins.list[CheckinView]:
        """This user's check-ins, newest first, optionally within [since, until)."""
        with self._store.unit(user_id) as unit:
            rows = unit.list(
                EmotionCheckin, time_column="captured_at", since=since, until=until, limit=limit
            )
            return [_view(unit, row) for row in rows]

    def timeline(
        self, *, user_id: str, since: datetime | None = None, until: datetime | None = None
    ) -> builtins.list[tuple[datetime, int, str]]:
        """(time, the person's rating, their feeling) of rated check-ins, oldest first: the
        points check-ins add to the mood chart."""
        with self._store.unit(user_id) as unit:
            rows = unit.list(
                EmotionCheckin,
                time_column="captured_at",
                since=since,
                until=until,
                newest_first=False,
            )
            return [
                (row.captured_at, row.self_rating, row.corrected_emotion or row.dominant_emotion)
                for row in rows
                if row.self_rating is not None
            ]

    def delete(self, *, user_id: str, checkin_id: str) -> None:
        """Delete one check-in of this user."""
        with self._store.unit(user_id) as unit:
            unit.delete(EmotionCheckin, checkin_id, missing=_MISSING)


def new_checkin(unit: UserUnit, draft: CheckinDraft, note: str) -> EmotionCheckin:
    """The row for a validated draft, its note and tone sealed (for the service and the demo)."""
    row = EmotionCheckin(
        user_id=unit.user_id,
        captured_at=draft.started_at,
        source=draft.source,
        dominant_emotion=draft.model_dominant or draft.feeling,
        scores=json.dumps(draft.model_average or {}, sort_keys=True),
        frames_analyzed=draft.analyses,
        duration_seconds=draft.duration_seconds,
        self_rating=draft.rating,
        corrected_emotion=draft.feeling,
    )
    unit.seal(row, "note_ct", note or None)
    if draft.tone is not None:
        unit.seal(row, "tone_ct", json.dumps(asdict(draft.tone)))
    return row


def _view(unit: UserUnit, row: EmotionCheckin) -> CheckinView:
    tone_text = unit.open(row, "tone_ct")
    try:
        average = {k: float(v) for k, v in json.loads(row.scores or "{}").items()}
    except (ValueError, TypeError, AttributeError):
        average = {}
    return CheckinView(
        id=row.id,
        started_at=row.captured_at,
        source=row.source,
        feeling=row.corrected_emotion or row.dominant_emotion,
        rating=row.self_rating,
        model_dominant=row.dominant_emotion,
        model_average=average,
        duration_seconds=row.duration_seconds,
        analyses=row.frames_analyzed,
        note=unit.open(row, "note_ct") or "",
        tone=json.loads(tone_text) if tone_text else None,
    )
