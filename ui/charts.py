"""Plotly figures of the mood statistics (core.mood_stats). `st.plotly_chart` serves Plotly's
JavaScript from the Streamlit server itself: nothing loads from a CDN.

Each function takes the DataFrame its core function returns and gives a figure; drawing it is
the caller's (one `show`). Scores are on the fixed 1-10 axis, colours from red (low) to green.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.mood_stats import WEEKDAYS

MOOD_COLOURS = [[0.0, "#c0504d"], [0.45, "#f2c14e"], [0.7, "#9ccb86"], [1.0, "#2f7d6d"]]
_LINE = "#2f7d6d"
_POINTS = "#9bb8b0"
_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def _layout(figure: go.Figure, *, height: int = 320, title: str = "") -> go.Figure:
    figure.update_layout(
        title={"text": title, "x": 0, "font": {"size": 15}},
        height=height,
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        showlegend=True,
        legend={"orientation": "h", "y": -0.2},
        font={"family": "sans-serif"},  # the browser's own fonts: nothing is fetched
    )
    return figure


def score_over_time(days: pd.DataFrame) -> go.Figure:
    """Each day's mean score as points, and the 7-day rolling mean as a line."""
    figure = go.Figure()
    figure.add_scatter(
        x=days["day"],
        y=days["mean"],
        mode="markers",
        name="Daily mood",
        marker={"color": _POINTS, "size": 7},
        customdata=days["entries"],
        hovertemplate="%{x|%a %d %b %Y}: %{y:.1f} (%{customdata} entries)<extra></extra>",
    )
    figure.add_scatter(
        x=days["day"],
        y=days["rolling_7"],
        mode="lines",
        name="7-day average",
        line={"color": _LINE, "width": 3},
        hovertemplate="%{x|%d %b}: 7-day average %{y:.1f}<extra></extra>",
    )
    figure.update_yaxes(range=[0.5, 10.5], dtick=1, title="Mood (1-10)")
    return _layout(figure, title="Mood over time")


def year_in_pixels(grid: pd.DataFrame, year: int) -> go.Figure:
    """One square per day of `year`, coloured by that day's mean mood; blank when not logged."""
    figure = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=list(grid.columns),
            y=list(grid.index),
            zmin=1,
            zmax=10,
            colorscale=MOOD_COLOURS,
            xgap=2,
            ygap=2,
            colorbar={"title": "Mood", "thickness": 12},
            hovertemplate="%{x} %{y}: %{z:.1f}<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed", dtick=5, title="Day of month")
    figure.update_xaxes(side="top")
    return _layout(figure, height=520, title=f"{year} in pixels")


def emotion_frequency(counts: pd.DataFrame) -> go.Figure:
    """How often each emotion was picked, the most frequent on top."""
    ordered = counts.iloc[::-1]
    figure = go.Figure(
        go.Bar(
            x=ordered["count"],
            y=ordered["emotion"],
            orientation="h",
            marker={"color": _LINE},
            hovertemplate="%{y}: %{x} times<extra></extra>",
        )
    )
    figure.update_xaxes(title="Times picked")
    return _layout(figure, height=max(220, 26 * len(counts) + 60), title="Emotions")


def average_by(table: pd.DataFrame, column: str, title: str) -> go.Figure:
    """Mean mood per weekday or per hour, with the number of entries behind each bar."""
    figure = go.Figure(
        go.Bar(
            x=table[column],
            y=table["mean"],
            customdata=table["entries"],
            marker={"color": table["mean"], "colorscale": MOOD_COLOURS, "cmin": 1, "cmax": 10},
            hovertemplate="%{x}: %{y:.1f} (%{customdata} entries)<extra></extra>",
        )
    )
    figure.update_yaxes(range=[0, 10], title="Average mood")
    if column == "weekday":
        figure.update_xaxes(categoryorder="array", categoryarray=list(WEEKDAYS))
    else:
        figure.update_xaxes(range=[-0.5, 23.5], dtick=3, title="Hour of day")
    layout = _layout(figure, height=280, title=title)
    layout.update_layout(showlegend=False)
    return layout


def show(figure: go.Figure, key: str) -> None:
    """Draw a figure at the page's width, served locally."""
    st.plotly_chart(figure, key=key, config=_CONFIG, width="stretch")
