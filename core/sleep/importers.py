"""Wearable sleep import: Apple Health `export.xml` (or its zip) and a Fitbit sleep CSV.

Apple Health: the file is read as a stream by a hardened parser (defusedxml over expat: no
entity declarations, no external references, so "billion laughs" and XXE are refused), and only
sleep-analysis records are kept, so a 1 GB export never sits in memory. Both the old stage values
(InBed, Asleep) and the newer ones (AsleepUnspecified/Core/Deep/REM, Awake) are understood.
Records are grouped into nights by the local date 18 hours before they start; overlapping records
from several devices are merged, and a nap hours apart from the night is left out.

Fitbit / Google: the sleep CSV with the columns `Start Time`, `End Time`, `Minutes Asleep`,
`Minutes Awake`, `Number of Awakenings`, `Time in Bed` (Fitbit's account export; Google's
Takeout of Fitbit data uses the same), times local to the person's time zone.

Each night becomes a `Night` in the same diary fields as a typed one: bed and out of bed from the
time in bed, the sleep-onset latency from in-bed to first sleep, WASO from the gaps.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import IO, Literal
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from core.errors import InvalidInput
from core.sleep.diary import MAX_HOURS_IN_BED, Night, zone_of

MAX_IMPORT_BYTES = 1 << 30  # 1 GiB, read or unzipped: a bigger file is refused, kindly
SLEEP_TYPE = "HKCategoryTypeIdentifierSleepAnalysis"
_PREFIX = "HKCategoryValueSleepAnalysis"
ASLEEP = frozenset(
    f"{_PREFIX}{name}"
    for name in ("Asleep", "AsleepUnspecified", "AsleepCore", "AsleepDeep", "AsleepREM")
)
IN_BED = f"{_PREFIX}InBed"
AWAKE = f"{_PREFIX}Awake"
# Sleep starting before 18:00 local belongs to the night before (a nap, or a night worker's
# day sleep); 18:00 onwards starts that date's night.
NIGHT_STARTS = timedelta(hours=18)
NAP_GAP = timedelta(hours=2)  # asleep stretches further apart than this are separate sleeps
FITBIT_COLUMNS = (
    "Start Time",
    "End Time",
    "Minutes Asleep",
    "Minutes Awake",
    "Number of Awakenings",
    "Time in Bed",
)
_FITBIT_TIMES = ("%Y-%m-%d %I:%M%p", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
Progress = Callable[[float], None]
Kind = Literal["in_bed", "asleep", "awake"]


@dataclass(frozen=True, slots=True)
class Interval:
    """One sleep-analysis record: naive UTC start and end, and the local date of its night."""

    kind: Kind
    start: datetime
    end: datetime
    night_of: date


class _Counting(io.RawIOBase):
    """A read-only stream that reports progress and refuses to read past the size limit."""

    def __init__(self, source: IO[bytes], total: int, progress: Progress | None) -> None:
        self._source, self._total, self._progress = source, max(total, 1), progress
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self._source.read(len(buffer))
        self.read_bytes += len(chunk)
        if self.read_bytes > MAX_IMPORT_BYTES:
            raise InvalidInput(
                "This file is larger than 1 GB (unzipped), more than the import reads."
            )
        buffer[: len(chunk)] = chunk
        if self._progress is not None:
            self._progress(min(1.0, self.read_bytes / self._total))
        return len(chunk)


def _size(source: IO[bytes]) -> int:
    here = source.tell()
    end = source.seek(0, io.SEEK_END)
    source.seek(here)
    return end - here


def _xml_stream(source: IO[bytes]) -> tuple[IO[bytes], int]:
    """The export.xml inside a zip export, or the file itself; and its size."""
    head = source.read(4)
    source.seek(0)
    if head != b"PK\x03\x04":
        return source, _size(source)
    try:
        archive = zipfile.ZipFile(source)
        member = next(
            (info for info in archive.infolist() if info.filename.endswith("export.xml")), None
        )
    except zipfile.BadZipFile as broken:
        raise InvalidInput("This zip file is damaged; please export it again.") from broken
    if member is None:
        raise InvalidInput("This zip has no export.xml; is it an Apple Health export?")
    return archive.open(member), member.file_size


def _when(text: str | None) -> datetime:
    """Apple's '2026-03-02 23:10:00 +0100' as an aware datetime."""
    if not text:
        raise ValueError("missing date")
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z")


