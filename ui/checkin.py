"""Check-in widgets: the save form (live or by hand), what saving found, and past check-ins.

Owns its session-state keys (all start with "checkin_").
"""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from core.bootstrap import App
from core.checkin import FEELINGS, CheckinDraft, SavedCheckin
from core.emotion.live import SessionSummary
from core.errors import InvalidInput, NotFound
from core.journal_forms import local_time
from core.rendering import escape_markdown
from ui.crisis import show_crisis_resources
from ui.webcam import LiveSession, end_live_session

_OUTCOME = "checkin_outcome"
_RESET = "checkin_reset"
_FORM_KEYS = ("checkin_feeling", "checkin_rating", "checkin_note", "checkin_keep_tone")


def show_outcome() -> None:
    """What the last save found: the crisis numbers at once, a gentle line, or "Saved."."""
    if st.session_state.pop(_RESET, False):
        for key in _FORM_KEYS:
            st.session_state.pop(key, None)
    saved: SavedCheckin | None = st.session_state.pop(_OUTCOME, None)
    if saved is None:
        return
    assessment = saved.assessment
    if assessment.level == "crisis":
        show_crisis_resources(assessment.resources, message=assessment.message)
        st.caption("Your check-in is saved.")
    elif assessment.level == "concern":
        st.info(assessment.message or "Thank you for saying how you feel.")
        st.caption("Your check-in is saved.")
    else:
        st.success("Check-in saved. It now shows on your mood timeline.")


def save_form(
    app: App, user_id: str, region: str, session: LiveSession, summary: SessionSummary | None
) -> None:
    """The person's own answer; saved with the live summary when there was a session."""
    hint = summary.dominant if summary and summary.dominant else None
    with st.form("checkin_form", border=True):
        if hint:
            seconds = summary.duration_seconds if summary else 0
            st.caption(
                f"The camera read mostly **{hint}** over {seconds} s. "
                "Change it if that isn't how you feel."
            )
        feeling = st.selectbox(
            "What you feel",
            FEELINGS,
            index=FEELINGS.index(hint or "neutral"),
            key="checkin_feeling",
        )
        rating = st.slider(
            "How are you overall? (1 = very low, 10 = very good)", 1, 10, 5, key="checkin_rating"
        )
        note = st.text_area(
            "A note (optional, private, encrypted)", key="checkin_note", max_chars=2_000
        )
        tone = session.voice.tone() if summary else None
        keep_tone = False
        if tone is not None and tone.arousal is not None:
            keep_tone = st.checkbox(
                f"Keep my voice tone with this check-in ({tone.label})", key="checkin_keep_tone"
            )
        if not st.form_submit_button("Save check-in", type="primary", key="checkin_save"):
            return
    live = summary is not None and summary.analyses > 0
    draft = CheckinDraft(
        started_at=app.clock.now() - _seconds(summary),
        feeling=feeling,
        rating=rating,
        note=note,
        source="webcam" if live else "manual",
        duration_seconds=summary.duration_seconds if summary else 0,
        analyses=summary.analyses if summary else 0,
        model_dominant=summary.dominant if live and summary else None,
        model_average=summary.average if live and summary else None,
        tone=tone if keep_tone else None,
    )
    try:
        saved = app.checkins.save(user_id=user_id, draft=draft, region=region)
    except InvalidInput as problem:
        st.warning(str(problem))
        return
    end_live_session()
    st.session_state[_OUTCOME] = saved
    st.session_state[_RESET] = True
    st.rerun()


def _seconds(summary: SessionSummary | None) -> timedelta:
    return timedelta(seconds=summary.duration_seconds if summary else 0)


def show_history(app: App, user_id: str, timezone: str) -> None:
    """The last check-ins, newest first, each with a delete button."""
    checkins = app.checkins.list(user_id=user_id, limit=20)
    st.subheader("Recent check-ins")
    if not checkins:
        st.caption("No check-ins yet. Your first one will show here and on your mood chart.")
        return
    for item in checkins:
        when = local_time(item.started_at, timezone).strftime("%a %d %b, %H:%M")
        source = "camera" if item.source == "webcam" else "by hand"
        title = f"{when} · {item.feeling} · {item.rating}/10 · {source}"
        with st.expander(title):
            if item.source == "webcam" and item.model_average:
                st.caption(
                    f"Camera hint: mostly {item.model_dominant} over {item.duration_seconds} s "
                    f"({item.analyses} readings)."
                )
            if item.tone:
                arousal = item.tone.get("arousal") or 0.0
                st.caption(f"Voice tone saved: arousal {arousal:.2f} (0 calm … 1 tense)")
            if item.note:
                st.markdown(escape_markdown(item.note))
            if st.button("Delete", key=f"checkin_delete_{item.id}", icon=":material/delete:"):
                try:
                    app.checkins.delete(user_id=user_id, checkin_id=item.id)
                except NotFound as gone:
                    st.info(str(gone))
                st.rerun()
