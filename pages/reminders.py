"""Reminders: link WhatsApp, create / pause / resume / delete reminders, gentle nudges."""

from __future__ import annotations

import streamlit as st

from core.reminders.messages import CHANNEL_LABELS
from ui.context import page_context
from ui.reminders import new_reminder_form, nudges_form, reminder_row, show_note, whatsapp_link

here = page_context()
app, user = here.app, here.user

st.title("Reminders")
st.caption(
    "Small nudges at times you choose, by WhatsApp, email or here in the app. "
    "Pause or delete them whenever you like."
)
show_note()

with st.container(border=True):
    st.subheader("WhatsApp")
    st.caption(
        "Link your number to get reminders on WhatsApp and to talk to the companion there. "
        "Reply STOP at any time to stop all WhatsApp messages."
    )
    whatsapp_link(app, user.id, here.preferences.region)

new_reminder_form(app, user.id, here.preferences.timezone)

st.subheader("Your reminders")
reminders = app.reminders.schedules(user.id)
if not reminders:
    st.write("No reminders yet.")
for reminder in reminders:
    reminder_row(app, user.id, reminder)

nudges_form(app, user.id)

problems = app.reminders.undeliverable(user.id)
if problems:
    st.subheader("Couldn't be delivered")
    for problem in problems:
        when = problem.occurrence_at.strftime("%d %b %H:%M UTC")
        how = CHANNEL_LABELS.get(problem.channel, problem.channel)
        why = "gave up after several tries" if problem.status == "dead" else "refused"
        st.write(f"{when} by {how}: {why} (code {problem.error_code or '–'})")
