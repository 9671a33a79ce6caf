"""Builders for test data."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from core.auth import AuthUser
from core.bootstrap import App
from core.sleep.diary import DiaryInput, from_clock_times

GOOD_PASSWORD = "quiet river lantern 42"
_counter = itertools.count()


def make_user(app: App, name: str | None = None, password: str = GOOD_PASSWORD) -> AuthUser:
    """Register a user with a valid password."""
    username = name or f"user{next(_counter)}"
    return app.auth.register(username=username, password=password, display_name=username.title())


def diary_entry(
    night_of: date = date(2026, 3, 2),
    clocks: tuple[str, str, str, str] = ("22:45", "23:00", "06:30", "06:45"),
    *,
    timezone: str = "Europe/London",
    latency: int = 20,
    awakenings: int = 2,
    wake_minutes: int = 30,
    quality: int = 3,
    **more: object,
) -> DiaryInput:
    """A diary entry typed as clock times, placed the way the page places them."""
    moments = from_clock_times(night_of, [time.fromisoformat(c) for c in clocks])
    bed, lights, wake, up = moments
    return DiaryInput(
        night_of, timezone, bed, lights, latency, awakenings, wake_minutes, wake, up, quality,
        **more,  # type: ignore[arg-type]
    )  # fmt: skip


def breathing_audio(
    bpm: float,
    *,
    seconds: float,
    rate: int,
    noise: float = 0.3,
    jitter: float = 0.0,
    seed: int = 0,
) -> NDArray[np.float64]:
    """Synthetic breath sound: airflow noise loud on the way out, softer in, quiet at the turns,
    over background noise (`noise` is its level against the loudest breath)."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    # The phase advances at the breathing rate, wobbling by `jitter` (fraction of the rate).
    wobble = 1 + jitter * np.sin(2 * np.pi * t / 23.0)
    phase = np.cumsum(np.full(len(t), bpm / 60 / rate) * wobble) % 1.0
    flow = np.sin(2 * np.pi * phase)  # > 0 breathing in, < 0 breathing out
    loudness = np.where(flow > 0, 0.45 * flow, -flow) ** 1.5
    breath = rng.normal(0, 1, len(t)) * loudness
    return breath + rng.normal(0, noise, len(t))


_APPLE_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record type CDATA #REQUIRED value CDATA #IMPLIED>
]>
<HealthData locale="en_GB">
 <ExportDate value="2026-03-10 08:00:00 +0000"/>
 <Me HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexNotSet"/>
"""
_APPLE_STAGES = ("AsleepCore", "AsleepDeep", "AsleepCore", "AsleepREM", "Awake", "AsleepCore")


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S +0000")


def _filler(moment: datetime, n: int) -> str:
    kind, unit = (
        ("HKQuantityTypeIdentifierStepCount", "count")
        if n % 2
        else ("HKQuantityTypeIdentifierHeartRate", "count/min")
    )
    return (
        f' <Record type="{kind}" sourceName="Watch" sourceVersion="10.1" device="&lt;&lt;HKDevice'
        f'&gt;&gt;, name:Apple Watch" unit="{unit}" creationDate="{_stamp(moment)}" '
        f'startDate="{_stamp(moment)}" endDate="{_stamp(moment + timedelta(minutes=1))}" '
        f'value="{60 + n % 40}"/>\n'
    )


def _night(start: datetime, old: bool) -> str:
    def record(value: str, begin: datetime, end: datetime) -> str:
        return (
            ' <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Watch" '
            f'value="HKCategoryValueSleepAnalysis{value}" startDate="{_stamp(begin)}" '
            f'endDate="{_stamp(end)}"/>\n'
        )

    if old:
        return record("InBed", start, start + timedelta(hours=8)) + record(
            "Asleep", start + timedelta(minutes=20), start + timedelta(hours=7, minutes=40)
        )
    parts, moment = [], start
    for stage in _APPLE_STAGES * 3:
        end = moment + timedelta(minutes=25)
        parts.append(record(stage, moment, end))
        moment = end
    return "".join(parts)


def write_apple_health_export(path: Path, megabytes: int) -> int:
    """Write a synthetic Apple Health export.xml of about `megabytes` MB (10**6 bytes): a day
    of step-count and heart-rate records as the bulk before each night of sleep records (old
    and new stage values). Returns the nights in it. The bench and the browser test use it."""
    target = megabytes * 1_000_000
    start = datetime(2023, 3, 1, 22, 30)
    # One block of other records, written before every night: the importer reads and drops them
    # all the same, and writing stays fast for a file of hundreds of MB.
    filler = "".join(_filler(start + timedelta(minutes=i), i) for i in range(1200))
    nights, written = 0, 0
    with path.open("w", encoding="utf-8") as out:
        written += out.write(_APPLE_HEAD)
        while written < target:
            day = start + timedelta(days=nights)
            written += out.write(filler + _night(day, old=nights % 3 == 0))
            nights += 1
        out.write("</HealthData>\n")
    return nights
