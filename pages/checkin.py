"""Check-in: a live emotion hint from the camera (optional voice tone), then a saved summary."""

from __future__ import annotations

import streamlit as st

from core.emotion import weights_status
from ui.checkin import save_form, show_history, show_outcome
from ui.context import page_context
from ui.webcam import consent, live_session, live_view

here = page_context()
app, user = here.app, here.user

st.title("Check in")
st.caption(
    "See what your face shows right now, then say how you really feel. The camera picture is "
    "a hint, never a measurement: it is right about half the time, so you have the last word."
)
show_outcome()

status = weights_status(app.settings.emotion_weights_home)
session = live_session(app)
summary = None
if not status.ready:
    st.info(status.advice, icon=":material/info:")
else:
    allowed, microphone = consent()
    if allowed:
        live_view(app, session, microphone=microphone)
        if session.played:
            summary = session.analyzer.summary()

st.subheader("How do you feel?")
save_form(app, user.id, here.preferences.region, session, summary)
show_history(app, user.id, here.preferences.timezone)
