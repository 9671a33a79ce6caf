"""Plotly figures of the mood statistics (core.mood_stats). `st.plotly_chart` serves Plotly's
JavaScript from the Streamlit server itself: nothing loads from a CDN.

Each function takes the DataFrame its core function returns and gives a figure; drawing it is
the caller's (one `show`). Scores are on the fixed 1-10 axis, colours from red (low) to green.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from core.mood_stats import MONTHS, Average, DayPoint

MOOD_COLOURS = [[0.0, "#c0504d"], [0.45, "#f2c14e"], [0.7, "#9ccb86"], [1.0, "#2f7d6d"]]
_LINE = "#2f7d6d"
_POINTS = "#9bb8b0"
_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def _figure(data: list[dict[str, Any]], layout: dict[str, Any], *, height: int) -> go.Figure:
    """One figure, built in one go from plain lists (handing Plotly pandas objects costs ~10x)."""
    base: dict[str, Any] = {
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "legend": {"orientation": "h", "y": -0.2},
        "font": {"family": "sans-serif"},  # the browser's own fonts: nothing is fetched
    }
    return go.Figure({"data": data, "layout": base | layout})


def _title(text: str) -> dict[str, Any]:
    return {"text": text, "x": 0, "font": {"size": 15}}


def score_over_time(
    days: Sequence[DayPoint], checkins: Sequence[tuple[datetime, int, str]] = ()
) -> go.Figure:
    """Each day's mean score as points, the 7-day rolling mean as a line, and the check-ins
    (local time, the person's own rating, what they felt) as diamonds."""
    x = [point.day.isoformat() for point in days]
    points = {
        "type": "scatter",
        "x": x,
        "y": [point.mean for point in days],
        "mode": "markers",
        "name": "Daily mood",
        "marker": {"color": _POINTS, "size": 7},
        "customdata": [point.entries for point in days],
        "hovertemplate": "%{x|%a %d %b %Y}: %{y:.1f} (%{customdata} entries)<extra></extra>",
    }
    line = {
        "type": "scatter",
        "x": x,
        "y": [point.rolling_7 for point in days],
        "mode": "lines",
        "name": "7-day average",
        "line": {"color": _LINE, "width": 3},
        "hovertemplate": "%{x|%d %b}: 7-day average %{y:.1f}<extra></extra>",
    }
    layout = {
        "title": _title("Mood over time"),
        "yaxis": {"range": [0.5, 10.5], "dtick": 1, "title": {"text": "Mood (1-10)"}},
        "xaxis": {"type": "date"},
    }
    traces = [points, line]
    if checkins:
        layout["showlegend"] = True  # also when the check-ins are the only points yet
        traces.append(
            {
                "type": "scatter",
                "x": [moment.isoformat() for moment, _, _ in checkins],
                "y": [rating for _, rating, _ in checkins],
                "mode": "markers",
                "name": "Check-ins",
                "marker": {"color": _LINE, "size": 9, "symbol": "diamond-open"},
                "customdata": [feeling for _, _, feeling in checkins],
                "hovertemplate": "%{x|%a %d %b %H:%M}: check-in %{y} (%{customdata})"
                "<extra></extra>",
            }
        )
    return _figure(traces, layout, height=320)


def year_in_pixels(grid: Sequence[Sequence[float | None]], year: int) -> go.Figure:
    """One square per day of `year`, coloured by that day's mean mood; blank when not logged."""
    heatmap = {
        "type": "heatmap",
        "z": [list(row) for row in grid],
        "x": list(MONTHS),
        "y": list(range(1, len(grid) + 1)),
        "zmin": 1,
        "zmax": 10,
        "colorscale": MOOD_COLOURS,
        "xgap": 2,
        "ygap": 2,
        "colorbar": {"title": {"text": "Mood"}, "thickness": 12},
        "hovertemplate": "%{x} %{y}: %{z:.1f}<extra></extra>",
    }
    layout = {
        "title": _title(f"{year} in pixels"),
        "yaxis": {"autorange": "reversed", "dtick": 5, "title": {"text": "Day of month"}},
        "xaxis": {"side": "top"},
        "margin": {"l": 10, "r": 10, "t": 70, "b": 10},
    }
    return _figure([heatmap], layout, height=520)


def emotion_frequency(counts: Sequence[tuple[str, int]]) -> go.Figure:
    """How often each emotion was picked, the most frequent on top."""
    ordered = list(reversed(counts))
    bars = {
        "type": "bar",
        "x": [count for _, count in ordered],
        "y": [name for name, _ in ordered],
        "orientation": "h",
        "marker": {"color": _LINE},
        "hovertemplate": "%{y}: %{x} times<extra></extra>",
    }
    layout = {
        "title": _title("Emotions"),
        "xaxis": {"title": {"text": "Times picked"}, "tickformat": "d", "rangemode": "tozero"},
    }
    return _figure([bars], layout, height=max(220, 26 * len(counts) + 60))


def average_by(groups: Sequence[Average], title: str, *, axis: str = "") -> go.Figure:
    """Mean mood per weekday or per hour, with the number of entries behind each bar."""
    means = [group.mean for group in groups]
    bars = {
        "type": "bar",
        "x": [group.label for group in groups],
        "y": means,
        "customdata": [group.entries for group in groups],
        "marker": {
            "color": [mean if mean is not None else 0 for mean in means],
            "colorscale": MOOD_COLOURS,
            "cmin": 1,
            "cmax": 10,
        },
        "hovertemplate": "%{x}: %{y:.1f} (%{customdata} entries)<extra></extra>",
    }
    layout = {
        "title": _title(title),
        "yaxis": {"range": [0, 10], "title": {"text": "Average mood"}},
        "xaxis": {"type": "category", "title": {"text": axis}, "dtick": 3 if axis else 1},
        "showlegend": False,
    }
    return _figure([bars], layout, height=280)


def sentiment_beside_mood(
    journal: Sequence[tuple[datetime, float]],
    mood: Sequence[tuple[datetime, float]],
    start: datetime,
    end: datetime,
) -> go.Figure:
    """Each entry's sentiment (-1 to +1, left axis) and each mood score (1-10, right axis), at
    local times (naive), between `start` and `end`."""
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": [moment.isoformat() for moment, _ in journal],
            "y": [value for _, value in journal],
            "mode": "markers+lines",
            "name": "Entry sentiment (−1 to +1)",
            "line": {"color": "#7a6fb0", "width": 1},
            "hovertemplate": "%{x|%d %b %H:%M}: %{y:.2f}<extra>entry</extra>",
        }
    ]
    if mood:
        traces.append(
            {
                "type": "scatter",
                "x": [moment.isoformat() for moment, _ in mood],
                "y": [value for _, value in mood],
                "yaxis": "y2",
                "mode": "markers",
                "name": "Mood (1–10)",
                "marker": {"color": _LINE, "size": 6},
                "hovertemplate": "%{x|%d %b %H:%M}: %{y}<extra>mood</extra>",
            }
        )
    layout = {
        "xaxis": {"type": "date", "range": [start.isoformat(), end.isoformat()]},
        "yaxis": {"range": [-1.05, 1.05], "title": {"text": "Sentiment"}},
        "yaxis2": {
            "range": [0.5, 10.5],
            "title": {"text": "Mood"},
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
        },
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "legend": {"orientation": "h", "y": -0.25},
    }
    return _figure(traces, layout, height=300)


def show(figure: go.Figure, key: str) -> None:
    """Draw a figure at the page's width, served locally."""
    st.plotly_chart(figure, key=key, config=_CONFIG, width="stretch")
