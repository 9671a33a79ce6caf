"""Check-yourself widgets: one questionnaire form, the result, and the history chart.

Owns its session-state keys (all start with "screening_"). A submitted form keeps its outcome
for the next run and runs the page again, so the result shows at the top with the form reset.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import plotly.graph_objects as go
import streamlit as st

from core.bootstrap import App
from core.errors import InvalidInput
from core.journal_forms import local_time
from core.screening import CHOICES, Instrument, ScreeningOutcome, ScreeningView
from ui.crisis import show_crisis_resources

_OUTCOME = "screening_outcome"
_BAND_COLOURS = ("#e8f5e9", "#fff8e1", "#ffe0b2", "#ffccbc", "#ffcdd2")


def item_key(which: Instrument, number: int) -> str:
    """The session-state key of one question's radio."""
    return f"screening_{which.id.lower().replace('-', '')}_{number}"


def questionnaire(app: App, user_id: str, which: Instrument, *, region: str) -> None:
    """The questions with the four standard choices, none preselected; Submit scores them."""
    with st.form(f"screening_form_{which.id}", clear_on_submit=True, border=False):
        st.markdown(f"**{which.stem}**")
        answers = [
            st.radio(
                f"{number + 1}. {text}",
                options=range(len(CHOICES)),
                format_func=lambda value: CHOICES[value],
                index=None,
                key=item_key(which, number),
            )
            for number, text in enumerate(which.items)
        ]
        submitted = st.form_submit_button(
            f"See my {which.id} result", type="primary", key=f"screening_submit_{which.id}"
        )
    if submitted:
        _take(app, user_id, which, answers, region=region)


def _take(
    app: App, user_id: str, which: Instrument, answers: Sequence[int | None], *, region: str
) -> None:
    try:
        outcome = app.screening.take(
            user_id=user_id,
            instrument=which.id,
            answers=list(answers),  # type: ignore[arg-type]  # None is refused kindly
            region=region,
        )
    except InvalidInput as problem:
        st.warning(str(problem))
        return
    st.session_state[_OUTCOME] = outcome
    st.rerun()


def show_outcome() -> None:
    """The last result: crisis resources first when item 9 was above 0, then total and band."""
    outcome: ScreeningOutcome | None = st.session_state.pop(_OUTCOME, None)
    if outcome is None:
        return
    result = outcome.score
    if outcome.resources is not None:
        show_crisis_resources(
            outcome.resources,
            message="You said you've had thoughts of being better off dead or of hurting "
            "yourself. That matters, whatever the total. Please reach out to someone now: "
            "you don't have to carry this alone.",
        )
    maximum = 27 if result.instrument == "PHQ-9" else 21
    st.success(
        f"Your {result.instrument} total is **{result.total}** out of {maximum}: "
        f"**{result.severity}**. It is saved in your history below. If it worries you, a doctor "
        "or therapist can help you make sense of it.",
        icon=":material/check:",
    )


def history_chart(history: Sequence[ScreeningView], which: Instrument, *, timezone: str) -> None:
    """Totals over time on the instrument's severity bands; a friendly line when empty."""
    points = [view for view in history if view.instrument == which.id]
    if not points:
        st.caption(f"No {which.id} results yet. Your results will be charted here.")
        return
    figure = go.Figure()
    for band, colour in zip(which.bands, _BAND_COLOURS, strict=False):
        figure.add_hrect(
            y0=band.low - 0.5,
            y1=band.high + 0.5,
            fillcolor=colour,
            line_width=0,
            layer="below",
            annotation_text=band.label,
            annotation_position="left",
        )
    figure.add_trace(
        go.Scatter(
            x=[local_time(view.taken_at, timezone) for view in points],
            y=[view.total for view in points],
            customdata=[view.severity for view in points],
            mode="lines+markers",
            name=which.id,
            hovertemplate="%{x|%d %b %Y}: %{y} (%{customdata})<extra></extra>",
        )
    )
    first, last = (local_time(points[i].taken_at, timezone) for i in (0, -1))
    figure.update_xaxes(range=[first - timedelta(days=7), last + timedelta(days=7)])
    figure.update_layout(
        height=300,
        margin={"l": 120, "r": 10, "t": 10, "b": 30},
        yaxis={"range": [-0.5, which.max_total + 0.5], "title": "Total"},
        showlegend=False,
    )
    st.plotly_chart(figure, key=f"screening_chart_{which.id}", config={"displayModeBar": False})
