"""Home: a greeting, where to go next, and help that is always one click away."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

import streamlit as st

from core.rendering import escape_markdown
from ui.context import page_context
from ui.crisis import crisis_expander
from ui.mood_today import show_today
from ui.notifications import notification_list

here = page_context()

now = here.app.clock.now().replace(tzinfo=UTC)
hour = now.astimezone(ZoneInfo(here.preferences.timezone)).hour
greeting = "Good morning" if hour < 12 else "Good afternoon" if hour < 18 else "Good evening"
st.title(f"{greeting}, {escape_markdown(here.user.display_name)}")  # shown as typed
st.write("How are you doing today? Whatever it is, you don't have to sort it out alone.")
notification_list(here.app, here.user.id)

with st.container(border=True):
    show_today(here.app, here.user.id, timezone=here.preferences.timezone)

left, right = st.columns(2)
with left, st.container(border=True):
    st.subheader("Talk it through")
    st.write("Write how you feel and get a calm, practical answer grounded in proven self-help.")
    st.page_link("pages/chat.py", label="Start a conversation", icon=":material/arrow_forward:")
with right, st.container(border=True):
    st.subheader("Your journal")
    st.write("Write freely with today's prompt, note three good things, or untangle a thought.")
    st.page_link("pages/journal.py", label="Open your journal", icon=":material/arrow_forward:")
st.page_link(
    "pages/settings.py",
    label="Settings: your name, region for crisis numbers, time zone and password",
    icon=":material/settings:",
)

st.caption(
    "This companion is an AI, not a person or a clinician. It can't diagnose or treat, "
    "and it is no substitute for professional care."
)
crisis_expander(here.resources)
