"""Journal widgets: what happened on save, emptying a form after it, and the past entries.

Owns its session-state keys (all start with "journal_"). A save stores its outcome, asks for
the form to be emptied and runs the page again; the next run empties the form before it is
drawn (a widget's value can't change once drawn) and shows the outcome at the top.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from core.bootstrap import App
from core.errors import InvalidInput, NotFound
from core.journal import JournalView, SavedEntry
from core.journal_forms import KIND_LABELS, Draft, local_time
from core.rendering import escape_markdown
from ui.crisis import show_save_outcome

PAGE_SIZE = 30
_OUTCOME = "journal_outcome"
_RESET = "journal_reset"
_EDITING = "journal_editing"
_SHOWN = "journal_shown"
_NOTICE = "journal_notice"


def prepare_forms(*defaults: Mapping[str, Any]) -> None:
    """Give each form widget its starting value (through session state, so no widget needs a
    `value=` too) and empty the forms a save asked to empty; call before any form is drawn."""
    for key, value in st.session_state.pop(_RESET, {}).items():
        st.session_state[key] = value
    for form in defaults:
        for key, value in form.items():
            st.session_state.setdefault(key, value)


def save_draft(
    app: App,
    user_id: str,
    region: str,
    make_draft: Callable[[], Draft],
    *,
    reset: Mapping[str, Any],
) -> None:
    """Build the entry from a form and save it; a broken rule is a kind warning, the typed
    text stays in the form. On success, `after_save`."""
    try:
        draft = make_draft()
        saved = app.journal.add(
            user_id=user_id, title=draft.title, body=draft.body, kind=draft.kind, region=region
        )
    except InvalidInput as problem:
        st.warning(str(problem))
        return
    after_save(saved, reset=reset)


def after_save(saved: SavedEntry, *, reset: Mapping[str, Any] | None = None) -> None:
    """Keep the outcome for the next run, empty the form there, and run the page again."""
    st.session_state[_OUTCOME] = saved
    st.session_state[_RESET] = dict(reset or {})
    st.session_state.pop(_EDITING, None)
    st.rerun()


def show_outcome() -> None:
    """What the last save found: the crisis numbers at once, a gentle line, or "Saved."."""
    saved: SavedEntry | None = st.session_state.pop(_OUTCOME, None)
    notice: str | None = st.session_state.pop(_NOTICE, None)
    if notice:
        st.info(notice)
    if saved is None:
        return
    show_save_outcome(saved.assessment, saved="Your entry is saved.")


def show_entries(app: App, user_id: str, *, region: str, timezone: str) -> None:
    """The person's entries, newest first, a page at a time, each with Edit and Delete."""
    shown = int(st.session_state.get(_SHOWN, PAGE_SIZE))
    entries = app.journal.list(user_id=user_id, limit=shown + 1)
    editing = st.session_state.get(_EDITING)
    if editing and editing not in {entry.id for entry in entries[:shown]}:
        _lost_edit(app, user_id, editing)
    if not entries:
        st.caption("Nothing here yet. Your entries will appear here, newest first.")
        return
    for entry in entries[:shown]:
        _entry(app, user_id, entry, region=region, timezone=timezone)
    if len(entries) > shown and st.button("Show older entries", key="journal_more"):
        st.session_state[_SHOWN] = shown + PAGE_SIZE
        st.rerun()


def _entry(app: App, user_id: str, entry: JournalView, *, region: str, timezone: str) -> None:
    written = local_time(entry.created_at, timezone)
    title = entry.title or "Untitled"
    editing = st.session_state.get(_EDITING) == entry.id
    label = f"{written:%a %d %b %Y, %H:%M} · {escape_markdown(title)}"
    with st.expander(label, expanded=editing):
        detail = KIND_LABELS.get(entry.kind, "Entry")
        if entry.updated_at > entry.created_at:
            detail += f" · edited {local_time(entry.updated_at, timezone):%d %b %Y, %H:%M}"
        st.caption(detail)
        if editing:
            _edit_form(app, user_id, entry, region=region)
            return
        st.markdown(escape_markdown(entry.body))
        if st.button("Edit", key=f"journal_edit_{entry.id}", icon=":material/edit:"):
            st.session_state[_EDITING] = entry.id
            st.rerun()
        with st.form(f"journal_delete_form_{entry.id}", border=False):
            confirm = st.checkbox("Yes, delete this entry", key=f"journal_confirm_{entry.id}")
            if st.form_submit_button("Delete", key=f"journal_delete_{entry.id}"):
                if not confirm:
                    st.warning("Tick the box first, so nothing is deleted by accident.")
                else:
                    _delete(app, user_id, entry.id)


def _edit_form(app: App, user_id: str, entry: JournalView, *, region: str) -> None:
    with st.form(f"journal_edit_form_{entry.id}", border=False):
        title = st.text_input("Title", value=entry.title, key=f"journal_edit_title_{entry.id}")
        body = st.text_area(
            "Entry", value=entry.body, height=240, key=f"journal_edit_body_{entry.id}"
        )
        save, cancel = st.columns(2)
        saved = save.form_submit_button("Save changes", type="primary", key="journal_edit_save")
        cancelled = cancel.form_submit_button("Cancel", key="journal_edit_cancel")
    if cancelled:
        st.session_state.pop(_EDITING, None)
        st.rerun()
    if saved:
        try:
            result = app.journal.update(
                user_id=user_id, entry_id=entry.id, title=title, body=body, region=region
            )
        except InvalidInput as problem:
            st.warning(str(problem))
        except NotFound as gone:
            _gone(str(gone))
        else:
            after_save(result)


def _lost_edit(app: App, user_id: str, entry_id: str) -> None:
    """The entry being edited is gone (deleted in another tab): say so, keep what was typed."""
    st.session_state.pop(_EDITING, None)
    try:
        app.journal.get(user_id=user_id, entry_id=entry_id)
    except NotFound as gone:
        st.info(str(gone))
        typed = st.session_state.get(f"journal_edit_body_{entry_id}")
        if typed:
            st.text_area("What you wrote, kept here to copy", value=typed, height=160)


def _delete(app: App, user_id: str, entry_id: str) -> None:
    try:
        app.journal.delete(user_id=user_id, entry_id=entry_id)
    except NotFound as gone:
        _gone(str(gone))
    else:
        st.session_state[_NOTICE] = "Entry deleted."
        st.rerun()


def _gone(message: str) -> None:
    """The entry vanished (deleted in another tab): say so and show the list as it is now."""
    st.session_state.pop(_EDITING, None)
    st.session_state[_NOTICE] = message
    st.rerun()
