"""Coaching rules chosen by the person's numbers, and the sleep-window rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from core.sleep.coaching import (
    CLINICIAN_NOTE,
    MIN_WINDOW_MINUTES,
    WINDOW_CAUTION,
    advise,
    sleep_window,
)
from core.sleep.metrics import NightMetrics


def night(
    day: int = 0,
    *,
    asleep: float = 450,
    in_bed: float = 480,
    wake: float = 420,
    bed: float = 23 * 60,
    onset: float = 10,
    waso: float = 20,
    naps: int = 0,
    caffeine: float | None = None,
    alcohol: float | None = None,
) -> NightMetrics:
    """A night's metrics as the diary would derive them (minutes; clock times after midnight)."""
    return NightMetrics(
        night_of=date(2026, 3, 1) + timedelta(days=day),
        time_in_bed=in_bed,
        total_sleep=asleep,
        efficiency=100 * asleep / in_bed,
        onset_latency=onset,
        waso=waso,
        wake_clock=wake,
        bed_clock=bed,
        quality=3,
        nap_minutes=naps,
        caffeine_hours_before_bed=caffeine,
        alcohol_hours_before_bed=alcohol,
    )


GOOD_WEEK = [night(day) for day in range(7)]


def keys(nights: list[NightMetrics]) -> list[str]:
    return [advice.key for advice in advise(nights)]


def test_a_good_week_needs_no_coaching() -> None:
    assert keys(GOOD_WEEK) == []


def test_too_few_nights_get_neither_advice_nor_a_window() -> None:
    poor = [night(day, asleep=300) for day in range(4)]
    assert advise(poor) == [] and sleep_window(poor) is None


def test_low_efficiency_calls_for_stimulus_control_with_the_persons_numbers() -> None:
    poor = [night(day, asleep=360, in_bed=480) for day in range(7)]  # 75 %
    [advice] = advise(poor)
    assert advice.key == "stimulus_control" and advice.guide_id == "sleep-stimulus-control"
    assert "6 h 00 min of 8 h 00 min" in advice.why and "75%" in advice.why
    assert "7 nights" in advice.why


def test_an_irregular_wake_time_calls_for_a_fixed_rise_time() -> None:
    nights = [night(day, wake=wake) for day, wake in enumerate([360, 420, 540, 390, 600, 420])]
    [advice] = advise(nights)
    assert advice.key == "fixed_rise_time"
    assert "between 06:00 and 10:00" in advice.why
    assert "07:00" in advice.action  # the median wake time, to the quarter hour


def test_late_caffeine_calls_for_a_cut_off_eight_hours_before_usual_bedtime() -> None:
    nights = GOOD_WEEK[:4] + [night(day, caffeine=hours) for day, hours in ((5, 4), (6, 6.5))]
    [advice] = advise(nights)
    assert advice.key == "caffeine_cutoff"
    assert "On 2 of your last 6 nights" in advice.why and "closest 4 hours" in advice.why
    assert "after 15:00" in advice.action
    assert keys(GOOD_WEEK[:5] + [night(6, caffeine=4)]) == []  # once is not a pattern


def test_alcohol_near_bed_and_long_naps_are_named() -> None:
    nights = GOOD_WEEK[:3] + [night(d, alcohol=1.5, waso=60, naps=90) for d in (4, 5)]
    assert keys(nights) == ["alcohol_near_bed", "short_naps"]
    alcohol, naps = advise(nights)
    assert "60 minutes" in alcohol.why and "up to 90 minutes" in naps.why


def test_long_onset_calls_for_a_wind_down() -> None:
    nights = [night(day, onset=45) for day in range(5)]
    assert keys(nights) == ["wind_down"]


def test_sleep_window_is_the_average_total_sleep_anchored_on_the_usual_wake_time() -> None:
    nights = [night(day, asleep=asleep, wake=420) for day, asleep in enumerate(
        [380, 400, 410, 390, 420, 400, 400])]  # fmt: skip  # mean 400 -> 6 h 45 (rounded)
    window = sleep_window(nights)
    assert window is not None
    assert (window.minutes, window.wake_clock, window.bed_clock) == (405, 420, 15)
    assert not window.floored
    assert "6 h 40 min" in window.describe() and "00:15" in window.describe()


def test_sleep_window_never_goes_below_five_and_a_half_hours() -> None:
    nights = [night(day, asleep=240) for day in range(7)]
    window = sleep_window(nights)
    assert window is not None
    assert window.minutes == MIN_WINDOW_MINUTES == 330 and window.floored
    assert (window.bed_clock, window.wake_clock) == (90, 420)  # 01:30 to 07:00
    assert "5.5-hour minimum" in window.describe()


@pytest.mark.parametrize("words", ["bipolar", "epilepsy", "driving"])
def test_the_caution_names_who_should_not_restrict_sleep(words: str) -> None:
    assert words in WINDOW_CAUTION


def test_the_clinician_note_names_three_months() -> None:
    assert "three months" in CLINICIAN_NOTE


def test_advice_order_puts_efficiency_first() -> None:
    nights = [replace(night(day, asleep=300, onset=60)) for day in range(6)]
    assert keys(nights) == ["stimulus_control", "wind_down"]
