"""Coaching in the CBT-I tradition, chosen by a person's own diary and explained with it.

Each rule looks at the last two weeks of nights and, when it fires, says which of the person's
numbers made it fire, what to try, and which knowledge-base guide says more. The suggested sleep
window is the two weeks' average total sleep time (never below 5.5 hours), anchored on the
person's usual wake time, with the cautions sleep restriction needs.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.sleep.metrics import NightMetrics, clock_label, duration_label, wake_time_sd

WINDOW_DAYS = 14
MIN_NIGHTS = 5  # fewer nights say too little to coach on
LOW_EFFICIENCY = 85.0  # per cent; the usual CBT-I threshold
IRREGULAR_WAKE_SD = 45.0  # minutes
CAFFEINE_HOURS = 8.0  # caffeine's half-life is about 5 h; 8 h leaves a quarter or less
ALCOHOL_HOURS = 3.0
LONG_NAP_MINUTES = 30
LONG_ONSET_MINUTES = 30.0
MIN_WINDOW_MINUTES = 330  # 5.5 hours: a sleep window never goes below this
_ROUND = 15  # windows and times in quarter hours

WINDOW_CAUTION = (
    "Shortening your time in bed makes you sleepier for the first week or two. Don't do it if "
    "you have bipolar disorder or epilepsy (too little sleep can trigger an episode or a "
    "seizure), or if you must stay alert for driving, machinery or safety-critical work; and "
    "stop if you feel unsafe. It is best done with a clinician or a structured CBT-I programme."
)
CLINICIAN_NOTE = (
    "If poor sleep has been going on for three months or more, or you are very sleepy in the "
    "day, see a doctor or clinician: they can check for other causes and offer CBT for insomnia."
)


@dataclass(frozen=True, slots=True)
class Advice:
    """One piece of coaching: why (the person's numbers), what to try, the guide to read."""

    key: str
    title: str
    why: str
    action: str
    guide_id: str


@dataclass(frozen=True, slots=True)
class SleepWindow:
    """A suggested time in bed: from `bed_clock` to `wake_clock` (minutes after midnight)."""

    minutes: int
    bed_clock: int
    wake_clock: int
    average_sleep: float
    nights: int
    floored: bool  # the average was below 5.5 hours, so the window was raised to it

    def describe(self) -> str:
        """One sentence with the numbers it comes from."""
        floor = " (raised to the 5.5-hour minimum)" if self.floored else ""
        return (
            f"You slept on average {duration_label(self.average_sleep)} over your last "
            f"{self.nights} nights, so a window of {duration_label(self.minutes)}{floor}: in bed "
            f"at {clock_label(self.bed_clock)}, up at {clock_label(self.wake_clock)}, every day."
        )


def _round(minutes: float) -> int:
    return int(_ROUND * round(minutes / _ROUND))


def _hours(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _efficiency(nights: Sequence[NightMetrics]) -> Advice | None:
    efficiency = statistics.fmean(n.efficiency for n in nights)
    if efficiency >= LOW_EFFICIENCY:
        return None
    asleep = statistics.fmean(n.total_sleep for n in nights)
    in_bed = statistics.fmean(n.time_in_bed for n in nights)
    return Advice(
        "stimulus_control",
        "Make the bed a place for sleep again",
        f"Over your last {len(nights)} nights you slept {duration_label(asleep)} of "
        f"{duration_label(in_bed)} in bed: a sleep efficiency of {efficiency:.0f}%, below the "
        f"{LOW_EFFICIENCY:.0f}% that good sleepers reach. Long stretches awake in bed teach the "
        "brain that bed is a place to be awake.",
        "Go to bed only when sleepy; if you're awake for about 20 minutes, get up and do "
        "something calm in dim light, and go back when sleepy. Keep the bed for sleep.",
        "sleep-stimulus-control",
    )


def _regularity(nights: Sequence[NightMetrics]) -> Advice | None:
    spread = wake_time_sd(nights)
    if spread is None or spread <= IRREGULAR_WAKE_SD:
        return None
    clocks = [n.wake_clock for n in nights]
    usual = _round(statistics.median(clocks))
    return Advice(
        "fixed_rise_time",
        "Get up at the same time every day",
        f"Your wake time moved between {clock_label(min(clocks))} and "
        f"{clock_label(max(clocks))} over {len(nights)} nights (a standard deviation of "
        f"{spread:.0f} minutes). A body clock that shifts like that makes it harder to feel "
        "sleepy at the same time each night.",
        f"Choose one rise time, such as {clock_label(usual)}, and keep it seven days a week, "
        "weekends too, however you slept. Get daylight soon after.",
        "sleep-hygiene-basics",
    )


def _caffeine(nights: Sequence[NightMetrics]) -> Advice | None:
    late = [
        n.caffeine_hours_before_bed
        for n in nights
        if n.caffeine_hours_before_bed is not None and n.caffeine_hours_before_bed < CAFFEINE_HOURS
    ]
    if len(late) < 2:
        return None
    bedtime = statistics.median(n.bed_clock for n in nights)
    cutoff = _round(bedtime - CAFFEINE_HOURS * 60)
    return Advice(
        "caffeine_cutoff",
        "Set a caffeine cut-off",
        f"On {len(late)} of your last {len(nights)} nights your last caffeine was less than "
        f"{_hours(CAFFEINE_HOURS)} hours before bed (the closest {_hours(min(late))} hours). "
        "Caffeine's effect halves only about every five hours, so an afternoon coffee is still "
        "working at bedtime.",
        f"Try no coffee, tea, cola or energy drinks after {clock_label(cutoff)}, eight hours "
        "before your usual bedtime.",
        "sleep-naps-and-caffeine",
    )


def _alcohol(nights: Sequence[NightMetrics]) -> Advice | None:
    late = [
        n
        for n in nights
        if n.alcohol_hours_before_bed is not None and n.alcohol_hours_before_bed < ALCOHOL_HOURS
    ]
    if len(late) < 2:
        return None
    waso = statistics.fmean(n.waso for n in late)
    return Advice(
        "alcohol_near_bed",
        "Leave a gap between alcohol and bed",
        f"On {len(late)} of your last {len(nights)} nights you drank within "
        f"{_hours(ALCOHOL_HOURS)} hours of bed; on those nights you were awake "
        f"{waso:.0f} minutes in the night on average. Alcohol helps you drop off but breaks up "
        "the second half of the night.",
        "Keep alcohol to earlier in the evening, at least three hours before bed, and try a few "
        "alcohol-free nights to compare.",
        "sleep-hygiene-basics",
    )


def _naps(nights: Sequence[NightMetrics]) -> Advice | None:
    long_naps = [n.nap_minutes for n in nights if n.nap_minutes > LONG_NAP_MINUTES]
    if len(long_naps) < 2:
        return None
    return Advice(
        "short_naps",
        "Keep naps short and early",
        f"On {len(long_naps)} of your last {len(nights)} days you napped more than "
        f"{LONG_NAP_MINUTES} minutes (up to {max(long_naps)} minutes). Long naps use up the "
        "sleep pressure that helps you fall asleep at night.",
        "If you need a nap, keep it under 20-30 minutes and before 3 pm, or skip it while you "
        "work on your nights.",
        "sleep-naps-and-caffeine",
    )


def _onset(nights: Sequence[NightMetrics]) -> Advice | None:
    onset = statistics.fmean(n.onset_latency for n in nights)
    if onset <= LONG_ONSET_MINUTES:
        return None
    return Advice(
        "wind_down",
        "Give your mind time to wind down",
        f"It took you on average {onset:.0f} minutes to fall asleep over your last "
        f"{len(nights)} nights; more than {LONG_ONSET_MINUTES:.0f} minutes often means a busy "
        "mind at lights out.",
        "Set aside an hour before bed for calm, dim-light activities, and write worries down "
        "earlier in the evening with one next step for each.",
        "sleep-racing-thoughts-at-night",
    )


RULES: tuple[Callable[[Sequence[NightMetrics]], Advice | None], ...] = (
    _efficiency,
    _regularity,
    _caffeine,
    _alcohol,
    _naps,
    _onset,
)


def advise(nights: Sequence[NightMetrics]) -> list[Advice]:
    """The advice the last two weeks' nights call for, most important first; [] for too few."""
    if len(nights) < MIN_NIGHTS:
        return []
    return [advice for rule in RULES if (advice := rule(nights)) is not None]


def sleep_window(nights: Sequence[NightMetrics]) -> SleepWindow | None:
    """The suggested window from the average total sleep time (≥ 5.5 h); None for too few."""
    if len(nights) < MIN_NIGHTS:
        return None
    average = statistics.fmean(n.total_sleep for n in nights)
    minutes = max(_round(average), MIN_WINDOW_MINUTES)
    wake = _round(statistics.median(n.wake_clock for n in nights)) % (24 * 60)
    return SleepWindow(
        minutes=minutes,
        bed_clock=(wake - minutes) % (24 * 60),
        wake_clock=wake,
        average_sleep=average,
        nights=len(nights),
        floored=_round(average) < MIN_WINDOW_MINUTES,
    )
