"""Importing mood history: a Daylio CSV export, or the project's own mood CSV (`MOOD_CSV_COLUMNS`).

The file is checked before a row is read: at most `MAX_FILE_BYTES`; a zip archive (the app's
own export, or a Daylio backup someone zipped) is opened only to read one CSV, at most
`MAX_FILE_BYTES` once unzipped, so a zip bomb is refused after that many bytes; anything that
is not UTF-8 text (a binary named .csv) is refused. Then each row becomes a `ParsedMood` or a
`Rejected` with the line number and a reason. Saving (in `MoodImporter`) is one transaction:
all the new rows or nothing. A row equal to an entry already there (same minute, same score) is
a duplicate and skipped, so importing the same file twice adds nothing.

Daylio: columns `full_date, date, weekday, time, mood, activities, note_title, note`; its five
default moods map onto the five faces (awful 2, bad 4, meh 6, good 8, rad 10); activities
become activity tags; times are wall-clock times in the person's time zone.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Final, Literal
from zoneinfo import ZoneInfo

from core.db.models import MoodEntry
from core.errors import InvalidInput
from core.mood import (
    LIST_SEPARATOR,
    MOOD_CSV_COLUMNS,
    MoodDraft,
    TagBook,
    clean_draft,
    fill_entry,
)
from core.store import UserStore, UserUnit

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
PREVIEW_ROWS = 10
DAYLIO_COLUMNS: Final = ("full_date", "date", "weekday", "time", "mood", "activities", "note")
DAYLIO_MOODS: Final[dict[str, int]] = {"awful": 2, "bad": 4, "meh": 6, "good": 8, "rad": 10}
Format = Literal["daylio", "companion"]
_FORMULA_STARTS = frozenset("=+-@\t\r")
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"
_WRONG_COLUMNS = (
    "This file's columns don't match a Daylio export or this app's mood export. "
    "A Daylio export starts with: full_date, date, weekday, time, mood, activities, note_title, "
    "note. This app's mood CSV starts with: " + ", ".join(MOOD_CSV_COLUMNS) + "."
)


@dataclass(frozen=True, slots=True)
class ParsedMood:
    """One importable row: the line it came from, and the entry it makes (`logged_at` UTC)."""

    line: int
    draft: MoodDraft
    logged_at: datetime


@dataclass(frozen=True, slots=True)
class Rejected:
    """A row that can't be imported, and why (never quoting the row's text)."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """What a file holds: its format, the usable rows and the rejected ones."""

    format: Format
    rows: tuple[ParsedMood, ...]
    rejected: tuple[Rejected, ...]


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did (or, for a preview, would do)."""

    format: Format
    new: tuple[ParsedMood, ...]
    duplicates: int
    rejected: tuple[Rejected, ...]
    saved: bool = False
    preview: tuple[ParsedMood, ...] = field(default=())

    @property
    def imported(self) -> int:
        """Rows added (0 for a preview)."""
        return len(self.new) if self.saved else 0


def read_text(data: bytes) -> str:
    """The CSV text of an upload (a .csv, or a .zip holding one); InvalidInput if unusable.

    The file's name is never trusted (nor echoed): a binary named .csv is still refused."""
    if not isinstance(data, bytes | bytearray):
        raise InvalidInput("Please choose a CSV file.")
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(
            f"That file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB. A mood history is "
            "much smaller; please check it is the right file."
        )
    if not data.strip():
        raise InvalidInput("That file is empty.")
    if data.startswith((_ZIP_MAGIC, _EMPTY_ZIP)):
        data = _csv_from_zip(bytes(data))
    if b"\x00" in data:
        raise InvalidInput("That file isn't a text CSV file; please choose a CSV export.")
    try:
        return bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            "That file isn't a UTF-8 CSV file; please export it again as CSV."
        ) from None


