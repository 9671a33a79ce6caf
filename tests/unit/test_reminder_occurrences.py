"""Occurrences of a schedule: one per matching local day, whatever DST does."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from core.errors import InvalidInput
from core.reminders.occurrences import Recurrence


def _daily(clock: str, zone: str, **quiet: str) -> Recurrence:
    return Recurrence.parse(time_of_day=clock, days_of_week="0123456", timezone=zone, **quiet)


def _local(moments: list[datetime], zone: str) -> list[str]:
    from datetime import UTC
    from zoneinfo import ZoneInfo

    return [
        m.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).strftime("%m-%d %H:%M %Z") for m in moments
    ]


@pytest.mark.parametrize(
    ("zone", "gap_clock", "start", "end", "gap_day"),
    [
        ("Europe/London", "01:30", datetime(2026, 3, 27), datetime(2026, 3, 31), "03-29"),
        ("America/New_York", "02:30", datetime(2026, 3, 6), datetime(2026, 3, 10), "03-08"),
    ],
)
def test_spring_forward_gap_time_fires_once_on_that_day_just_after_the_gap(
    zone: str, gap_clock: str, start: datetime, end: datetime, gap_day: str
) -> None:
    found = list(_daily(gap_clock, zone).occurrences(start, end))
    days = [label[:5] for label in _local(found, zone)]
    assert len(days) == len(set(days)) == 4  # one per local date, none skipped
    assert gap_day in days
    on_gap_day = next(
        m for m, d in zip(found, _local(found, zone), strict=True) if d[:5] == gap_day
    )
    # the wall-clock time did not exist; it fires one hour later on the clock, not skipped
    assert _local([on_gap_day], zone)[0][6:11] == f"{int(gap_clock[:2]) + 1:02d}{gap_clock[2:]}"


@pytest.mark.parametrize(
    ("zone", "start", "end", "overlap_day"),
    [
        ("Europe/London", datetime(2026, 10, 23), datetime(2026, 10, 27), "10-25"),
        ("America/New_York", datetime(2026, 10, 30), datetime(2026, 11, 3), "11-01"),
    ],
)
def test_fall_back_repeated_time_fires_once_at_its_first_occurrence(
    zone: str, start: datetime, end: datetime, overlap_day: str
) -> None:
    found = list(_daily("01:30", zone).occurrences(start, end))
    labels = _local(found, zone)
    assert [label[:5] for label in labels].count(overlap_day) == 1
    assert len(found) == 4
    first = next(label for label in labels if label.startswith(overlap_day))
    assert first[6:11] == "01:30"
    assert first.endswith(("BST", "EDT"))  # summer time: the first of the two 01:30s


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York"])
def test_an_ordinary_time_keeps_its_wall_clock_across_both_switches(zone: str) -> None:
    rule = _daily("09:00", zone)
    found = list(rule.occurrences(datetime(2026, 1, 1), datetime(2027, 1, 1)))
    assert len(found) == 365
    assert {label[6:11] for label in _local(found, zone)} == {"09:00"}
    gaps = {b - a for a, b in zip(found, found[1:], strict=False)}
    assert gaps == {timedelta(hours=23), timedelta(hours=24), timedelta(hours=25)}


def test_only_the_chosen_weekdays_fire() -> None:
    rule = Recurrence.parse(time_of_day="08:00", days_of_week="03", timezone="Europe/London")
    found = list(rule.occurrences(datetime(2026, 6, 1), datetime(2026, 6, 15)))
    assert [m.weekday() for m in found] == [0, 3, 0, 3]


def test_next_after_is_strictly_later() -> None:
    rule = _daily("08:00", "UTC")
    assert rule.next_after(datetime(2026, 6, 1, 8, 0)) == datetime(2026, 6, 2, 8, 0)
    assert rule.next_after(datetime(2026, 6, 1, 7, 59)) == datetime(2026, 6, 1, 8, 0)


def test_quiet_hours_hold_a_reminder_until_they_end_even_over_midnight() -> None:
    rule = _daily("23:30", "Europe/London", quiet_start="22:00", quiet_end="07:00")
    occurrence = rule.next_after(datetime(2026, 7, 1))
    assert _local([rule.due_at(occurrence)], "Europe/London") == ["07-02 07:00 BST"]
    daytime = _daily("12:00", "Europe/London", quiet_start="22:00", quiet_end="07:00")
    moment = daytime.next_after(datetime(2026, 7, 1))
    assert daytime.due_at(moment) == moment


@pytest.mark.parametrize(
    "fields",
    [
        {"time_of_day": "25:00"},
        {"time_of_day": "nine"},
        {"days_of_week": ""},
        {"days_of_week": "7"},
        {"days_of_week": "00"},
        {"timezone": "Mars/Olympus"},
        {"quiet_start": "22:00"},
        {"quiet_start": "22:00", "quiet_end": "22:00"},
    ],
)
def test_bad_schedule_fields_are_refused_kindly(fields: dict[str, str]) -> None:
    values = {"time_of_day": "09:00", "days_of_week": "0123456", "timezone": "UTC"} | fields
    with pytest.raises(InvalidInput):
        Recurrence.parse(**values)
