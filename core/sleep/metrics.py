"""Sleep-diary metrics, as the Consensus Sleep Diary defines them.

- time in bed (TIB): from getting into bed to getting out of it;
- sleep-onset latency (SOL): minutes from lights out to falling asleep (as reported);
- wake after sleep onset (WASO): minutes awake between falling asleep and the final awakening;
- total sleep time (TST): lights out to final awakening, less SOL and WASO;
- sleep efficiency (SE): TST / TIB, in per cent;
- regularity: the standard deviation (sample, n-1) of the final wake time, as local clock time.

Durations come from UTC moments, so midnight and DST changes cost nothing; the wake clock time is
local, so waking at 07:00 every day is perfectly regular across a DST change.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from core.sleep.diary import Night, local


@dataclass(frozen=True, slots=True)
class NightMetrics:
    """The derived numbers of one night (minutes, and SE in per cent)."""

    night_of: date
    time_in_bed: float
    total_sleep: float
    efficiency: float
    onset_latency: float
    waso: float
    wake_clock: float  # minutes after the local midnight that ends the night (07:30 -> 450)
    bed_clock: float  # minutes after the local midnight that starts the night (23:00 -> 1380)
    quality: int | None
    nap_minutes: int
    caffeine_hours_before_bed: float | None
    alcohol_hours_before_bed: float | None


@dataclass(frozen=True, slots=True)
class PeriodSummary:
    """Averages over several nights (a week, or the last two weeks)."""

    start: date
    nights: int
    time_in_bed: float
    total_sleep: float
    efficiency: float
    onset_latency: float
    waso: float
    wake_sd: float | None  # None with fewer than two nights


def _minutes(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 60


def _hours_before(moment: datetime | None, bed: datetime) -> float | None:
    return None if moment is None else _minutes(moment, bed) / 60


def night_metrics(night: Night) -> NightMetrics:
    """TIB, TST, SE, SOL, WASO and the local wake and bed clock times of one night."""
    time_in_bed = _minutes(night.bed_time, night.out_of_bed)
    window = _minutes(night.lights_out, night.wake_time)
    total_sleep = max(0.0, window - night.sleep_latency_minutes - night.wake_minutes)
    wake_local = local(night.wake_time, night.timezone)
    bed_local = local(night.bed_time, night.timezone)
    morning = datetime.combine(night.night_of + timedelta(days=1), time())
    evening = datetime.combine(night.night_of, time())
    return NightMetrics(
        night_of=night.night_of,
        time_in_bed=time_in_bed,
        total_sleep=total_sleep,
        efficiency=100 * total_sleep / time_in_bed if time_in_bed > 0 else 0.0,
        onset_latency=float(night.sleep_latency_minutes),
        waso=float(night.wake_minutes),
        wake_clock=_minutes(morning, wake_local),
        bed_clock=_minutes(evening, bed_local),
        quality=night.quality,
        nap_minutes=night.nap_minutes,
        caffeine_hours_before_bed=_hours_before(night.caffeine_last, night.bed_time),
        alcohol_hours_before_bed=_hours_before(night.alcohol_last, night.bed_time),
    )


def wake_time_sd(nights: Iterable[NightMetrics]) -> float | None:
    """Standard deviation of the wake clock time in minutes; None with fewer than two nights."""
    clocks = [night.wake_clock for night in nights]
    return statistics.stdev(clocks) if len(clocks) >= 2 else None


def summarise(nights: Sequence[NightMetrics], start: date) -> PeriodSummary:
    """Averages of `nights` (at least one) and the regularity of their wake times."""

    def mean(values: Iterable[float]) -> float:
        return statistics.fmean(values)

    return PeriodSummary(
        start=start,
        nights=len(nights),
        time_in_bed=mean(n.time_in_bed for n in nights),
        total_sleep=mean(n.total_sleep for n in nights),
        efficiency=mean(n.efficiency for n in nights),
        onset_latency=mean(n.onset_latency for n in nights),
        waso=mean(n.waso for n in nights),
        wake_sd=wake_time_sd(nights),
    )


def by_week(nights: Sequence[NightMetrics]) -> list[PeriodSummary]:
    """One summary per ISO week (starting Monday) that has nights, oldest first."""
    weeks: dict[date, list[NightMetrics]] = {}
    for night in nights:
        monday = night.night_of - timedelta(days=night.night_of.weekday())
        weeks.setdefault(monday, []).append(night)
    return [summarise(weeks[monday], monday) for monday in sorted(weeks)]


def clock_label(minutes_after_midnight: float) -> str:
    """07:30 for 450; wraps around the day (−30 is 23:30)."""
    total = round(minutes_after_midnight) % (24 * 60)
    return f"{total // 60:02d}:{total % 60:02d}"


def duration_label(minutes: float) -> str:
    """'7 h 05 min' for 425."""
    whole = round(minutes)
    return f"{whole // 60} h {whole % 60:02d} min"
