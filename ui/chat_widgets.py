"""Pieces of the chat page: the conversation sidebar, one turn, an answer's footer."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from core.auth import AuthUser
from core.bootstrap import App
from core.chat import Answer, Turn
from core.errors import InvalidInput
from core.rendering import escape_markdown, safe_markdown
from core.safety import CrisisResources
from ui.crisis import show_crisis_resources

_CURRENT = "chat_conversation_id"
OFFLINE_NOTE = (
    "Offline mode: the language model isn't available right now, so this answer comes "
    "straight from the self-help guides."
)


def conversation_sidebar(app: App, user: AuthUser) -> str | None:
    """List, pick, start, rename and delete conversations; returns the open one (or None)."""
    conversations = app.conversations.recent(user_id=user.id)
    with st.sidebar:
        st.subheader("Conversations")
        if st.button(":material/add: New conversation", key="chat_new", width="stretch"):
            st.session_state[_CURRENT] = app.conversations.start(user_id=user.id)
            st.rerun()
        if not conversations:
            return st.session_state.get(_CURRENT)
        ids = [c.id for c in conversations]
        titles = {c.id: c.title for c in conversations}
        current = st.session_state.get(_CURRENT)
        chosen = st.radio(
            "Your conversations",
            ids,
            index=ids.index(current) if current in ids else 0,
            format_func=lambda cid: titles[cid],
            key="chat_pick",
            label_visibility="collapsed",
        )
        st.session_state[_CURRENT] = chosen
        with st.expander("Rename or delete"):
            title = st.text_input("New title", max_chars=80, key="chat_title")
            if st.button("Rename", key="chat_rename"):
                try:
                    app.conversations.rename(user_id=user.id, conversation_id=chosen, title=title)
                    st.rerun()
                except InvalidInput as problem:
                    st.warning(str(problem))
            sure = st.checkbox("Yes, delete this conversation", key="chat_delete_sure")
            if st.button("Delete", key="chat_delete", disabled=not sure):
                app.conversations.delete(user_id=user.id, conversation_id=chosen)
                st.session_state.pop(_CURRENT, None)
                st.rerun()
        return chosen


def show_turn(app: App, user: AuthUser, turn: Turn, resources: CrisisResources) -> None:
    """Draw one saved message."""
    if turn.role == "notice":
        st.info(turn.text, icon=":material/smart_toy:")
        return
    if turn.role == "assistant" and turn.safety_level == "crisis":
        show_crisis_resources(resources, message=turn.text)
        return
    with st.chat_message("user" if turn.role == "user" else "assistant"):
        # What the person wrote shows as typed; a model's answer keeps only harmless Markdown
        # (an image or link in either would make the browser fetch from outside).
        st.markdown(escape_markdown(turn.text) if turn.role == "user" else safe_markdown(turn.text))
        if turn.role == "assistant":
            if turn.offline:
                st.caption(":material/cloud_off: " + OFFLINE_NOTE)
            _sources_and_feedback(app, user, turn.id, turn.knowledge_ids)


def show_answer_footer(
    app: App, user: AuthUser, outcome: Answer, knowledge_ids: Sequence[str]
) -> None:
    """After a fresh answer: offline note (with the install command if the model is missing)."""
    if outcome.offline:
        st.caption(":material/cloud_off: " + OFFLINE_NOTE)
        if outcome.pull_command:
            st.caption(
                "The model isn't installed on the server. "
                f"To install it, run `{outcome.pull_command}`."
            )
    if outcome.message_id:
        _sources_and_feedback(app, user, outcome.message_id, knowledge_ids)


def _sources_and_feedback(
    app: App, user: AuthUser, message_id: str, knowledge_ids: Sequence[str]
) -> None:
    if knowledge_ids:
        titles = ", ".join(title for _, title in app.chat.sources(knowledge_ids))
        st.caption(f":material/menu_book: Based on: {titles}")
    st.feedback(
        "thumbs",
        key=f"feedback_{message_id}",
        on_change=_save_feedback,
        args=(app, user.id, message_id),
    )


def _save_feedback(app: App, user_id: str, message_id: str) -> None:
    vote = st.session_state.get(f"feedback_{message_id}")
    if vote is not None:
        app.conversations.feedback(user_id=user_id, message_id=message_id, helpful=vote == 1)
