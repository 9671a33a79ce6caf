"""Self-check questionnaires: PHQ-9 (depression) and GAD-7 (anxiety), scored as published.

The wording, answer choices and severity bands are the instruments' own (Kroenke, Spitzer &
Williams 2001; Spitzer et al. 2006; both free to use). A result is a screening, not a diagnosis.
The item answers are encrypted (`answers_ct`); the total and band stay plain for the history
chart. A PHQ-9 with item 9 (thoughts of being better off dead or of self-harm) above 0 brings
the region's crisis resources whatever the total, and is kept as a crisis `SafetyEvent`
(source "screening") in the same transaction as the result.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

from core.db.models import ScreeningResult
from core.errors import InvalidInput
from core.safety import CrisisResources, resources_for
from core.safety_events import record_screening
from core.store import UserStore, UserUnit

InstrumentId = Literal["PHQ-9", "GAD-7"]

CHOICES: Final[tuple[str, ...]] = (
    "Not at all",
    "Several days",
    "More than half the days",
    "Nearly every day",
)
REPEAT_EVERY: Final = timedelta(days=14)  # both ask about "the last 2 weeks"
NOT_A_DIAGNOSIS: Final = (
    "A screening is not a diagnosis. It is a way to notice how the last two weeks have been and "
    "to talk about it with a doctor or therapist, who can look at the whole picture."
)
_MISSING = "That result doesn't exist any more; it may have been deleted in another tab."


@dataclass(frozen=True, slots=True)
class Band:
    """A severity band: totals from `low` to `high` inclusive."""

    low: int
    high: int
    label: str


@dataclass(frozen=True, slots=True)
class Instrument:
    """A questionnaire: its stem, items (each answered 0-3) and severity bands."""

    id: InstrumentId
    title: str
    stem: str
    items: tuple[str, ...]
    bands: tuple[Band, ...]

    @property
    def max_total(self) -> int:
        """The highest possible total."""
        return 3 * len(self.items)


PHQ9: Final = Instrument(
    id="PHQ-9",
    title="PHQ-9: low mood",
    stem="Over the last 2 weeks, how often have you been bothered by any of the following "
    "problems?",
    items=(
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself — or that you are a failure or have let yourself or your "
        "family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
        "being so fidgety or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ),
    bands=(
        Band(0, 4, "minimal"),
        Band(5, 9, "mild"),
        Band(10, 14, "moderate"),
        Band(15, 19, "moderately severe"),
        Band(20, 27, "severe"),
    ),
)

GAD7: Final = Instrument(
    id="GAD-7",
    title="GAD-7: anxiety",
    stem="Over the last 2 weeks, how often have you been bothered by the following problems?",
    items=(
        "Feeling nervous, anxious or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid as if something awful might happen",
    ),
    bands=(
        Band(0, 4, "minimal"),
        Band(5, 9, "mild"),
        Band(10, 14, "moderate"),
        Band(15, 21, "severe"),
    ),
)

INSTRUMENTS: Final[dict[str, Instrument]] = {PHQ9.id: PHQ9, GAD7.id: GAD7}
SELF_HARM_ITEM: Final = 8  # PHQ-9 item 9, zero-based


@dataclass(frozen=True, slots=True)
class Score:
    """A scored questionnaire."""

    instrument: InstrumentId
    answers: tuple[int, ...]
    total: int
    severity: str

    @property
    def self_harm_thoughts(self) -> bool:
        """PHQ-9 item 9 answered above "Not at all"."""
        return self.instrument == PHQ9.id and self.answers[SELF_HARM_ITEM] > 0


@dataclass(frozen=True, slots=True)
class ScreeningOutcome:
    """What taking a questionnaire gives the page."""

    id: str
    score: Score
    resources: CrisisResources | None  # set when item 9 was above 0


@dataclass(frozen=True, slots=True)
class ScreeningView:
    """A past result, answers decrypted."""

    id: str
    instrument: InstrumentId
    total: int
    severity: str
    taken_at: datetime
    answers: tuple[int, ...]


def instrument(instrument_id: object) -> Instrument:
    """The instrument with this id; InvalidInput for anything else."""
    found = INSTRUMENTS.get(instrument_id) if isinstance(instrument_id, str) else None
    if found is None:
        raise InvalidInput("Please choose PHQ-9 or GAD-7.")
    return found


def severity(which: Instrument, total: int) -> str:
    """The band a total falls in."""
    for band in which.bands:
        if band.low <= total <= band.high:
            return band.label
    raise InvalidInput(f"A {which.id} total is between 0 and {which.max_total}.")


def score(instrument_id: object, answers: Sequence[object]) -> Score:
    """Check every item is answered 0-3, then total and band them."""
    which = instrument(instrument_id)
    if isinstance(answers, str | bytes) or not isinstance(answers, Sequence):
        raise InvalidInput("Please answer every question.")
    if len(answers) != len(which.items) or any(answer is None for answer in answers):
        raise InvalidInput(f"Please answer all {len(which.items)} questions; none can be skipped.")
    checked: list[int] = []
    for answer in answers:
        if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer <= 3:
            raise InvalidInput("Each answer is one of the four choices, from 0 to 3.")
        checked.append(answer)
    total = sum(checked)
    return Score(which.id, tuple(checked), total, severity(which, total))


def next_due(last_taken: datetime | None) -> datetime | None:
    """When repeating a questionnaire taken at `last_taken` is suggested (None: never taken)."""
    return None if last_taken is None else last_taken + REPEAT_EVERY


class ScreeningService:
    """Take, list and delete one user's questionnaire results."""

    def __init__(self, *, store: UserStore) -> None:
        self._store = store

    def take(
        self, *, user_id: str, instrument: str, answers: Sequence[int], region: str | None = None
    ) -> ScreeningOutcome:
        """Score and save a questionnaire; item 9 above 0 brings the crisis resources."""
        result = score(instrument, answers)
        with self._store.unit(user_id) as unit:
            row = save_result(unit, result, taken_at=unit.now())
        resources = resources_for(region) if result.self_harm_thoughts else None
        return ScreeningOutcome(row.id, result, resources)

    def history(
        self, *, user_id: str, instrument: str | None = None, since: datetime | None = None
    ) -> list[ScreeningView]:
        """This user's results, oldest first; one instrument's when `instrument` is given."""
        where = [] if instrument is None else [ScreeningResult.instrument == instrument]
        with self._store.unit(user_id) as unit:
            rows = unit.list(
                ScreeningResult,
                time_column="taken_at",
                since=since,
                newest_first=False,
                where=where,
            )
            return [_view(unit, row) for row in rows]

    def delete(self, *, user_id: str, result_id: str) -> None:
        """Delete one of this user's results."""
        with self._store.unit(user_id) as unit:
            unit.delete(ScreeningResult, result_id, missing=_MISSING)


def save_result(unit: UserUnit, result: Score, *, taken_at: datetime) -> ScreeningResult:
    """Stage a scored questionnaire (answers sealed) and, for item 9 above 0, a crisis
    SafetyEvent (for the service and the demo)."""
    row = ScreeningResult(
        user_id=unit.user_id,
        instrument=result.instrument,
        total_score=result.total,
        severity=result.severity,
        taken_at=taken_at,
    )
    unit.seal(row, "answers_ct", json.dumps(list(result.answers)))
    unit.add(row)
    if result.self_harm_thoughts:
        record_screening(unit, "crisis", source="screening", at=taken_at)
    return row


def _view(unit: UserUnit, row: ScreeningResult) -> ScreeningView:
    answers = json.loads(unit.open(row, "answers_ct") or "[]")
    return ScreeningView(
        id=row.id,
        instrument=instrument(row.instrument).id,
        total=row.total_score,
        severity=row.severity,
        taken_at=row.taken_at,
        answers=tuple(int(answer) for answer in answers),
    )
