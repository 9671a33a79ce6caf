"""The demo's sleep diary: 60 nights that improve over two months, with things to coach on.

Deterministic (a fixed random seed), placed relative to "now" in the demo person's time zone:
the first weeks have late coffee, long naps and low efficiency; the later weeks are better but
the wake time still drifts at weekends, so the coaching has something true to say.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from core.db.models import SleepLog, UserPreferences
from core.journal_forms import local_date
from core.sleep import fill_row
from core.sleep.diary import DiaryInput, from_clock_times, last_before
from core.store import UserUnit

NIGHTS = 60
NOTES = {
    3: "Kept going over the meeting in my head.",
    11: "Read for half an hour instead of scrolling. Helped.",
    25: "Woke at 4 and couldn't settle, got up like the guide says.",
    41: "First week with a fixed alarm, even on Saturday.",
}


def _clock(minutes: float) -> time:
    whole = int(round(minutes)) % (24 * 60)
    return time(whole // 60, whole % 60)


def _entry(rng: random.Random, night_of: datetime, timezone: str, progress: float) -> DiaryInput:
    """One night; `progress` goes from 0 (two months ago) to 1 (last night)."""
    weekend = night_of.weekday() >= 4  # Friday and Saturday nights
    bed = 23 * 60 + rng.gauss(0, 20) + (50 if weekend else 0)
    lights = bed + rng.choice([5, 10, 15, 20])
    wake = 7 * 60 + rng.gauss(0, 15) + (90 if weekend else 0)
    clocks = [_clock(bed), _clock(lights), _clock(wake), _clock(wake + rng.choice([5, 10, 25]))]
    bed_at, lights_at, wake_at, up_at = from_clock_times(night_of.date(), clocks)
    latency = max(5, int(rng.gauss(40 - 25 * progress, 8)))
    waso = max(0, int(rng.gauss(55 - 35 * progress, 12)))
    coffee_hour = rng.choice([11, 13, 15, 17]) if progress < 0.6 else rng.choice([10, 11, 13])
    drinks = rng.random() < 0.2
    naps = rng.random() < (0.4 - 0.3 * progress)
    return DiaryInput(
        night_of=night_of.date(),
        timezone=timezone,
        bed_time=bed_at,
        lights_out=lights_at,
        sleep_latency_minutes=latency,
        awakenings=rng.randint(0, 3),
        wake_minutes=waso,
        wake_time=wake_at,
        out_of_bed=up_at,
        quality=max(1, min(5, round(2 + 2 * progress + rng.gauss(0, 0.7)))),
        naps=1 if naps else 0,
        nap_minutes=rng.choice([20, 45, 70]) if naps else 0,
        caffeine_drinks=rng.randint(1, 3),
        caffeine_last=last_before(bed_at, time(coffee_hour, 30)),
        alcohol_drinks=2 if drinks else 0,
        alcohol_last=last_before(bed_at, time(21, 30)) if drinks else None,
    )


def seed_sleep(unit: UserUnit, now: datetime) -> None:
    """Sixty diary nights ending last night."""
    preferences = unit.session.get(UserPreferences, unit.user_id)
    timezone = preferences.timezone if preferences else "UTC"
    today = local_date(now, timezone)
    rng = random.Random(8)
    for back in range(NIGHTS, 0, -1):
        night_of = datetime.combine(today - timedelta(days=back), time())
        night = _entry(rng, night_of, timezone, progress=(NIGHTS - back) / (NIGHTS - 1)).night()
        row = SleepLog(user_id=unit.user_id, night_of=night.night_of, created_at=now)
        row.updated_at = now
        fill_row(row, night)
        unit.seal(row, "note_ct", NOTES.get(back))
        unit.add(row)
