"""Check-in: a live emotion hint from the camera (optional voice tone), then a saved summary."""

from __future__ import annotations

import streamlit as st

from core.emotion import weights_status
from ui.checkin import save_form, show_history, show_outcome
from ui.context import page_context
from ui.webcam import camera, live_session, show_live_state

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
    with st.expander("Before you start: what happens to your picture and voice", expanded=True):
        st.markdown(
            "- The camera picture is read on this server, a few times a second, and then "
            "forgotten. No picture, sound or face data is stored, logged or sent anywhere.\n"
            "- Saving keeps only a summary: when, how long, the averaged reading, your own "
            "rating and note.\n"
            "- You can stop at any time with **Stop**."
        )
        consent = st.checkbox("I understand; let me use the camera", key="checkin_consent")
        microphone = st.checkbox(
            "Also listen to my voice tone (loudness, pitch, pace; not the words)",
            key="checkin_microphone",
            disabled=not consent,
        )
    if consent:
        session.analyzer.start()  # loads the model now, before the first frame arrives
        video, live = st.columns([3, 2])
        with video:
            camera(app, session, microphone=microphone)

        # Refreshed twice a second on its own: the camera's state reaches the page late.
        @st.fragment(run_every=0.5)
        def live_panel() -> None:
            show_live_state(session.analyzer.state())
            if microphone:
                tone = session.voice.tone()
                st.caption(f"Voice tone: **{tone.label}** (tone, not a diagnosis)")

        with live:
            live_panel()
        if session.played:
            summary = session.analyzer.summary()

st.subheader("How do you feel?")
save_form(app, user.id, here.preferences.region, session, summary)
show_history(app, user.id, here.preferences.timezone)
