"""Cells of an exported CSV: one text form per type, safe to open in a spreadsheet.

Times are stored as naive UTC; they are written in the person's time zone as ISO 8601 with the
offset (`2026-03-29T09:30:00+02:00`), so each reads as local time and is still exact. A text
cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
carriage return) gets a leading apostrophe, as OWASP's "CSV Injection" page advises; quoting
is the csv module's.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Final
from zoneinfo import ZoneInfo

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """`text` made inert for spreadsheets: a leading apostrophe when it starts like a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: object, zone: ZoneInfo) -> str:
    """The CSV text of one value; numbers stay numbers, text is neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(zone).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        raise TypeError("binary values are never exported")
    return neutralise(str(value))


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """UTF-8 CSV with a header row, quoted by the csv module (RFC 4180 style)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