def _csv_from_zip(data: bytes) -> bytes:
    """The one mood CSV inside a zip, read at most MAX_FILE_BYTES + 1 bytes (a bomb stops)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [info for info in archive.infolist() if info.filename.lower().endswith(".csv")]
        wanted = [info for info in members if info.filename.lower().endswith("mood.csv")]
        chosen = wanted or members
        if len(chosen) != 1:
            raise InvalidInput(
                "That zip file should hold one mood CSV (this app's export holds mood.csv); "
                "please unzip it and choose the CSV."
            )
        with archive.open(chosen[0]) as member:
            content = member.read(MAX_FILE_BYTES + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        raise InvalidInput(
            "That zip file can't be opened; please unzip it and choose the CSV."
        ) from None
    except RuntimeError:  # encrypted member
        raise InvalidInput("That zip file is password-protected; please unzip it first.") from None
    if len(content) > MAX_FILE_BYTES:
        raise InvalidInput(
            f"Unzipped, that file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; "
            "a mood history is much smaller, so it was not opened further."
        )
    return content


def parse(text: str, *, timezone: str, now: datetime) -> ParsedFile:
    """Every row of a Daylio or own-format CSV, as importable rows and rejected ones."""
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = [column.strip().lower() for column in next(reader, [])]
        kind = _format_of(header)
        rows: list[ParsedMood] = []
        rejected: list[Rejected] = []
        for number, values in enumerate(reader, start=2):
            if number - 1 > MAX_ROWS:
                raise InvalidInput(f"That file has more than {MAX_ROWS:,} rows; please split it.")
            if not any(value.strip() for value in values):
                continue
            try:
                rows.append(_row(kind, header, values, number, timezone, now))
            except InvalidInput as problem:
                rejected.append(Rejected(number, str(problem)))
    except csv.Error:
        raise InvalidInput(
            "That file isn't well-formed CSV (a quote is left open, perhaps); nothing was imported."
        ) from None
    return ParsedFile(kind, tuple(rows), tuple(rejected))


def _format_of(header: Sequence[str]) -> Format:
    if tuple(header[: len(MOOD_CSV_COLUMNS)]) == MOOD_CSV_COLUMNS:
        return "companion"
    if set(DAYLIO_COLUMNS) <= set(header):
        return "daylio"
    raise InvalidInput(_WRONG_COLUMNS)


def _row(
    kind: Format,
    header: Sequence[str],
    values: Sequence[str],
    line: int,
    timezone: str,
    now: datetime,
) -> ParsedMood:
    if len(values) != len(header):
        raise InvalidInput(f"it has {len(values)} cells where the header has {len(header)}")
    cells = {name: _unneutralise(value) for name, value in zip(header, values, strict=True)}
    draft = _daylio(cells, timezone) if kind == "daylio" else _companion(cells, timezone)
    try:
        cleaned, moment = clean_draft(draft, now=now)
    except InvalidInput as problem:
        raise InvalidInput(_lower_first(str(problem))) from None
    return ParsedMood(line, cleaned, moment)


def _unneutralise(value: str) -> str:
    """Undo the export's guard against spreadsheet formulas (a `'` before =, +, -, @, tab, CR)."""
    if len(value) > 1 and value[0] == "'" and value[1] in _FORMULA_STARTS:
        return value[1:]
    return value


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _daylio(cells: dict[str, str], timezone: str) -> MoodDraft:
    mood = cells["mood"].strip().lower()
    if mood not in DAYLIO_MOODS:
        raise InvalidInput(
            "its mood isn't one of Daylio's five (rad, good, meh, bad, awful); "
            "custom moods can't be mapped to a score"
        )
    day = _date(cells["full_date"])
    moment = datetime.combine(day, _clock_time(cells["time"]), ZoneInfo(timezone))
    title, note = cells.get("note_title", "").strip(), cells.get("note", "").strip()
    note = note.replace("<br>", "\n").replace("<br/>", "\n")
    return MoodDraft(
        score=DAYLIO_MOODS[mood],
        activities=_split(cells["activities"]),
        note=f"{title}\n{note}".strip() if title else note,
        logged_at=moment,
    )


def _companion(cells: dict[str, str], timezone: str) -> MoodDraft:
    try:
        moment = datetime.fromisoformat(cells["logged_at"].strip())
    except ValueError:
        raise InvalidInput("its logged_at isn't an ISO-8601 date and time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    raw_score = cells["score"].strip()
    if not raw_score.isdigit() or not raw_score.isascii():
        raise InvalidInput("its score isn't a whole number from 1 to 10")
    return MoodDraft(
        score=int(raw_score),
        emotions=[emotion.lower() for emotion in _split(cells["emotions"])],
        activities=_split(cells["activities"]),
        people=_split(cells["people"]),
        note=cells["note"],
        logged_at=moment,
    )


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(LIST_SEPARATOR.strip()) if part.strip()]


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("its full_date isn't a date like 2024-03-05") from None


def _clock_time(text: str) -> time:
    cleaned = text.strip().upper()
    for pattern in ("%H:%M", "%I:%M %p", "%H:%M:%S", "%I:%M%p"):
        try:
            return datetime.strptime(cleaned, pattern).time()
        except ValueError:
            continue
    raise InvalidInput("its time isn't like 21:35 or 9:35 PM")


def _key(moment: datetime, score: int) -> tuple[datetime, int]:
    """Two entries are the same when logged in the same minute with the same score."""
    return moment.replace(second=0, microsecond=0), score


class MoodImportService:
    """Preview and import a mood CSV for one user."""

    def __init__(self, *, store: UserStore) -> None:
        self._store = store

    def preview(self, *, user_id: str, data: bytes, timezone: str) -> ImportReport:
        """What importing would do: new rows (the first few to show), duplicates, rejections."""
        return self._run(user_id, data, timezone, save=False)

    def import_file(self, *, user_id: str, data: bytes, timezone: str) -> ImportReport:
        """Import every new row in one transaction (all or nothing); duplicates skipped."""
        return self._run(user_id, data, timezone, save=True)

    def _run(self, user_id: str, data: bytes, timezone: str, *, save: bool) -> ImportReport:
        parsed = parse(read_text(data), timezone=timezone, now=self._store.clock.now())
        with self._store.unit(user_id) as unit:
            new = list(_new_rows(parsed.rows, _existing_keys(unit, parsed.rows)))
            if save and new:
                tags = TagBook(unit)
                for row in new:
                    entry = MoodEntry(
                        user_id=user_id, score=row.draft.score, logged_at=row.logged_at
                    )
                    fill_entry(unit, tags, entry, row.draft)
                    unit.add(entry)
        return ImportReport(
            format=parsed.format,
            new=tuple(new),
            duplicates=len(parsed.rows) - len(new),
            rejected=parsed.rejected,
            saved=save,
            preview=tuple(new[:PREVIEW_ROWS]),
        )


def _existing_keys(unit: UserUnit, rows: Sequence[ParsedMood]) -> set[tuple[datetime, int]]:
    if not rows:
        return set()
    first = min(row.logged_at for row in rows).replace(second=0, microsecond=0)
    last = max(row.logged_at for row in rows) + timedelta(minutes=1)
    entries = unit.list(MoodEntry, time_column="logged_at", since=first, until=last)
    return {_key(entry.logged_at, entry.score) for entry in entries}


def _new_rows(rows: Sequence[ParsedMood], seen: set[tuple[datetime, int]]) -> Iterator[ParsedMood]:
    for row in rows:
        key = _key(row.logged_at, row.draft.score)
        if key not in seen:
            seen.add(key)
            yield row
