"""The live camera (and optional microphone) of the check-in page, over streamlit-webrtc.

Owns its session-state keys (all start with "checkin_"). The WebRTC callbacks run on other
threads: they only reach the `LiveAnalyzer` and `VoiceBuffer` objects they close over, never
`st.session_state`. No frame or sound is stored: the analyzer keeps the newest frame until the
next one, the voice buffer the last seconds of samples, both in memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import av
import numpy as np
import streamlit as st
from streamlit_webrtc import WebRtcMode, webrtc_streamer

from core.bootstrap import App
from core.emotion import EMOTIONS
from core.emotion.live import LiveAnalyzer, LiveState
from core.emotion.voice import VoiceBuffer

_SESSION = "checkin_live"
STREAM_KEY = "checkin-camera"


@dataclass
class LiveSession:
    """One camera session's analyzers (kept in session state by the page's own thread)."""

    analyzer: LiveAnalyzer
    voice: VoiceBuffer
    played: bool = False


def live_session(app: App) -> LiveSession:
    """This browser session's analyzers, made on first use."""
    session: LiveSession | None = st.session_state.get(_SESSION)
    if session is None:
        model = app.emotion_model
        analyzer = LiveAnalyzer(
            lambda: model,
            rate_hz=app.settings.emotion_analyses_per_second,
            smoothing_seconds=app.settings.emotion_smoothing_seconds,
        )
        session = LiveSession(analyzer, VoiceBuffer())
        st.session_state[_SESSION] = session
    return session


def end_live_session() -> None:
    """Stop the analyzer thread and forget the session (after saving, or starting over)."""
    session: LiveSession | None = st.session_state.pop(_SESSION, None)
    if session is not None:
        session.analyzer.stop()
        session.voice.clear()


def camera(app: App, session: LiveSession, *, microphone: bool) -> bool:
    """Draw the camera widget; True while it is streaming."""
    analyzer, voice = session.analyzer, session.voice

    def on_video(frame: av.VideoFrame) -> av.VideoFrame:
        image = np.asarray(frame.to_ndarray(format="bgr24"), dtype=np.uint8)
        analyzer.submit(image)  # returns at once: analysis runs on the analyzer's thread
        return av.VideoFrame.from_ndarray(analyzer.annotate(image), format="bgr24")

    def on_audio(frame: av.AudioFrame) -> av.AudioFrame:
        voice.feed(_mono(frame), frame.sample_rate)
        return frame

    # Always explicit, even when empty: with no list streamlit-webrtc would ask Twilio (when
    # TWILIO_* is set) or a public STUN server by itself.
    ice = {"iceServers": app.settings.ice_servers}
    context = webrtc_streamer(
        key=STREAM_KEY,
        mode=WebRtcMode.SENDRECV,
        rtc_configuration=ice,
        server_rtc_configuration=ice,
        frontend_rtc_configuration=ice,
        media_stream_constraints={
            "video": {"width": 640, "height": 480, "frameRate": 15},
            "audio": microphone,
        },
        video_frame_callback=on_video,
        audio_frame_callback=on_audio if microphone else None,
        sendback_audio=False,
        async_processing=True,
    )
    playing = bool(context.state.playing)
    session.played = session.played or playing
    return playing


def _mono(frame: av.AudioFrame) -> np.ndarray:
    """The frame's samples as mono floats in -1..1 (aiortc gives packed 16-bit integers)."""
    samples = frame.to_ndarray()
    channels = len(frame.layout.channels)
    data = samples.reshape(-1, channels) if samples.shape[0] == 1 else samples.T
    mono = np.asarray(data, dtype=np.float64).mean(axis=1)
    return np.asarray(mono / 32768.0 if np.issubdtype(samples.dtype, np.integer) else mono)


def show_live_state(state: LiveState) -> None:
    """The hint in words and a bar per emotion, smoothed over the last seconds."""
    if state.hint in ("ok", "several_faces") and state.dominant:
        st.markdown(
            f"**Looks like: {state.dominant}** · confidence {state.confidence:.0%} "
            f"· {state.analyses} readings"
        )
        if state.hint == "several_faces":
            st.caption(state.message)
    else:
        st.info(state.message, icon=":material/videocam:")
    scores = state.scores or dict.fromkeys(EMOTIONS, 0.0)
    for label in EMOTIONS:
        st.progress(min(1.0, max(0.0, scores[label])), text=f"{label} {scores[label]:.0%}")


def consent() -> tuple[bool, bool]:
    """The short consent note before the camera starts; (camera allowed, microphone too)."""
    with st.expander("Before you start: what happens to your picture and voice", expanded=True):
        st.markdown(
            "- The camera picture is read on this server, a few times a second, and then "
            "forgotten. No picture, sound or face data is stored, logged or sent anywhere.\n"
            "- Saving keeps only a summary: when, how long, the averaged reading, your own "
            "rating and note.\n"
            "- You can stop at any time with **Stop**."
        )
        allowed = st.checkbox("I understand; let me use the camera", key="checkin_consent")
        microphone = st.checkbox(
            "Also listen to my voice tone (loudness, pitch, pace; not the words)",
            key="checkin_microphone",
            disabled=not allowed,
        )
    return allowed, allowed and microphone


def live_view(app: App, session: LiveSession, *, microphone: bool) -> None:
    """The camera beside the live reading, which refreshes on its own twice a second."""
    session.analyzer.start()  # loads the model now, before the first frame arrives
    video, live = st.columns([3, 2])
    with video:
        camera(app, session, microphone=microphone)

    # A fragment: the camera's state reaches the page only through these timed reruns.
    @st.fragment(run_every=0.5)
    def live_panel() -> None:
        show_live_state(session.analyzer.state())
        if microphone:
            tone = session.voice.tone()
            st.caption(f"Voice tone: **{tone.label}** (tone, not a diagnosis)")

    with live:
        live_panel()
