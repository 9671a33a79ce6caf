"""The streamed answer on the page: "thinking" while the model is silent, then its words.

The stream yields "" while the model has said nothing yet; each of those redraws the thinking
line, which also lets Streamlit notice a click on Stop within a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import streamlit as st

from core.auth import AuthUser
from core.bootstrap import App
from core.chat import TurnPlan
from core.rendering import safe_markdown_stream
from ui.chat_widgets import show_answer_footer

_DOTS = ("", ".", "..", "...")


def with_thinking_line(stream: Iterable[str], label: str = "Thinking") -> Iterator[str]:
    """Pass the text on to `st.write_stream`; show a live thinking line until it starts."""
    line = st.empty()
    ticks = 0
    started = False
    for piece in stream:
        if piece:
            if not started:
                line.empty()
                started = True
            yield piece
        elif not started:
            line.caption(f":material/hourglass_top: {label}{_DOTS[ticks % len(_DOTS)]}")
            ticks += 1
        else:  # a pause mid-answer: drawing anything lets Streamlit notice Stop
            line.empty()
    line.empty()  # not in a `finally`: after Stop the script is gone and must not draw


def show_streamed_answer(app: App, user: AuthUser, plan: TurnPlan) -> None:
    """Stream the answer to `plan` with a Stop button, then its footer.

    What the model writes is shown through `safe_markdown_stream`: harmless formatting only,
    nothing that makes the browser load from elsewhere.
    """
    with st.chat_message("assistant"):
        stop_slot = st.empty()
        stop_slot.button("Stop", key="chat_stop", help="Stop the answer here")
        stream = app.chat.reply(plan, user_id=user.id)
        try:
            st.write_stream(with_thinking_line(safe_markdown_stream(stream)))
        finally:
            stream.close()
        stop_slot.empty()
        if stream.result is None:
            return
        show_answer_footer(
            app,
            user,
            stream.result,
            [hit.id for hit in plan.hits],
            plan.assessment.resources,
        )
        if stream.result.already_answered:
            st.caption("This message was answered in another tab; that answer is kept.")
