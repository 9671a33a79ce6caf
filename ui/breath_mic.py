"""Live pace feedback from the microphone, only with the person's consent.

streamlit-webrtc carries the microphone (audio only) to this process; each frame is reduced at
once to loudness values by `core.breathing_rate.BreathRateMeter` and dropped. Nothing is
recorded, stored or logged, and no STUN server outside the machine is asked (no ICE servers).
Must be the last thing on the page: while the microphone is on, the script stays here and
updates the reading once a second.
"""

from __future__ import annotations

import queue

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit_webrtc import WebRtcMode, webrtc_streamer

from core.breathing_rate import BreathRateMeter

_NO_OUTSIDE_SERVERS = {"iceServers": []}
_RAW_AUDIO = {"echoCancellation": False, "noiseSuppression": False, "autoGainControl": False}
_TOLERANCE = 1.0  # breaths a minute either side of the target


def _mono(frame: object) -> tuple[np.ndarray, int]:
    """A frame's samples as mono floats in [-1, 1], and its sample rate."""
    samples = frame.to_ndarray()  # type: ignore[attr-defined]
    layout = len(frame.layout.channels)  # type: ignore[attr-defined]
    data = samples.astype(np.float64).reshape(-1, layout).mean(axis=1)
    if np.issubdtype(samples.dtype, np.integer):
        data /= float(np.iinfo(samples.dtype).max)
    return data, int(frame.sample_rate)  # type: ignore[attr-defined]


def _reading(slot: DeltaGenerator, meter: BreathRateMeter, target: float) -> None:
    found = meter.estimate()
    if found is None:
        slot.info(
            f"Listening… ({meter.seconds:.0f} s so far). Breathe so that the microphone can "
            "just hear you; the first reading comes after a few breaths."
        )
        return
    gap = found - target
    if abs(gap) <= _TOLERANCE:
        verdict = "right with the pacer"
    else:
        verdict = "a little fast: slow down with the circle" if gap > 0 else "a little slow"
    slot.markdown(f"**Your pace: {found:.1f} breaths a minute** · target {target:.1f} · {verdict}")


def mic_feedback(target_bpm: float, run_id: str) -> None:
    """The consent switch, then the microphone and a live reading beside the target."""
    st.markdown("**Check my pace with the microphone** (optional)")
    consent = st.toggle(
        "Yes, listen to my breathing to show my pace. Nothing is recorded or kept.",
        key=f"breathe_mic_consent_{run_id}",
    )
    if not consent:
        return
    meters: dict[str, BreathRateMeter] = st.session_state.setdefault("breathe_meters", {})
    meter = meters.setdefault(run_id, BreathRateMeter())
    context = webrtc_streamer(
        key=f"breathe_mic_{run_id}",
        mode=WebRtcMode.SENDONLY,
        audio_receiver_size=512,
        # The browser's voice clean-up would filter out the very sound of breathing.
        media_stream_constraints={"audio": _RAW_AUDIO, "video": False},
        rtc_configuration=_NO_OUTSIDE_SERVERS,
    )
    slot = st.empty()
    while context.state.playing and context.audio_receiver is not None:
        try:
            frames = context.audio_receiver.get_frames(timeout=1)
        except queue.Empty:
            continue
        for frame in frames:
            meter.feed(*_mono(frame))
        _reading(slot, meter, target_bpm)