def _kind(value: str | None) -> Kind | None:
    if value in ASLEEP:
        return "asleep"
    if value == IN_BED:
        return "in_bed"
    if value == AWAKE:
        return "awake"
    return None


def _interval(attributes: dict[str, str]) -> Interval | None:
    kind = _kind(attributes.get("value"))
    if kind is None:
        return None
    start, end = _when(attributes.get("startDate")), _when(attributes.get("endDate"))
    if end <= start:
        return None
    night_of = (start.replace(tzinfo=None) - NIGHT_STARTS).date()
    return Interval(kind, _naive_utc(start), _naive_utc(end), night_of)


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def apple_health_intervals(source: IO[bytes], progress: Progress | None = None) -> list[Interval]:
    """Every sleep-analysis record of an Apple Health export, read as a stream."""
    stream, total = _xml_stream(source)
    counted = io.BufferedReader(_Counting(stream, total, progress), buffer_size=1 << 20)
    found: list[Interval] = []
    root = None
    try:
        for event, element in SafeET.iterparse(counted, events=("start", "end")):
            if root is None:
                root = element
                if element.tag != "HealthData":
                    raise InvalidInput("This isn't an Apple Health export (export.xml).")
                continue
            if event != "end" or element.tag != "Record":
                continue
            if element.get("type") == SLEEP_TYPE:
                interval = _interval(dict(element.attrib))
                if interval is not None:
                    found.append(interval)
            root.clear()  # drop what was read: memory stays flat whatever the file's size
    except InvalidInput:
        raise
    except DefusedXmlException as hostile:
        raise InvalidInput(
            "This file declares XML entities or external references, which a Health export "
            "never does, so it was not read."
        ) from hostile
    except ParseError as broken:
        raise InvalidInput(
            f"This file isn't well-formed XML (line {broken.position[0]}); please export it again."
        ) from broken
    except ValueError as bad_date:
        raise InvalidInput("A sleep record in this file has a date we can't read.") from bad_date
    if root is None:
        raise InvalidInput("This file is empty.")
    return found


