"""Breathing widgets: choosing a pattern, the run with its pacer, the after-rating, the stats.

Owns its session-state keys (all start with "breathe_"). A run is kept in session state from
Start until it is saved or left, so reruns (a rating slider moving) never restart the pacer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st

from core.bootstrap import App
from core.breathing import (
    CUSTOM,
    Pattern,
    PatternStats,
    SessionView,
    custom_pattern,
    patterns,
    session_seconds,
)
from core.errors import InvalidInput
from core.journal_forms import local_time
from ui.breath_mic import forget, measured_rate
from ui.pacer import PacerEvent, pacer, session_length

_RUN = "breathe_run"
_NOTICE = "breathe_notice"


@dataclass(frozen=True, slots=True)
class Run:
    """A session started: its pattern, length, stress before, and an id for the pacer."""

    id: str
    pattern: Pattern
    seconds: int
    stress_before: int


def current_run() -> Run | None:
    """The session in progress in this browser tab, if any."""
    run: Run | None = st.session_state.get(_RUN)
    return run


def show_notice() -> None:
    """What the last save did."""
    notice = st.session_state.pop(_NOTICE, None)
    if notice:
        st.success(notice, icon=":material/check:")


def _chosen_pattern() -> Pattern:
    shipped = {known.id: known for known in patterns()}
    choice = st.radio(
        "Pattern",
        [*shipped, CUSTOM],
        format_func=lambda key: shipped[key].name if key in shipped else "Custom pattern",
        key="breathe_pattern",
    )
    if choice != CUSTOM:
        st.caption(shipped[choice].summary)
        return shipped[choice]
    columns = st.columns(4)
    labels = ("In (s)", "Hold (s)", "Out (s)", "Hold (s)")
    defaults = (4.0, 0.0, 6.0, 0.0)
    values = [
        column.number_input(label, min_value=0.0, max_value=600.0, value=default, step=0.5,
                            key=f"breathe_custom_{n}")
        for n, (column, label, default) in enumerate(zip(columns, labels, defaults, strict=True))
    ]  # fmt: skip
    return custom_pattern(*values)


def setup(app: App) -> None:  # noqa: ARG001 - the page passes app to every widget
    """Choose a pattern, a length and how stressed you feel; Start begins a run."""
    try:
        chosen = _chosen_pattern()
    except InvalidInput as problem:
        st.warning(str(problem), icon=":material/info:")
        chosen = None
    minutes = st.slider("Minutes", 1, 20, 3, key="breathe_minutes")
    before = st.slider(
        "How stressed do you feel right now? (1 calm – 10 very stressed)", 1, 10, 5,
        key="breathe_before",
    )  # fmt: skip
    if st.button("Start", type="primary", key="breathe_start", disabled=chosen is None):
        try:
            seconds = session_seconds(minutes)
        except InvalidInput as problem:
            st.warning(str(problem))
            return
        assert chosen is not None
        seconds = session_length(chosen, seconds)
        st.session_state[_RUN] = Run(uuid.uuid4().hex, chosen, seconds, int(before))
        st.rerun()


def run_session(app: App, user_id: str, run: Run) -> PacerEvent | None:
    """The pacer for the run in progress; what it reported, if it has finished."""
    pattern = run.pattern
    st.subheader(pattern.name)
    minutes, seconds = divmod(run.seconds, 60)
    length = f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"
    st.caption(
        f"{pattern.breaths_per_minute:.1f} breaths a minute · {length} · "
        "press Begin, and follow the circle."
    )
    outcome = pacer(pattern, run.seconds, run=run.id, key=f"breathe_pacer_{run.id}")
    if outcome is None and st.button("Leave without saving", key="breathe_leave"):
        leave()
    if outcome is not None:
        _after(app, user_id, run, outcome)
    return outcome


def _after(app: App, user_id: str, run: Run, outcome: PacerEvent) -> None:
    if outcome.event == "stopped":
        st.info(
            f"Stopped after {outcome.seconds // 60}:{outcome.seconds % 60:02d}. "
            "Only finished sessions are saved; that's fine, any practice counts."
        )
        if st.button("Back", key="breathe_back"):
            leave()
        return
    measured = measured_rate(run.id)
    if measured is not None:
        st.markdown(
            f"The microphone measured **{measured:.1f} breaths a minute** "
            f"(the pattern's pace: {run.pattern.breaths_per_minute:.1f}). It is saved with the "
            "session; the sound itself was never kept."
        )
    after = st.slider(
        "And now? (1 calm – 10 very stressed)", 1, 10, run.stress_before, key="breathe_after"
    )
    if st.button("Save session", type="primary", key="breathe_save"):
        try:
            app.breathing.record(
                user_id=user_id, pattern_id=run.pattern.id, phases=run.pattern.phases_label,
                duration_seconds=outcome.seconds, stress_before=run.stress_before,
                stress_after=int(after), breaths_per_minute=measured,
            )  # fmt: skip
        except InvalidInput as problem:
            st.warning(str(problem))
            return
        pace = "" if measured is None else f" Your pace: {measured:.1f} breaths a minute."
        st.session_state[_NOTICE] = f"Saved. Stress {run.stress_before} → {int(after)}.{pace}"
        leave()


def leave() -> None:
    """End the run in progress and show the set-up again."""
    run: Run | None = st.session_state.pop(_RUN, None)
    if run is not None:
        forget(run.id)
    st.rerun()


def show_stats(stats: list[PatternStats]) -> None:
    """Sessions, minutes and average change in stress, per pattern."""
    if not stats:
        st.caption("Your sessions will be summed up here.")
        return
    names = [_axis_name(item.name) for item in stats]
    figure = go.Figure(
        [
            go.Bar(
                x=names,
                y=[item.minutes for item in stats],
                name="Minutes",
                marker_color="#a9cfc4",
                yaxis="y",
            ),
            go.Scatter(
                x=names,
                y=[item.average_change for item in stats],
                name="Average change in stress",
                mode="markers",
                marker={"size": 14, "color": "#2f7d6d"},
                yaxis="y2",
            ),
        ]  # fmt: skip
    )
    figure.update_layout(
        height=320, margin={"l": 10, "r": 10, "t": 40, "b": 10},
        title="Your practice by pattern", legend={"orientation": "h", "y": -0.25},
        xaxis={"tickangle": 0}, yaxis={"title": "minutes", "rangemode": "tozero"},
        yaxis2={"title": "stress change", "overlaying": "y", "side": "right", "range": [-9, 1],
                "tickmode": "array", "tickvals": [-9, -6, -3, 0], "showgrid": False},
    )  # fmt: skip
    st.plotly_chart(figure, config={"displayModeBar": False})
    st.dataframe(
        [
            {
                "Pattern": item.name,
                "Sessions": item.sessions,
                "Minutes": round(item.minutes),
                "Average change": (
                    "–" if item.average_change is None else f"{item.average_change:+.1f}"
                ),
                "Measured pace": (
                    "–"
                    if item.average_measured_bpm is None
                    else f"{item.average_measured_bpm:.1f} a minute, "
                    f"{item.measured_sessions} session{'s' if item.measured_sessions != 1 else ''}"
                ),
            }
            for item in stats
        ],
        hide_index=True,
    )


def show_history(sessions: list[SessionView], *, timezone: str) -> None:
    """The latest sessions, newest first: when, pattern, length, stress, pace measured."""
    if not sessions:
        return
    names = {known.id: known.name for known in patterns()} | {CUSTOM: "Custom"}

    def pace(session: SessionView) -> str:
        if session.breaths_per_minute is None:
            return "–"
        target = session.target_breaths_per_minute
        aim = "" if target is None else f" (aim {target:.1f})"
        return f"{session.breaths_per_minute:.1f}{aim}"

    st.markdown("**Recent sessions**")
    st.dataframe(
        [
            {
                "When": f"{local_time(session.started_at, timezone):%a %d %b %H:%M}",
                "Pattern": _short(names.get(session.pattern_id, session.pattern_id)),
                "Minutes": round(session.duration_seconds / 60, 1),
                "Stress": f"{session.stress_before or '–'} → {session.stress_after or '–'}",
                "Breaths a minute": pace(session),
            }
            for session in sessions
        ],
        hide_index=True,
    )


def _short(name: str) -> str:
    """'Resonance breathing' for 'Resonance breathing (about 5.5 a minute)'."""
    return name.split(" (")[0]


def _axis_name(name: str) -> str:
    """A pattern's short name on two lines, so four fit side by side under the bars."""
    return _short(name).replace(" ", "<br>", 1)
