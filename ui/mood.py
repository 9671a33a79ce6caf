"""Mood widgets: the quick log form, what happened on save, and recent entries to edit or delete.

Owns its session-state keys (all start with "mood_"). A save keeps its outcome, asks for the form
to be emptied and runs the page again; the next run empties the form before drawing it and shows
the outcome at the top (as the journal does).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import streamlit as st

from core.bootstrap import App
from core.errors import InvalidInput, NotFound
from core.mood import (
    EMOTIONS,
    FACES,
    MAX_NOTE_CHARS,
    MoodDraft,
    MoodView,
    SavedMood,
    local_time,
)
from core.rendering import escape_markdown
from ui.crisis import show_save_outcome

_OUTCOME = "mood_outcome"
_NOTICE = "mood_notice"
_RESET = "mood_reset"
_EDITING = "mood_editing"
_SHOWN = "mood_shown"
_CONFIRMING = "mood_confirming"
PAGE_SIZE = 10
# Material icons, drawn from Streamlit's bundled font: emoji need fonts not every machine has.
FACE_ICONS = {
    2: ":material/sentiment_very_dissatisfied:",
    4: ":material/sentiment_dissatisfied:",
    6: ":material/sentiment_neutral:",
    8: ":material/sentiment_satisfied:",
    10: ":material/sentiment_very_satisfied:",
}
FACE_LABELS = {score: f"{FACE_ICONS[score]} {word}" for score, _, word in FACES}


def icon_for(score: float) -> str:
    """The face icon nearest a score (a mean rounds to the nearest face)."""
    return FACE_ICONS[min(FACE_ICONS, key=lambda face: (abs(face - score), face))]


def show_outcome() -> None:
    """The last save: the crisis numbers at once for a crisis note, a gentle line, or "Saved."."""
    saved: SavedMood | None = st.session_state.pop(_OUTCOME, None)
    notice: str | None = st.session_state.pop(_NOTICE, None)
    if notice:
        st.info(notice)
    if saved is None:
        return
    show_save_outcome(saved.assessment, saved="Your mood is saved.")


def _saved(saved: SavedMood) -> None:
    st.session_state[_OUTCOME] = saved
    st.session_state[_RESET] = True
    st.session_state.pop(_EDITING, None)
    st.rerun()


def _form_defaults(today: date) -> dict[str, Any]:
    return {
        "mood_score_faces": None,
        "mood_score_ten": None,
        "mood_emotions": [],
        "mood_activities": [],
        "mood_people": [],
        "mood_note": "",
        "mood_earlier": False,
        "mood_date": today,
        "mood_time": time(12, 0),
    }


def _prepare_form(today: date) -> None:
    """Start values through session state (so no widget needs `value=` too); after a save,
    set them again: the browser would otherwise send the old choices back."""
    defaults = _form_defaults(today)
    if st.session_state.pop(_RESET, False):
        st.session_state.update(defaults)
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)


def log_form(app: App, user_id: str, *, region: str, timezone: str) -> None:
    """Log a mood in a few taps: a face (or 1-10), emotions, tags, a note, optionally earlier."""
    today = local_time(app.clock.now(), timezone).date()
    _prepare_form(today)
    tags = app.mood.tags(user_id=user_id)
    scale = st.segmented_control(
        "Score with",
        ["Faces", "1–10"],
        default="Faces",
        key="mood_scale",
        label_visibility="collapsed",
    )
    with st.form("mood_log_form", border=True):
        if scale == "1–10":
            score = st.segmented_control(
                "How are you feeling? (1 = very low, 10 = very good)",
                list(range(1, 11)),
                key="mood_score_ten",
            )
        else:
            score = st.segmented_control(
                "How are you feeling?",
                list(FACE_LABELS),
                format_func=FACE_LABELS.__getitem__,
                key="mood_score_faces",
            )
        emotions = st.pills(
            "Emotions (optional)", EMOTIONS, selection_mode="multi", key="mood_emotions"
        )
        left, right = st.columns(2)
        activities = left.multiselect(
            "Activities (optional; type to add your own)",
            [tag.name for tag in tags if tag.kind == "activity"],
            accept_new_options=True,
            key="mood_activities",
        )
        people = right.multiselect(
            "People (optional; type to add)",
            [tag.name for tag in tags if tag.kind == "people"],
            accept_new_options=True,
            key="mood_people",
        )
        # No max_chars: the browser would cut a long paste silently; the service says why.
        note = st.text_area(
            f"Note (optional, encrypted, up to {MAX_NOTE_CHARS:,} characters)",
            key="mood_note",
            height=80,
        )
        earlier = st.checkbox("This was earlier", key="mood_earlier")
        when_day, when_time = st.columns(2)
        day = when_day.date_input("Day", max_value=today, key="mood_date")
        moment = when_time.time_input("Time", key="mood_time", step=300)
        submitted = st.form_submit_button("Save mood", type="primary", key="mood_save")
    if not submitted:
        return
    if score is None:
        st.warning("Pick how you feel first: one tap on a face (or a number) is enough.")
        return
    when = _local(day, moment, timezone) if earlier else None
    draft = MoodDraft(int(score), emotions or (), activities, people, note, when)
    try:
        saved = app.mood.log(user_id=user_id, mood=draft, region=region)
    except InvalidInput as problem:
        st.warning(str(problem))
        return
    _saved(saved)


def _local(day: date | None, moment: time | None, timezone: str) -> datetime | None:
    if day is None or moment is None:
        return None
    return datetime.combine(day, moment, ZoneInfo(timezone))


def one_tap(app: App, user_id: str, *, key: str) -> None:
    """Five face buttons in a row; a tap logs that mood now (the Home page's quick log)."""
    columns = st.columns(len(FACES))
    for column, (score, _, word) in zip(columns, FACES, strict=True):
        if column.button(FACE_LABELS[score], key=f"{key}_{score}", width="stretch"):
            try:
                app.mood.log(user_id=user_id, mood=MoodDraft(score))
            except InvalidInput as problem:
                st.warning(str(problem))
            else:
                st.session_state[_NOTICE] = (
                    f"Logged {word} ({score}/10). Thank you for checking in."
                )
                st.rerun()


def show_notice() -> None:
    """A notice a quick log left for this run."""
    notice: str | None = st.session_state.pop(_NOTICE, None)
    if notice:
        st.success(notice, icon=":material/check:")


def describe(entry: MoodView, timezone: str) -> str:
    """One line about an entry, the person's words escaped: when, face and score, tags."""
    when = local_time(entry.logged_at, timezone)
    parts = [f"{when:%a %d %b %Y, %H:%M}", f"{icon_for(entry.score)} {entry.score}/10"]
    if entry.emotions:
        parts.append(", ".join(entry.emotions))
    tags = [*entry.activities, *entry.people]
    if tags:
        parts.append(escape_markdown(", ".join(tags)))
    return " · ".join(parts)


def show_entries(app: App, user_id: str, *, region: str, timezone: str) -> None:
    """Recent entries, newest first, each with Edit and a confirmed Delete."""
    shown = int(st.session_state.get(_SHOWN, PAGE_SIZE))
    entries = app.mood.recent(user_id=user_id, limit=shown + 1)
    if not entries:
        st.caption("No entries yet. They will appear here, newest first.")
        return
    for entry in entries[:shown]:
        editing = st.session_state.get(_EDITING) == entry.id
        confirming = st.session_state.get(_CONFIRMING) == entry.id
        with st.expander(describe(entry, timezone), expanded=editing or confirming):
            if editing:
                _edit_form(app, user_id, entry, region=region, timezone=timezone)
                continue
            if entry.note:
                st.markdown(escape_markdown(entry.note))
            _entry_actions(app, user_id, entry.id)
    if len(entries) > shown and st.button("Show older entries", key="mood_more"):
        st.session_state[_SHOWN] = shown + PAGE_SIZE
        st.rerun()


def _entry_actions(app: App, user_id: str, mood_id: str) -> None:
    """Edit, and Delete with a second, confirming click (nothing is deleted by accident)."""
    edit, delete = st.columns(2)
    if edit.button("Edit", key=f"mood_edit_{mood_id}", icon=":material/edit:"):
        st.session_state[_EDITING] = mood_id
        st.rerun()
    if st.session_state.get(_CONFIRMING) != mood_id:
        if delete.button("Delete", key=f"mood_delete_{mood_id}", icon=":material/delete:"):
            st.session_state[_CONFIRMING] = mood_id
            st.rerun()
        return
    st.warning("Delete this entry? This can't be undone.")
    yes, no = st.columns(2)
    if yes.button("Yes, delete it", key=f"mood_confirm_{mood_id}", type="primary"):
        st.session_state.pop(_CONFIRMING, None)
        _delete(app, user_id, mood_id)
    if no.button("Keep it", key=f"mood_keep_{mood_id}"):
        st.session_state.pop(_CONFIRMING, None)
        st.rerun()


def _edit_form(app: App, user_id: str, entry: MoodView, *, region: str, timezone: str) -> None:
    tags = app.mood.tags(user_id=user_id)
    when = local_time(entry.logged_at, timezone)
    today = local_time(app.clock.now(), timezone).date()
    key = entry.id
    with st.form(f"mood_edit_form_{key}", border=False):
        score = st.slider("Mood (1-10)", 1, 10, value=entry.score, key=f"mood_edit_score_{key}")
        emotions = st.multiselect(
            "Emotions", EMOTIONS, default=list(entry.emotions), key=f"mood_edit_emotions_{key}"
        )
        activities = st.multiselect(
            "Activities",
            sorted({*entry.activities, *(t.name for t in tags if t.kind == "activity")}),
            default=list(entry.activities),
            accept_new_options=True,
            key=f"mood_edit_activities_{key}",
        )
        people = st.multiselect(
            "People",
            sorted({*entry.people, *(t.name for t in tags if t.kind == "people")}),
            default=list(entry.people),
            accept_new_options=True,
            key=f"mood_edit_people_{key}",
        )
        note = st.text_area("Note", value=entry.note, key=f"mood_edit_note_{key}")
        left, right = st.columns(2)
        day = left.date_input(
            "Day", value=when.date(), max_value=max(today, when.date()), key=f"mood_edit_day_{key}"
        )
        moment = right.time_input("Time", value=when.time(), key=f"mood_edit_time_{key}")
        save, cancel = st.columns(2)
        saved = save.form_submit_button("Save changes", type="primary", key="mood_edit_save")
        cancelled = cancel.form_submit_button("Cancel", key="mood_edit_cancel")
    if cancelled:
        st.session_state.pop(_EDITING, None)
        st.rerun()
    if saved:
        draft = MoodDraft(score, emotions, activities, people, note, _local(day, moment, timezone))
        try:
            result = app.mood.update(user_id=user_id, mood_id=entry.id, mood=draft, region=region)
        except InvalidInput as problem:
            st.warning(str(problem))
        except NotFound as gone:
            _gone(str(gone))
        else:
            _saved(result)


def _delete(app: App, user_id: str, mood_id: str) -> None:
    try:
        app.mood.delete(user_id=user_id, mood_id=mood_id)
    except NotFound as gone:
        _gone(str(gone))
    else:
        _gone("Entry deleted.")


def _gone(message: str) -> None:
    st.session_state.pop(_EDITING, None)
    st.session_state[_NOTICE] = message
    st.rerun()