def _merge(spans: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _main_sleep(asleep: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """The longest cluster of asleep stretches (a nap hours apart is left out)."""
    clusters: list[list[tuple[datetime, datetime]]] = []
    for span in asleep:
        if clusters and span[0] - clusters[-1][-1][1] <= NAP_GAP:
            clusters[-1].append(span)
        else:
            clusters.append([span])
    return max(clusters, key=lambda c: sum(((e - s) for s, e in c), timedelta()))


def _minutes(delta: timedelta) -> int:
    return round(delta.total_seconds() / 60)


def night_from_intervals(night_of: date, intervals: list[Interval], timezone: str) -> Night | None:
    """One imported night from its records; None when it has no sleep or is implausible."""
    asleep = _merge((i.start, i.end) for i in intervals if i.kind == "asleep")
    if not asleep:
        return None
    asleep = _main_sleep(asleep)
    onset, final = asleep[0][0], asleep[-1][1]
    in_bed = [
        span
        for span in _merge((i.start, i.end) for i in intervals if i.kind == "in_bed")
        if span[1] >= onset - NAP_GAP and span[0] <= final + NAP_GAP
    ]
    bed = min([onset, *(s for s, _ in in_bed)])
    up = max([final, *(e for _, e in in_bed)])
    slept = sum(((e - s) for s, e in asleep), timedelta())
    if up - bed > timedelta(hours=MAX_HOURS_IN_BED):
        return None
    return Night(
        night_of=night_of,
        timezone=timezone,
        bed_time=bed,
        lights_out=bed,
        sleep_latency_minutes=_minutes(onset - bed),
        awakenings=len(asleep) - 1,
        wake_minutes=max(0, _minutes(final - onset - slept)),
        wake_time=final,
        out_of_bed=up,
        source="apple_health",
    )


def apple_health_nights(
    source: IO[bytes], timezone: str, progress: Progress | None = None
) -> list[Night]:
    """The nights of an Apple Health export, oldest first."""
    zone_of(timezone)
    by_night: dict[date, list[Interval]] = {}
    for interval in apple_health_intervals(source, progress):
        by_night.setdefault(interval.night_of, []).append(interval)
    nights = (night_from_intervals(day, by_night[day], timezone) for day in sorted(by_night))
    return [night for night in nights if night is not None]


def _fitbit_time(text: str, timezone: str) -> datetime:
    for layout in _FITBIT_TIMES:
        try:
            moment = datetime.strptime(text.strip(), layout)
        except ValueError:
            continue
        return _naive_utc(moment.replace(tzinfo=zone_of(timezone)))
    raise ValueError(text)


def _fitbit_rows(text: Iterator[str]) -> Iterator[dict[str, str]]:
    """The rows of the sleep table (a Fitbit export may have other tables before it)."""
    reader = csv.reader(text)
    for header in reader:
        if all(column in header for column in FITBIT_COLUMNS):
            for row in reader:
                if not any(cell.strip() for cell in row):
                    return
                yield dict(zip(header, row, strict=False))
            return
    raise InvalidInput(
        "This CSV doesn't look like a Fitbit sleep export: it needs the columns "
        + ", ".join(FITBIT_COLUMNS)
        + "."
    )


def _fitbit_night(row: dict[str, str], timezone: str) -> Night | None:
    start, end = _fitbit_time(row["Start Time"], timezone), _fitbit_time(row["End Time"], timezone)
    asleep = int(row["Minutes Asleep"].replace(",", ""))
    in_bed = int(row["Time in Bed"].replace(",", ""))  # checked; the window is end - start
    if (
        end <= start
        or asleep <= 0
        or asleep > in_bed
        or end - start > timedelta(hours=MAX_HOURS_IN_BED)
    ):
        return None
    local_start = start.replace(tzinfo=UTC).astimezone(zone_of(timezone)).replace(tzinfo=None)
    window = _minutes(end - start)
    return Night(
        night_of=(local_start - NIGHT_STARTS).date(),
        timezone=timezone,
        bed_time=start,
        lights_out=start,
        sleep_latency_minutes=0,
        awakenings=int(row["Number of Awakenings"] or 0),
        wake_minutes=max(0, window - asleep),  # so total sleep is Fitbit's minutes asleep
        wake_time=end,
        out_of_bed=end,
        source="fitbit",
    )


def _span(night: Night) -> timedelta:
    return night.out_of_bed - night.bed_time


def fitbit_nights(
    source: IO[bytes], timezone: str, progress: Progress | None = None
) -> list[Night]:
    """The nights of a Fitbit / Google sleep CSV, oldest first; one per night (the longest)."""
    zone_of(timezone)
    counted = io.BufferedReader(_Counting(source, _size(source), progress))
    text = io.TextIOWrapper(counted, encoding="utf-8-sig", errors="replace", newline="")
    nights: dict[date, Night] = {}
    try:
        for row in _fitbit_rows(text):
            night = _fitbit_night(row, timezone)
            if night is None:
                continue
            known = nights.get(night.night_of)
            if (
                known is None
                or night.out_of_bed - night.bed_time > known.out_of_bed - known.bed_time
            ):
                nights[night.night_of] = night
    except InvalidInput:
        raise
    except (ValueError, KeyError, csv.Error) as broken:
        raise InvalidInput(
            "A row of this CSV has a time or number we can't read; nothing was imported."
        ) from broken
    return [nights[day] for day in sorted(nights)]
