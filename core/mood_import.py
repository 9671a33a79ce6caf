"""Importing mood history: a Daylio CSV export, or the project's own mood CSV (`MOOD_CSV_COLUMNS`).

The file is checked before a row is read: at most `MAX_FILE_BYTES`; a zip archive (the app's
own export, or a Daylio backup someone zipped) is opened only to read one CSV, at most
`MAX_FILE_BYTES` once unzipped, so a zip bomb is refused after that many bytes; anything that
is not UTF-8 text (a binary named .csv) is refused. Then each row becomes a `ParsedMood` or a
`Rejected` with the line number and a reason. Saving (in `MoodImporter`) is one transaction:
all the new rows or nothing. A row equal to an entry already there (same minute, same score) is
a duplicate and skipped, so importing the same file twice adds nothing.

An imported note is text the person wrote, so each new one passes `core.safety.assess` (the
rules always, the semantic layer once loaded) as it is saved, with a `SafetyEvent` (source
"mood_import") in the same transaction; the report carries the most serious assessment, so the
page shows the crisis numbers for a crisis note, as it does when a mood is logged.

Daylio: columns `full_date, date, weekday, time, mood, activities, note_title, note`; its five
default moods map onto the five faces (awful 2, bad 4, meh 6, good 8, rad 10); activities
become activity tags; times are wall-clock times in the person's time zone.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Final, Literal
from zoneinfo import ZoneInfo

from core.db.models import MoodEntry
from core.errors import InvalidInput
from core.lazy import Lazy
from core.mood import (
    LIST_SEPARATOR,
    MOOD_CSV_COLUMNS,
    TAG_KINDS,
    MoodDraft,
    TagBook,
    TagKind,
    clean_draft,
    fill_entry,
)
from core.ports import Embedder, RiskScorer, Vector
from core.safety import Assessment, assess
from core.safety_events import record_screening
from core.store import UserStore, UserUnit

_RANK: Final = {"none": 0, "concern": 1, "crisis": 2}
_SCREEN_BATCH = 64
log = logging.getLogger(__name__)
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
PREVIEW_ROWS = 10
DAYLIO_COLUMNS: Final = ("full_date", "date", "weekday", "time", "mood", "activities", "note")
DAYLIO_MOODS: Final[dict[str, int]] = {"awful": 2, "bad": 4, "meh": 6, "good": 8, "rad": 10}
Format = Literal["daylio", "companion", "export"]
TagNames = Mapping[str, tuple[TagKind, str]]
_FORMULA_STARTS = frozenset("=+-@\t\r")
_MOOD_FILES = ("mood_entries.csv", "mood.csv")
_EXPORT_COLUMNS = frozenset({"score", "emotions", "tags", "note", "logged_at"})
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
    # The most serious screen of the imported notes (None: no note was imported).
    assessment: Assessment | None = None

    @property
    def imported(self) -> int:
        """Rows added (0 for a preview)."""
        return len(self.new) if self.saved else 0


@dataclass(frozen=True, slots=True)
class Upload:
    """The text of the mood CSV, and of the tag list beside it in this app's export zip."""

    text: str
    tags_text: str | None = None


def read_upload(data: bytes) -> Upload:
    """The CSV text of an upload (a .csv, or a .zip holding one); InvalidInput if unusable.

    The file's name is never trusted (nor echoed): a binary named .csv is still refused."""
    if not isinstance(data, bytes | bytearray):
        raise InvalidInput("Please choose a CSV file.")
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(
            f"That file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB. A mood history is "
            "much smaller; please check it is the right file."
        )
    if not bytes(data).strip():
        raise InvalidInput("That file is empty.")
    if data.startswith((_ZIP_MAGIC, _EMPTY_ZIP)):
        return _from_zip(bytes(data))
    return Upload(_decode(bytes(data)))


def _decode(raw: bytes) -> str:
    if b"\x00" in raw:
        raise InvalidInput("That file isn't a text CSV file; please choose a CSV export.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            "That file isn't a UTF-8 CSV file; please export it again as CSV."
        ) from None


def _from_zip(data: bytes) -> Upload:
    """The mood CSV inside a zip (and the export's tag list), each read at most
    MAX_FILE_BYTES + 1 bytes, so a zip bomb stops there."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = {
            info.filename.rsplit("/", 1)[-1].lower(): info
            for info in archive.infolist()
            if info.filename.lower().endswith(".csv")
        }
        wanted = [members[name] for name in _MOOD_FILES if name in members]
        chosen = wanted[:1] or list(members.values())
        if len(chosen) != 1:
            raise InvalidInput(
                "That zip file should hold one mood CSV (this app's export holds "
                "mood_entries.csv); please unzip it and choose the CSV."
            )
        text = _decode(_bounded(archive, chosen[0]))
        tags = members.get("mood_tags.csv")
        tags_text = _decode(_bounded(archive, tags)) if tags is not None else None
    # zipfile raises NotImplementedError for a compression method it can't read.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        raise InvalidInput(
            "That zip file can't be opened; please unzip it and choose the CSV."
        ) from None
    except RuntimeError:  # an encrypted member
        raise InvalidInput("That zip file is password-protected; please unzip it first.") from None
    return Upload(text, tags_text)


def _bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as member:
        content = member.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise InvalidInput(
            f"Unzipped, that file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; "
            "a mood history is much smaller, so it was not opened further."
        )
    return content


def parse_tags(text: str | None) -> dict[str, tuple[TagKind, str]]:
    """The export's mood_tags.csv as id -> (kind, name); unusable rows are left out."""
    if not text:
        return {}
    found: dict[str, tuple[TagKind, str]] = {}
    try:
        for row in csv.DictReader(io.StringIO(text, newline=""), strict=True):
            kind = _unneutralise(row.get("kind") or "")
            name = _unneutralise(row.get("name") or "")
            if row.get("id") and kind in TAG_KINDS and name:
                found[str(row["id"])] = ("people" if kind == "people" else "activity", name)
    except csv.Error:
        return {}
    return found


