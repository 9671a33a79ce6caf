"""Breathe: a paced breathing session with a calm animated guide, stress before and after."""

from __future__ import annotations

import streamlit as st

from ui.breath_mic import mic_feedback
from ui.breathe import current_run, run_session, setup, show_history, show_notice, show_stats
from ui.context import page_context

here = page_context()
app, user = here.app, here.user

st.title("Breathe")
st.caption(
    "Slow breathing calms the body's alarm system. Breathe gently through the nose if you can; "
    "if you feel dizzy, stop and breathe normally."
)
show_notice()

run = current_run()
if run is None:
    setup(app)
    outcome = None
else:
    outcome = run_session(app, user.id, run)
microphone = st.container()  # under the pacer; filled last, as the microphone keeps the run going

st.subheader("Your practice")
show_stats(app.breathing.stats(user_id=user.id))
show_history(app.breathing.recent(user_id=user.id, limit=10), timezone=here.preferences.timezone)

if run is not None and outcome is None:
    with microphone:
        mic_feedback(run.pattern.breaths_per_minute, run.id)
