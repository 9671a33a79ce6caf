"""Sleep-diary metrics with worked examples: midnight, time zones and both DST nights."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from core.errors import InvalidInput
from core.sleep.diary import DiaryInput, Night, last_before
from core.sleep.metrics import (
    by_week,
    clock_label,
    duration_label,
    night_metrics,
    summarise,
    wake_time_sd,
)
from tests.factories import diary_entry as entry


def test_a_night_across_midnight_worked_example() -> None:
    # In bed 22:45, lights out 23:00, 20 min to fall asleep, 30 min awake, awake 06:30, up 06:45.
    metrics = night_metrics(entry().night())
    assert metrics.time_in_bed == 8 * 60  # 22:45 -> 06:45
    # 23:00 -> 06:30 is 450 min; less 20 and 30 is 400 min asleep.
    assert metrics.total_sleep == 400
    assert metrics.efficiency == pytest.approx(100 * 400 / 480)  # 83.3 %
    assert (metrics.onset_latency, metrics.waso) == (20, 30)
    assert metrics.wake_clock == 6 * 60 + 30
    assert metrics.bed_clock == 22 * 60 + 45


def test_a_bedtime_after_midnight_belongs_to_the_evening_before() -> None:
    night = entry(clocks=("00:30", "00:40", "07:40", "08:00"), latency=0, wake_minutes=0).night()
    assert night.bed_time == datetime(2026, 3, 3, 0, 30)  # London is UTC+0 in March
    metrics = night_metrics(night)
    assert (metrics.time_in_bed, metrics.total_sleep) == (450, 420)
    assert metrics.bed_clock == 24 * 60 + 30  # 00:30 after the evening's midnight


def test_spring_forward_night_is_an_hour_shorter_in_bed() -> None:
    # London, 29 March 2026: clocks go 01:00 -> 02:00. 23:00 -> 07:00 is 7 real hours.
    night = entry(date(2026, 3, 28), ("23:00", "23:00", "07:00", "07:00"), latency=0,
                  wake_minutes=0).night()  # fmt: skip
    metrics = night_metrics(night)
    assert metrics.time_in_bed == 7 * 60
    assert metrics.total_sleep == 7 * 60
    assert metrics.wake_clock == 7 * 60  # still 07:00 on the wall
    assert night.wake_time == datetime(2026, 3, 29, 6, 0)  # 07:00 BST is 06:00 UTC


def test_fall_back_night_is_an_hour_longer_in_bed() -> None:
    # New York, 1 November 2026: clocks go 02:00 -> 01:00. 23:00 -> 07:00 is 9 real hours.
    night = entry(date(2026, 10, 31), ("23:00", "23:30", "07:00", "07:00"), latency=15,
                  wake_minutes=15, timezone="America/New_York").night()  # fmt: skip
    metrics = night_metrics(night)
    assert metrics.time_in_bed == 9 * 60
    assert metrics.total_sleep == 8.5 * 60 - 30
    assert metrics.efficiency == pytest.approx(100 * 480 / 540)
    assert night.bed_time == datetime(2026, 11, 1, 3, 0)  # 23:00 EDT
    assert night.wake_time == datetime(2026, 11, 1, 12, 0)  # 07:00 EST


def test_the_same_clock_times_in_another_zone_are_the_same_night_in_length() -> None:
    tokyo = night_metrics(entry(timezone="Asia/Tokyo").night())
    london = night_metrics(entry().night())
    assert (tokyo.time_in_bed, tokyo.total_sleep, tokyo.wake_clock) == (
        london.time_in_bed, london.total_sleep, london.wake_clock,
    )  # fmt: skip
    assert entry(timezone="Asia/Tokyo").night().bed_time == datetime(2026, 3, 2, 13, 45)


def test_regularity_is_the_sample_sd_of_the_wake_clock_time() -> None:
    # Wake at 06:00, 07:00 and 08:00: mean 07:00, sample SD 60 minutes.
    nights = [
        night_metrics(entry(date(2026, 3, d), ("23:00", "23:00", w, w)).night())
        for d, w in ((2, "06:00"), (3, "07:00"), (4, "08:00"))
    ]
    assert wake_time_sd(nights) == pytest.approx(60)
    assert wake_time_sd(nights[:1]) is None


def test_waking_at_seven_every_day_is_regular_across_a_dst_change() -> None:
    nights = [
        night_metrics(entry(date(2026, 3, d), ("23:00", "23:00", "07:00", "07:00")).night())
        for d in (27, 28, 29)
    ]
    assert wake_time_sd(nights) == 0


def test_weekly_summaries_average_each_iso_week() -> None:
    monday, sunday, next_monday = date(2026, 3, 2), date(2026, 3, 8), date(2026, 3, 9)
    nights = [
        night_metrics(entry(monday, ("23:00", "23:00", "07:00", "07:00"), latency=0,
                            wake_minutes=0).night()),
        night_metrics(entry(sunday, ("23:00", "23:00", "05:00", "07:00"), latency=0,
                            wake_minutes=0).night()),
        night_metrics(entry(next_monday).night()),
    ]  # fmt: skip
    first, second = by_week(nights)
    assert (first.start, first.nights, second.start, second.nights) == (monday, 2, next_monday, 1)
    assert first.total_sleep == (480 + 360) / 2
    assert first.efficiency == pytest.approx((100 + 75) / 2)
    assert first.wake_sd == pytest.approx(60 * 2**0.5)  # 07:00 and 05:00: ±60 min, n-1 = 1
    assert summarise(nights[:1], monday).wake_sd is None


def test_drinks_are_counted_back_from_bedtime() -> None:
    bed = datetime(2026, 3, 3, 0, 30)
    assert last_before(bed, time(16, 0)) == datetime(2026, 3, 2, 16, 0)
    assert last_before(bed, time(0, 10)) == datetime(2026, 3, 3, 0, 10)
    night = entry(caffeine_drinks=2, caffeine_last=datetime(2026, 3, 2, 17, 45)).night()
    assert night_metrics(night).caffeine_hours_before_bed == 5.0
    assert (
        night_metrics(
            entry(caffeine_last=datetime(2026, 3, 2, 17, 0)).night()
        ).caffeine_hours_before_bed
        is None
    )  # no drinks: the time is ignored


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"clocks": ("11:00", "11:00", "07:00", "07:00")}, "20 hours"),  # a 20-hour night
        ({"latency": -5}, "negative"),
        ({"wake_minutes": -1}, "negative"),
        ({"awakenings": -2}, "negative"),
        ({"latency": 400, "wake_minutes": 100}, "add up"),
        ({"quality": 0}, "from 1"),
        ({"quality": True}, "from 1"),
        ({"timezone": "Mars/Olympus"}, "time zone"),
        ({"note": "x" * 2001}, "2,000"),
    ],
)
def test_bad_entries_get_a_kind_message(changes: dict[str, object], words: str) -> None:
    bad = entry(**changes)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match=words):
        bad.night()
        bad.clean_note()


def test_wake_before_bed_is_refused_with_a_message_that_says_so() -> None:
    good = entry()
    bad = DiaryInput(
        good.night_of, good.timezone, good.bed_time, good.lights_out, 10, 0, 0,
        datetime(2026, 3, 2, 21, 0), datetime(2026, 3, 2, 21, 30), 3,
    )  # fmt: skip
    with pytest.raises(InvalidInput, match="wake time is before your bedtime"):
        bad.night()


def test_labels() -> None:
    assert clock_label(450) == "07:30" and clock_label(-30) == "23:30"
    assert clock_label(24 * 60 + 30) == "00:30"
    assert duration_label(425) == "7 h 05 min"


def test_stored_night_round_trips_its_fields() -> None:
    assert set(Night.__slots__) >= {"bed_time", "wake_minutes", "caffeine_last", "source"}
