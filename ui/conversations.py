"""The conversation list in the sidebar: pick, start, rename and delete conversations.

The open conversation lives in session state; every change goes through a callback, so it has
happened before the page runs again and the list, the selection and the page always agree.
"New conversation" opens an empty one without storing anything: it is created with its first
message. The list is drawn last (`conversation_sidebar`), so a conversation started in this
run is already in it.
"""

from __future__ import annotations

import streamlit as st

from core.auth import AuthUser
from core.bootstrap import App
from core.errors import InvalidInput, NotFound
from core.rendering import escape_markdown

_OPEN = "chat_conversation_id"
_PICK = "chat_pick"
_TITLE = "chat_title"
_PROBLEM = "chat_sidebar_problem"


def open_conversation(app: App, user: AuthUser) -> str | None:
    """The conversation the page shows; None for a new, empty one.

    On the first visit of a browser session it is the most recent conversation, so a reload
    brings the person back to where they were.
    """
    if _OPEN not in st.session_state:
        latest = app.conversations.recent(user_id=user.id, limit=1)
        st.session_state[_OPEN] = latest[0].id if latest else None
    conversation_id: str | None = st.session_state.get(_OPEN)
    return conversation_id


def show_conversation(conversation_id: str | None) -> None:
    """Make `conversation_id` the open one (e.g. after its first message created it)."""
    st.session_state[_OPEN] = conversation_id


def conversation_sidebar(app: App, user: AuthUser) -> None:
    """Draw the list with the open conversation selected, and its actions."""
    conversations = app.conversations.recent(user_id=user.id)
    current: str | None = st.session_state.get(_OPEN)
    with st.sidebar:
        st.subheader("Conversations")
        st.button(":material/add: New conversation", key="chat_new", width="stretch", on_click=_new)
        if not conversations:
            return
        titles = {c.id: escape_markdown(c.title) for c in conversations}
        ids = list(titles)
        st.session_state[_PICK] = current if current in titles else None
        st.radio(
            "Your conversations",
            ids,
            format_func=titles.__getitem__,
            key=_PICK,
            on_change=_picked,
            label_visibility="collapsed",
        )
        if current not in titles:
            return
        with st.expander("Rename or delete"):
            st.text_input("New title", max_chars=80, key=_TITLE)
            st.button("Rename", key="chat_rename", on_click=_rename, args=(app, user, current))
            sure = st.checkbox("Yes, delete this conversation", key="chat_delete_sure")
            st.button(
                "Delete",
                key="chat_delete",
                disabled=not sure,
                on_click=_delete,
                args=(app, user, current),
            )
            problem = st.session_state.pop(_PROBLEM, None)
            if problem:
                st.warning(problem)


def _new() -> None:
    st.session_state[_OPEN] = None


def _picked() -> None:
    st.session_state[_OPEN] = st.session_state.get(_PICK)


def _rename(app: App, user: AuthUser, conversation_id: str) -> None:
    try:
        app.conversations.rename(
            user_id=user.id, conversation_id=conversation_id, title=st.session_state.get(_TITLE)
        )
        st.session_state[_TITLE] = ""
    except (InvalidInput, NotFound) as problem:
        st.session_state[_PROBLEM] = str(problem)


def _delete(app: App, user: AuthUser, conversation_id: str) -> None:
    try:
        app.conversations.delete(user_id=user.id, conversation_id=conversation_id)
    except NotFound:
        pass  # already gone (another tab): nothing left to do
    st.session_state[_OPEN] = None
    st.session_state["chat_delete_sure"] = False
