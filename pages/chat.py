"""Talk it through: the chat companion."""

from __future__ import annotations

import streamlit as st

from core.chat import MAX_MESSAGE_CHARS, Turn, TurnPlan
from core.errors import InvalidInput, NotFound
from core.rendering import escape_markdown
from core.safety import resources_for
from ui.answer import show_streamed_answer
from ui.chat_widgets import show_turn
from ui.context import page_context
from ui.conversations import conversation_sidebar, open_conversation, show_conversation
from ui.crisis import show_crisis_resources

PASTE_LIMIT_CHARS = 20 * MAX_MESSAGE_CHARS

here = page_context()
app, user, region = here.app, here.user, here.preferences.region

st.title("Talk it through")
conversation_id = open_conversation(app, user)
history: list[Turn] = []
if conversation_id:
    try:
        history = app.conversations.history(user_id=user.id, conversation_id=conversation_id)
    except NotFound:  # deleted in another tab
        show_conversation(None)
        conversation_id = None
if not history:
    st.caption(
        "Write how you feel, in your own words. I'm an AI companion, not a person or a "
        "clinician; I share self-help ideas and can't diagnose or treat."
    )
for turn in history:
    # A crisis reply shows the numbers it was given, even after a change of region.
    show_turn(app, user, turn, resources_for(turn.region) if turn.region else here.resources)

plan: TurnPlan | None = None
if conversation_id and history and history[-1].role == "user":
    st.caption("This message didn't get an answer yet.")
    if st.button("Answer it", key="chat_resume", icon=":material/replay:"):
        plan = app.chat.resume(user_id=user.id, conversation_id=conversation_id, region=region)

# The box takes far more than a message may hold, so a long paste reaches the check below and
# is kept on the page, rather than being cut or dropped by the browser.
text = st.chat_input("How are you feeling right now?", max_chars=PASTE_LIMIT_CHARS)
if text:
    try:
        plan = app.chat.prepare(
            user_id=user.id, conversation_id=conversation_id, text=text, region=region
        )
    except InvalidInput as problem:
        st.warning(str(problem))
        if len(text) > MAX_MESSAGE_CHARS:
            st.text_area("What you wrote, kept here to send in parts", value=text, height=200)
    else:
        show_conversation(plan.conversation_id)
        if plan.disclosure:
            st.info(plan.disclosure, icon=":material/smart_toy:")
        with st.chat_message("user"):
            st.markdown(escape_markdown(text))
if plan is not None:
    if plan.is_crisis:
        show_crisis_resources(plan.assessment.resources, message=plan.assessment.message)
    else:
        show_streamed_answer(app, user, plan)
        if plan.assessment.show_resources:
            show_crisis_resources(plan.assessment.resources, message=plan.assessment.message)

conversation_sidebar(app, user)  # last, so a conversation started just now is listed
