"""The mood import parsers: Daylio and own-format examples, hostile files, and properties."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InvalidInput
from core.mood import EMOTIONS, LIST_SEPARATOR, MAX_NOTE_CHARS, MOOD_CSV_COLUMNS, clean_tag
from core.mood_import import MAX_FILE_BYTES, parse, parse_tags, read_upload

NOW = datetime(2026, 12, 3, 12, 0)
DAYLIO_HEADER = "full_date,date,weekday,time,mood,activities,note_title,note\n"


def _parse(text: str, timezone: str = "Europe/London"):  # type: ignore[no-untyped-def]
    return parse(text, timezone=timezone, now=NOW)


def test_a_daylio_export_maps_moods_times_activities_and_notes() -> None:
    parsed = _parse(
        DAYLIO_HEADER
        + '2024-07-05,July 5,Friday,9:35 PM,rad,walk | friends,Beach,"Sun,<br>sea"\n'
        + "2024-01-04,January 4,Thursday,08:10,awful,,,\n"
    )
    assert parsed.format == "daylio" and parsed.rejected == ()
    first, second = parsed.rows
    assert first.draft.score == 10 and first.draft.activities == ("walk", "friends")
    assert first.draft.note == "Beach\nSun,\nsea"
    assert first.logged_at == datetime(2024, 7, 5, 20, 35)  # 21:35 BST is 20:35 UTC
    assert second.draft.score == 2 and second.logged_at == datetime(2024, 1, 4, 8, 10)  # GMT


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("2024-03-05,x,x,21:00,ecstatic,,,", "custom moods"),
        ("2024-02-30,x,x,21:00,good,,,", "full_date"),
        ("yesterday,x,x,21:00,good,,,", "full_date"),
        ("2024-03-05,x,x,25:99,good,,,", "time"),
        ("2030-03-05,x,x,21:00,good,,,", "future"),
        ("2024-03-05,x,x,21:00,good", "cells"),
    ],
)
def test_a_bad_daylio_row_is_rejected_with_its_line_and_reason(row: str, reason: str) -> None:
    parsed = _parse(DAYLIO_HEADER + "2024-03-04,x,x,20:00,meh,,,\n" + row + "\n")
    assert len(parsed.rows) == 1
    [rejected] = parsed.rejected
    assert rejected.line == 3 and reason in rejected.reason


def test_wrong_columns_are_refused_naming_the_expected_ones() -> None:
    with pytest.raises(InvalidInput, match="full_date, date, weekday"):
        _parse("date,feeling\n2024-01-01,good\n")


def test_an_unclosed_quote_is_refused_kindly() -> None:
    with pytest.raises(InvalidInput, match="well-formed"):
        _parse(DAYLIO_HEADER + '2024-03-04,x,x,20:00,meh,,,"never closed\n')


def test_own_csv_undoes_the_exports_formula_guard() -> None:
    header = ",".join(MOOD_CSV_COLUMNS) + "\n"
    parsed = _parse(header + "2026-03-29T02:30:00+01:00,7,calm | happy,'=walk,Sam,'-1 day\n")
    [row] = parsed.rows
    assert row.draft.activities == ("=walk",) and row.draft.note == "-1 day"
    assert row.logged_at == datetime(2026, 3, 29, 1, 30)


def test_the_export_tag_list_names_the_entries_tags() -> None:
    tags = parse_tags(
        "id,user_id,kind,name,created_at\na1,u,activity,walk,x\np1,u,people,'@Sam,x\n"
    )
    assert tags == {"a1": ("activity", "walk"), "p1": ("people", "@Sam")}
    parsed = parse(
        "id,user_id,score,emotions,tags,note,logged_at\n"
        'e1,u,7,"calm,happy","a1,p1,gone",,2026-03-01T10:00:00+00:00\n',
        timezone="UTC",
        now=NOW,
        tag_names=tags,
    )
    [row] = parsed.rows
    assert parsed.format == "export" and row.draft.emotions == ("calm", "happy")
    assert (row.draft.activities, row.draft.people) == (("walk",), ("@Sam",))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"x" * (MAX_FILE_BYTES + 1), "larger than 5 MB"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "isn't a text CSV"),
        (b"score\n\xff\xfe\xfa", "isn't a UTF-8"),
        (b"PK\x03\x04 not really a zip", "can't be opened"),
    ],
)
def test_unusable_files_are_refused_before_any_row_is_read(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        read_upload(data)


def test_a_zip_bomb_stops_after_the_limit() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mood.csv", b"0" * (60 * 1024 * 1024))  # 60 MB of zeros, ~60 KB zipped
    assert len(buffer.getvalue()) < MAX_FILE_BYTES
    with pytest.raises(InvalidInput, match="Unzipped, that file is larger"):
        read_upload(buffer.getvalue())


def test_a_zip_with_the_export_reads_its_mood_and_tags() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("README.txt", "x")
        archive.writestr("journal_entries.csv", "a,b\n")
        archive.writestr("mood_entries.csv", "id,score\n")
        archive.writestr("mood_tags.csv", "id,kind,name\n")
    upload = read_upload(buffer.getvalue())
    assert upload.text == "id,score\n" and upload.tags_text == "id,kind,name\n"


# --- properties ---------------------------------------------------------------------------------

_TAG = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp"), blacklist_characters="|"
    ),
    min_size=1,
    max_size=12,
).filter(lambda tag: tag.strip()[:1] != "'" and bool(tag.strip()))
_ROW = st.fixed_dictionaries(
    {
        "moment": st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2026, 12, 1)).map(
            lambda moment: moment.replace(microsecond=0)
        ),
        "score": st.integers(1, 10),
        "emotions": st.lists(st.sampled_from(EMOTIONS), unique=True, max_size=4),
        "activities": st.lists(_TAG, max_size=3, unique_by=str.casefold),
        "people": st.lists(_TAG, max_size=2, unique_by=str.casefold),
        "note": st.text(max_size=80).map(str.strip).filter(lambda text: text[:1] != "'"),
    }
)


def _own_csv(rows: list[dict[str, Any]], zone: ZoneInfo) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(MOOD_CSV_COLUMNS)
    for row in rows:
        moment = row["moment"]
        writer.writerow(
            [
                moment.replace(tzinfo=UTC).astimezone(zone).isoformat(),
                row["score"],
                LIST_SEPARATOR.join(row["emotions"]),
                LIST_SEPARATOR.join(row["activities"]),
                LIST_SEPARATOR.join(row["people"]),
                row["note"],
            ]
        )
    return buffer.getvalue()


@settings(max_examples=60, deadline=None)
@given(st.lists(_ROW, max_size=8), st.sampled_from(["UTC", "Europe/London", "Asia/Kolkata"]))
def test_own_csv_round_trips_every_row(rows: list[dict[str, Any]], timezone: str) -> None:
    parsed = parse(_own_csv(rows, ZoneInfo(timezone)), timezone=timezone, now=NOW)
    assert parsed.rejected == ()
    for original, got in zip(rows, parsed.rows, strict=True):
        assert got.logged_at == original["moment"]
        assert got.draft.score == original["score"]
        assert list(got.draft.emotions) == original["emotions"]
        assert list(got.draft.activities) == [clean_tag(tag) for tag in original["activities"]]
        assert list(got.draft.people) == [clean_tag(tag) for tag in original["people"]]
        assert got.draft.note == original["note"]


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2_000))
def test_any_bytes_are_parsed_or_refused_kindly(data: bytes) -> None:
    try:
        upload = read_upload(data)
        parsed = parse(upload.text, timezone="UTC", now=NOW)
    except InvalidInput:
        return
    assert all(1 <= row.draft.score <= 10 for row in parsed.rows)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.text(max_size=20), min_size=0, max_size=9),
        max_size=6,
    )
)
def test_any_daylio_shaped_rows_become_entries_or_reasons(cells: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(cells)
    try:
        parsed = parse(DAYLIO_HEADER + buffer.getvalue(), timezone="Europe/London", now=NOW)
    except InvalidInput:
        return
    for row in parsed.rows:
        assert row.logged_at <= NOW + timedelta(minutes=1)
        assert len(row.draft.note) <= MAX_NOTE_CHARS
    assert all(rejected.reason for rejected in parsed.rejected)