def parse(
    text: str, *, timezone: str, now: datetime, tag_names: TagNames | None = None
) -> ParsedFile:
    """Every row of a Daylio, own-format or export CSV, as importable rows and rejected ones.

    `tag_names` resolves the tag ids of the export's mood_entries.csv (id -> kind, name)."""
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
                rows.append(_row(kind, header, values, number, timezone, now, tag_names or {}))
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
    if _EXPORT_COLUMNS <= set(header):
        return "export"
    raise InvalidInput(_WRONG_COLUMNS)


def _row(
    kind: Format,
    header: Sequence[str],
    values: Sequence[str],
    line: int,
    timezone: str,
    now: datetime,
    tag_names: TagNames,
) -> ParsedMood:
    if len(values) != len(header):
        raise InvalidInput(f"it has {len(values)} cells where the header has {len(header)}")
    cells = {name: _unneutralise(value) for name, value in zip(header, values, strict=True)}
    if kind == "daylio":
        draft = _daylio(cells, timezone)
    elif kind == "export":
        draft = _exported(cells, timezone, tag_names)
    else:
        draft = _companion(cells, timezone)
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
    return MoodDraft(
        score=_score(cells["score"]),
        emotions=[emotion.lower() for emotion in _split(cells["emotions"])],
        activities=_split(cells["activities"]),
        people=_split(cells["people"]),
        note=cells["note"],
        logged_at=_moment(cells["logged_at"], timezone),
    )


def _exported(cells: dict[str, str], timezone: str, tag_names: TagNames) -> MoodDraft:
    """A row of the data export's mood_entries.csv: tags are ids, named by `tag_names` (a tag
    whose name is not known is left out)."""
    tags = [tag_names[tag_id] for tag_id in cells["tags"].split(",") if tag_id in tag_names]
    return MoodDraft(
        score=_score(cells["score"]),
        emotions=[e.strip().lower() for e in cells["emotions"].split(",") if e.strip()],
        activities=[name for kind, name in tags if kind == "activity"],
        people=[name for kind, name in tags if kind == "people"],
        note=cells["note"],
        logged_at=_moment(cells["logged_at"], timezone),
    )


def _moment(text: str, timezone: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("its logged_at isn't an ISO-8601 date and time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(timezone))


def _score(text: str) -> int:
    raw = text.strip()
    if not raw.isdigit() or not raw.isascii() or len(raw) > 2:
        raise InvalidInput("its score isn't a whole number from 1 to 10")
    return int(raw)


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

    def __init__(
        self,
        *,
        store: UserStore,
        risk_scorer: Lazy[RiskScorer | None] | None = None,
        embedder: Lazy[Embedder] | None = None,
    ) -> None:
        self._store = store
        self._risk_scorer = risk_scorer
        self._embedder = embedder

    def preview(self, *, user_id: str, data: bytes, timezone: str) -> ImportReport:
        """What importing would do: new rows (the first few to show), duplicates, rejections."""
        return self._run(user_id, data, timezone, save=False)

    def import_file(
        self, *, user_id: str, data: bytes, timezone: str, region: str | None = None
    ) -> ImportReport:
        """Import every new row in one transaction (all or nothing); duplicates skipped; each
        new note screened (crisis resources for `region`)."""
        return self._run(user_id, data, timezone, save=True, region=region)

    def _run(
        self, user_id: str, data: bytes, timezone: str, *, save: bool, region: str | None = None
    ) -> ImportReport:
        upload = read_upload(data)
        with self._store.unit(user_id) as unit:
            tags = TagBook(unit)
            names = parse_tags(upload.tags_text) or {
                tag.id: (tag.kind, tag.name) for tag in tags.by_id.values()
            }
            parsed = parse(
                upload.text, timezone=timezone, now=self._store.clock.now(), tag_names=names
            )
            new = list(_new_rows(parsed.rows, _existing_keys(unit, parsed.rows)))
            worst: Assessment | None = None
            if save and new:
                for found in self._screen([row.draft.note for row in new], region):
                    record_screening(unit, found.level, source="mood_import")
                    if worst is None or _RANK[found.level] > _RANK[worst.level]:
                        worst = found
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
            assessment=worst,
        )

    def _screen(self, notes: Sequence[str], region: str | None) -> list[Assessment]:
        """Each non-empty note through `core.safety.assess`: the rules always; the semantic layer
        too once it is loaded (never waited on), with the notes embedded in batches so a long
        history is screened in seconds rather than one model call per note."""
        texts = [note for note in notes if note.strip()]
        scorer = self._risk_scorer.ready_or_start() if self._risk_scorer else None
        model = self._embedder.if_ready() if self._embedder and scorer is not None else None
        vectors: list[Vector | None] = [None] * len(texts)
        if model is not None:
            try:
                vectors = [
                    vector
                    for start in range(0, len(texts), _SCREEN_BATCH)
                    for vector in model.embed(texts[start : start + _SCREEN_BATCH])
                ]
            except Exception as failure:  # the scorer embeds each note itself then
                log.warning("import notes not embedded", extra={"error": type(failure).__name__})
        return [
            assess(text, region=region, semantic=scorer, embedding=vector)
            for text, vector in zip(texts, vectors, strict=True)
        ]


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
