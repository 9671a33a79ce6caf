"""Live pace feedback from the microphone, only with the person's consent.

streamlit-webrtc carries the microphone (audio only) to this process; each frame is reduced at
once to loudness values by `core.breathing_rate.BreathRateMeter` and dropped. Nothing is
recorded, stored or logged, and no STUN server outside the machine is asked (no ICE servers).
Must be the last thing on the page: while the microphone is on, the script stays here and
updates the reading once a second.

When the microphone can't be used (the browser refuses it, there is none, or the connection to
this app can't carry audio) the person is told so kindly, in the component and on the page, and
the pacer goes on without it. The last reading is kept for the session's record
(`measured_rate`).
"""

from __future__ import annotations

import queue
import time

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit_webrtc import WebRtcMode, webrtc_streamer
from streamlit_webrtc.config import Translations

from core.breathing_rate import BreathRateMeter

_NO_OUTSIDE_SERVERS: dict[str, list[object]] = {"iceServers": []}
_RAW_AUDIO = {"echoCancellation": False, "noiseSuppression": False, "autoGainControl": False}
_TOLERANCE = 1.0  # breaths a minute either side of the target
CONNECT_SECONDS = 15.0  # a connection on one machine or a LAN takes a second or two
START_SECONDS = 15.0  # from the consent to the microphone streaming: a press and a prompt
SILENT_SECONDS = 10.0
_METERS = "breathe_meters"
_CARRY_ON = "That's fine: the circle works just the same without it, so keep following it."
NO_CONNECTION = (
    "The microphone couldn't connect to the app, so your pace can't be shown this time. "
    f"{_CARRY_ON} (A network that blocks live audio can cause this; you can turn the "
    "microphone off above.)"
)
SILENT = f"No sound has come from the microphone for a while. {_CARRY_ON}"
# The browser tells the component, not this page, when it refuses the microphone; the page only
# sees that no audio comes. So after a while it says both what to do and that it's fine without.
NOT_ON = (
    "The microphone isn't on. Press START above and choose Allow if your browser asks. If the "
    "browser blocked it, or there is no microphone, that's fine: the circle works just the same "
    "without it, so keep following it."
)
# What the microphone component says itself, in the app's voice rather than the browser's.
_KIND_TEXTS = Translations(
    device_ask_permission="Your browser will ask to use the microphone: choose Allow.",
    device_access_denied=(
        f"The browser didn't allow the microphone. {_CARRY_ON} To use it another time, allow "
        "the microphone for this site in the browser's settings"
    ),
    device_not_available=f"No microphone could be opened. {_CARRY_ON}",
    media_api_not_available=f"This browser can't share a microphone with this page. {_CARRY_ON}",
)


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


def measured_rate(run_id: str) -> float | None:
    """The breaths a minute the microphone measured during this run, if it did."""
    meters: dict[str, BreathRateMeter] = st.session_state.get(_METERS, {})
    meter = meters.get(run_id)
    return None if meter is None else meter.estimate()


def forget(run_id: str) -> None:
    """Drop the run's envelope once the run is saved or left."""
    st.session_state.get(_METERS, {}).pop(run_id, None)
    _reset_clocks(run_id)


def _reset_clocks(run_id: str) -> None:
    for stage in ("consent", "offer"):
        st.session_state.pop(f"breathe_mic_clock_{stage}_{run_id}", None)


def mic_feedback(target_bpm: float, run_id: str) -> None:
    """The consent switch, then the microphone and a live reading beside the target."""
    st.markdown("**Check my pace with the microphone** (optional)")
    consent = st.toggle(
        "Yes, listen to my breathing to show my pace. Nothing is recorded or kept.",
        key=f"breathe_mic_consent_{run_id}",
    )
    if not consent:
        _reset_clocks(run_id)
        return
    meters: dict[str, BreathRateMeter] = st.session_state.setdefault(_METERS, {})
    meter = meters.setdefault(run_id, BreathRateMeter())
    context = webrtc_streamer(
        key=f"breathe_mic_{run_id}",
        mode=WebRtcMode.SENDONLY,
        audio_receiver_size=512,
        # The browser's voice clean-up would filter out the very sound of breathing.
        media_stream_constraints={"audio": _RAW_AUDIO, "video": False},
        rtc_configuration=_NO_OUTSIDE_SERVERS,
        translations=_KIND_TEXTS,
    )
    slot = st.empty()
    if not context.state.playing:
        # Each stage's clock starts the first run it is seen and survives reruns.
        stage = "offer" if context.state.signalling else "consent"
        started = st.session_state.setdefault(
            f"breathe_mic_clock_{stage}_{run_id}", time.monotonic()
        )
        if context.state.signalling:
            _wait(slot, started, CONNECT_SECONDS, "Connecting to the microphone…", NO_CONNECTION)
        else:
            _wait(slot, started, START_SECONDS, "", NOT_ON)
        return
    _reset_clocks(run_id)
    heard = time.monotonic()
    while context.state.playing and context.audio_receiver is not None:
        try:
            frames = context.audio_receiver.get_frames(timeout=1)
        except queue.Empty:
            if time.monotonic() - heard > SILENT_SECONDS:
                slot.warning(SILENT, icon=":material/mic_off:")
            continue
        heard = time.monotonic()
        for frame in frames:
            meter.feed(*_mono(frame))
        _reading(slot, meter, target_bpm)


def _wait(slot: DeltaGenerator, started: float, seconds: float, waiting: str, late: str) -> None:
    """Wait for the microphone (its audio arriving reruns the page and ends this wait); after
    `seconds` from `started`, say `late` kindly."""
    while time.monotonic() - started < seconds:
        if waiting:
            slot.caption(waiting)
        else:
            slot.empty()
        time.sleep(0.5)
    slot.warning(late, icon=":material/mic_off:")
