"""Mood: log in a few taps, see the patterns in your own time zone, insights, edit, import."""

from __future__ import annotations

import streamlit as st

from core.mood import local_time
from ui.context import page_context
from ui.mood import log_form, show_entries, show_outcome
from ui.mood_import import import_section
from ui.mood_views import (
    pick_range,
    show_charts,
    show_checkins_alone,
    show_history_state,
    show_insights,
)

here = page_context()
app, user = here.app, here.user
region, timezone = here.preferences.region, here.preferences.timezone

st.title("Mood")
st.caption("A few taps a day. Your notes and tags are encrypted; only you see them.")
show_outcome()
log_form(app, user.id, region=region, timezone=timezone)

st.subheader("Your patterns")
earliest = app.mood.earliest(user_id=user.id)
if show_history_state(earliest, timezone):
    today = local_time(app.clock.now(), timezone).date()
    first = local_time(earliest[0].logged_at, timezone).date()
    start, end = pick_range(today, first)
    show_charts(app, user.id, timezone, start, end)
else:
    show_checkins_alone(app, user.id, timezone)

st.subheader("Insights")
show_insights(app.insights.for_user(user_id=user.id, timezone=timezone))

st.subheader("Recent entries")
show_entries(app, user.id, region=region, timezone=timezone)
import_section(app, user.id, region=region, timezone=timezone)
