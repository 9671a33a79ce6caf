"""The numbers behind the mood charts, with pandas, in the person's own time zone.

Entries are stored in naive UTC; `mood_frame` converts them once with the IANA zone (so a day,
a weekday and an hour are the person's own, DST included). Each function returns a small
DataFrame that a chart draws as it is.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date

import pandas as pd

from core.mood import EMOTIONS, MoodView

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_COLUMNS = ("local", "day", "score", "weekday", "hour", "emotions")


def mood_frame(entries: Sequence[MoodView], timezone: str) -> pd.DataFrame:
    """One row per entry: local time, local day, score, weekday (0 = Monday), hour, emotions."""
    if not entries:
        return pd.DataFrame({column: pd.Series(dtype=object) for column in _COLUMNS})
    utc = pd.to_datetime([entry.logged_at for entry in entries]).tz_localize("UTC")
    local = pd.Series(utc.tz_convert(timezone))
    return pd.DataFrame(
        {
            "local": local,
            "day": local.dt.date,
            "score": [entry.score for entry in entries],
            "weekday": local.dt.weekday,
            "hour": local.dt.hour,
            "emotions": [entry.emotions for entry in entries],
        }
    )


def between(frame: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """The rows whose local day is within `start`..`end` (both included)."""
    if frame.empty:
        return frame
    return frame[(frame["day"] >= start) & (frame["day"] <= end)]


def daily(frame: pd.DataFrame) -> pd.DataFrame:
    """Per local day logged: mean score, entries, and the mean of the 7 calendar days ending
    that day (days without an entry are skipped, not counted as zero)."""
    if frame.empty:
        return pd.DataFrame(columns=["day", "mean", "entries", "rolling_7"])
    per_day = (
        frame.groupby("day")["score"].agg(["mean", "count"]).rename(columns={"count": "entries"})
    )
    per_day.index = pd.DatetimeIndex(pd.to_datetime(per_day.index))
    per_day["rolling_7"] = per_day["mean"].rolling("7D", min_periods=1).mean()
    per_day.index.name = "day"
    return per_day.reset_index()


def pixels(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """Year in pixels: a 31 x 12 grid (day of month x month) of daily means; NaN where nothing
    was logged or the date doesn't exist (30 February)."""
    grid = pd.DataFrame(
        float("nan"), index=range(1, 32), columns=list(calendar.month_abbr)[1:], dtype=float
    )
    if frame.empty:
        return grid
    in_year = frame[[day.year == year for day in frame["day"]]]
    for day, mean in in_year.groupby("day")["score"].mean().items():
        grid.iloc[day.day - 1, day.month - 1] = mean
    return grid


def years(frame: pd.DataFrame) -> list[int]:
    """The years with at least one entry, newest first."""
    return sorted({day.year for day in frame["day"]}, reverse=True)


def emotion_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """How often each emotion was picked, most frequent first (emotions never picked left out)."""
    picked = frame["emotions"].explode().dropna() if not frame.empty else pd.Series(dtype=str)
    counts = picked[picked.isin(EMOTIONS)].value_counts()
    return pd.DataFrame({"emotion": counts.index.astype(str), "count": counts.to_numpy()})


def by_weekday(frame: pd.DataFrame) -> pd.DataFrame:
    """Mean score and number of entries per weekday, Monday first (0 entries: no mean)."""
    grouped = frame.groupby("weekday")["score"].agg(["mean", "count"]) if not frame.empty else None
    rows = []
    for number, name in enumerate(WEEKDAYS):
        found = grouped is not None and number in grouped.index
        rows.append(
            {
                "weekday": name,
                "mean": float(grouped.loc[number, "mean"]) if found else None,  # type: ignore[union-attr]
                "entries": int(grouped.loc[number, "count"]) if found else 0,  # type: ignore[union-attr]
            }
        )
    return pd.DataFrame(rows)


def by_hour(frame: pd.DataFrame) -> pd.DataFrame:
    """Mean score and number of entries for each local hour that has any."""
    if frame.empty:
        return pd.DataFrame(columns=["hour", "mean", "entries"])
    grouped = frame.groupby("hour")["score"].agg(["mean", "count"])
    grouped = grouped.rename(columns={"count": "entries"})
    grouped.index.name = "hour"
    return grouped.reset_index()
