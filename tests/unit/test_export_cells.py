"""Export cells: formula injection neutralised (OWASP), times with offsets, CSV quoting."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.export.csvcells import cell, csv_bytes, neutralise

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        '=HYPERLINK("http://x.example","click")',
        "+1 555",
        "-2+3",
        "@SUM(A1:A2)",
        "\tindent",
        "\rcarriage",
    ],
)
def test_a_cell_a_spreadsheet_would_run_gets_a_leading_apostrophe(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert cell(text, PARIS) == "'" + text


@pytest.mark.parametrize("text", ["", "hello", "1+1=2", " =not first", "'quoted", "😊 ok", "שלום"])
def test_ordinary_text_is_left_as_written(text: str) -> None:
    assert neutralise(text) == text


def test_numbers_stay_numbers_even_when_negative() -> None:
    assert cell(-0.4215, PARIS) == "-0.4215"
    assert cell(7, PARIS) == "7"
    assert cell(True, PARIS) == "true" and cell(False, PARIS) == "false"
    assert cell(None, PARIS) == ""


def test_times_are_iso_8601_in_the_persons_zone_with_the_offset_dst_included() -> None:
    winter = datetime(2026, 1, 15, 8, 30)  # naive UTC, as stored
    summer = datetime(2026, 7, 15, 8, 30)
    assert cell(winter, PARIS) == "2026-01-15T09:30:00+01:00"
    assert cell(summer, PARIS) == "2026-07-15T10:30:00+02:00"
    assert datetime.fromisoformat(cell(summer, PARIS)) == summer.replace(tzinfo=ZoneInfo("UTC"))
    assert cell(date(2026, 3, 29), PARIS) == "2026-03-29"


def test_binary_values_are_never_written() -> None:
    with pytest.raises(TypeError):
        cell(b"\x00secret", PARIS)


def test_commas_quotes_and_newlines_survive_a_round_trip_through_a_csv_reader() -> None:
    awkward = ["a, b", 'she said "hi"', "two\nlines", "=cmd", "emoji 🌧️"]
    data = csv_bytes(["one", "two", "three", "four", "five"], [[cell(v, PARIS) for v in awkward]])
    header, row = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert header == ["one", "two", "three", "four", "five"]
    assert row == ["a, b", 'she said "hi"', "two\nlines", "'=cmd", "emoji 🌧️"]
