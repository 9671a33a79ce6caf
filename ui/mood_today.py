"""Home's mood card: logged today or a one-tap log, the streak, the last seven days, and the
week's insight in a sentence or two."""

from __future__ import annotations

import streamlit as st

from core.bootstrap import App
from core.mood import TodayState
from ui.mood import icon_for, one_tap, show_notice
from ui.mood_views import show_insights


def show_today(app: App, user_id: str, *, timezone: str) -> None:
    """Today's mood state, with one tap to log when nothing is logged yet today."""
    state = app.mood.today(user_id=user_id, timezone=timezone)
    st.subheader("Your mood today")
    show_notice()
    if state.logged_today:
        today = state.last_7_days[-1]
        mean = today.mean if today.mean is not None else 0
        times = "once" if today.entries == 1 else f"{today.entries} times"
        st.markdown(f"Logged today ({times}): {icon_for(mean)} {mean:.1f}/10. Thank you.")
    else:
        st.markdown("Not logged yet today. One tap is enough:")
        one_tap(app, user_id, key="home_mood")
    _week(state)
    show_insights(app.insights.for_user(user_id=user_id, timezone=timezone), compact=True)
    st.page_link("pages/mood.py", label="Your mood and patterns", icon=":material/arrow_forward:")


def _week(state: TodayState) -> None:
    streak = state.streak
    if streak:
        st.markdown(f"**{streak}-day streak** of checking in.")
    columns = st.columns(7)
    for column, day in zip(columns, state.last_7_days, strict=True):
        face = icon_for(day.mean) if day.mean is not None else ":material/remove:"
        score = f"{day.mean:.0f}" if day.mean is not None else "–"
        column.markdown(f"**{day.day:%a}**  \n{face} {score}")
