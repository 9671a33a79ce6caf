"""Plotly charts of the sleep diary by week: hours, efficiency, latency and WASO, regularity."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from core.sleep.coaching import LOW_EFFICIENCY
from core.sleep.metrics import PeriodSummary

_CALM = ("#2f7d6d", "#a9cfc4", "#5d8fb0", "#c9a66b")
_LAYOUT = {
    "height": 260,
    "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
    "legend": {"orientation": "h", "y": -0.25},
    "hovermode": "x unified",
}


def _labels(weeks: Sequence[PeriodSummary]) -> list[str]:
    return [f"{week.start:%d %b}" for week in weeks]


def hours_figure(weeks: Sequence[PeriodSummary]) -> go.Figure:
    """Time in bed beside total sleep time, hours a night, one pair of bars a week."""
    x = _labels(weeks)
    figure = go.Figure(
        [
            go.Bar(
                x=x,
                y=[w.time_in_bed / 60 for w in weeks],
                name="Time in bed",
                marker_color=_CALM[1],
            ),
            go.Bar(
                x=x, y=[w.total_sleep / 60 for w in weeks], name="Asleep", marker_color=_CALM[0]
            ),
        ]  # fmt: skip
    )
    figure.update_layout(title="Hours a night (week average)", barmode="group", **_LAYOUT)
    figure.update_yaxes(title="hours", rangemode="tozero")
    return figure


def efficiency_figure(weeks: Sequence[PeriodSummary]) -> go.Figure:
    """Sleep efficiency per week, with the 85 % line good sleepers reach."""
    figure = go.Figure(
        go.Scatter(
            x=_labels(weeks),
            y=[w.efficiency for w in weeks],
            name="Sleep efficiency",
            mode="lines+markers",
            line={"color": _CALM[2], "width": 3},
        )  # fmt: skip
    )
    figure.add_hline(y=LOW_EFFICIENCY, line_dash="dot", annotation_text="85%")
    figure.update_layout(title="Sleep efficiency (asleep ÷ in bed)", **_LAYOUT)
    figure.update_yaxes(title="%", range=[50, 100])
    return figure


def awake_figure(weeks: Sequence[PeriodSummary]) -> go.Figure:
    """Minutes to fall asleep and minutes awake in the night, per week."""
    x = _labels(weeks)
    figure = go.Figure(
        [
            go.Scatter(
                x=x,
                y=[w.onset_latency for w in weeks],
                name="To fall asleep",
                mode="lines+markers",
                line={"color": _CALM[3]},
            ),
            go.Scatter(
                x=x,
                y=[w.waso for w in weeks],
                name="Awake in the night",
                mode="lines+markers",
                line={"color": _CALM[0]},
            ),
        ]  # fmt: skip
    )
    figure.update_layout(title="Minutes awake (week average)", **_LAYOUT)
    figure.update_yaxes(title="minutes", rangemode="tozero")
    return figure


def regularity_figure(weeks: Sequence[PeriodSummary]) -> go.Figure:
    """How much the wake time moved each week (standard deviation, minutes)."""
    shown = [w for w in weeks if w.wake_sd is not None]
    figure = go.Figure(
        go.Bar(
            x=_labels(shown),
            y=[w.wake_sd for w in shown],
            name="Wake-time spread",
            marker_color=_CALM[1],
        )  # fmt: skip
    )
    figure.update_layout(title="Wake-time regularity (SD, lower is steadier)", **_LAYOUT)
    figure.update_yaxes(title="minutes", rangemode="tozero")
    return figure
