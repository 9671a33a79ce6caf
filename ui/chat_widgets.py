"""Pieces of the chat page: one saved turn, and an answer's footer (the conversation list is
ui/conversations.py)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from core.auth import AuthUser
from core.bootstrap import App
from core.chat import Answer, Turn
from core.rendering import escape_markdown, safe_markdown
from core.safety import CrisisResources
from ui.crisis import help_now_line, show_crisis_resources

OFFLINE_NOTE = (
    "Offline mode: the language model isn't available right now, so this answer comes "
    "straight from the self-help guides."
)


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
                help_now_line(resources)
            _sources_and_feedback(app, user, turn.id, turn.knowledge_ids)


def show_answer_footer(
    app: App,
    user: AuthUser,
    outcome: Answer,
    knowledge_ids: Sequence[str],
    resources: CrisisResources,
) -> None:
    """After a fresh answer: offline note (with the install command if the model is missing)
    and, under an answer from the guides, the crisis numbers they point to."""
    if outcome.offline:
        st.caption(":material/cloud_off: " + OFFLINE_NOTE)
        help_now_line(resources)
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
