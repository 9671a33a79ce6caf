"""Journal: free writing with a daily prompt, gratitude, thought records, and past entries."""

from __future__ import annotations

import streamlit as st

from core.journal_forms import Draft, ThoughtRecord, gratitude_entry, thought_record_entry
from ui.context import page_context
from ui.downloads import csv_download
from ui.journal import prepare_forms, save_draft, show_entries, show_outcome
from ui.journal_tools import search_panel, sentiment_chart

here = page_context()
app, user = here.app, here.user
region, timezone = here.preferences.region, here.preferences.timezone

FREE = {"journal_free_title": "", "journal_free_body": ""}
GRATITUDE = {"journal_grat_title": "", **{f"journal_grat_{n}": "" for n in range(3)}}
THOUGHT = {
    **{f"journal_tr_{name}": "" for name in ("situation", "thought", "emotion")},
    **{f"journal_tr_{name}": "" for name in ("for", "against", "balanced")},
    "journal_tr_intensity": 70,
    "journal_tr_after": 40,
}

prepare_forms(FREE, GRATITUDE, THOUGHT)
st.title("Journal")
st.caption("Private to you and encrypted at rest. Write as much or as little as you like.")
show_outcome()

free, gratitude, thought = st.tabs(["Free writing", "Gratitude", "Thought record"])

with free, st.form("journal_free_form", border=False):
    st.info(app.journal.daily_prompt(timezone=timezone), icon=":material/lightbulb:")
    title = st.text_input("Title (optional)", key="journal_free_title", max_chars=200)
    body = st.text_area("Your entry", key="journal_free_body", height=220)
    if st.form_submit_button("Save entry", type="primary", key="journal_free_save"):
        save_draft(app, user.id, region, lambda: Draft(title, body, "free"), reset=FREE)

with gratitude, st.form("journal_gratitude_form", border=False):
    st.caption("Three things that went well or that you're glad of, big or small.")
    things = [
        st.text_input(f"Good thing {n + 1}", key=f"journal_grat_{n}", max_chars=500)
        for n in range(3)
    ]
    title = st.text_input("Title (optional)", key="journal_grat_title", max_chars=200)
    if st.form_submit_button("Save gratitude", type="primary", key="journal_grat_save"):
        save_draft(
            app, user.id, region, lambda: gratitude_entry(things, title=title), reset=GRATITUDE
        )

with thought, st.form("journal_thought_form", border=False):
    st.caption(
        "A thought record helps you step back from a thought that hurts and look at it again. "
        "The first three parts are enough to start."
    )
    situation = st.text_area(
        "Situation: where were you, what happened?", key="journal_tr_situation"
    )
    automatic = st.text_area(
        "Automatic thought: what went through your mind?", key="journal_tr_thought"
    )
    emotion = st.text_input("Emotion: what did you feel?", key="journal_tr_emotion", max_chars=200)
    intensity = st.slider("How strong was it? (0–100)", 0, 100, key="journal_tr_intensity")
    evidence_for = st.text_area("Evidence that supports the thought", key="journal_tr_for")
    evidence_against = st.text_area("Evidence that doesn't fit it", key="journal_tr_against")
    balanced = st.text_area("A more balanced thought", key="journal_tr_balanced")
    after = st.slider("How strong is the emotion now? (0–100)", 0, 100, key="journal_tr_after")
    if st.form_submit_button("Save thought record", type="primary", key="journal_tr_save"):
        record = ThoughtRecord(
            situation,
            automatic,
            emotion,
            intensity,
            evidence_for,
            evidence_against,
            balanced,
            after,
        )
        save_draft(app, user.id, region, lambda: thought_record_entry(record), reset=THOUGHT)

sentiment_chart(app, user.id, timezone=timezone)

st.subheader("Your entries")
with st.expander("Search your entries", icon=":material/search:"):
    search_panel(app, user.id, region=region, timezone=timezone)
show_entries(app, user.id, region=region, timezone=timezone)
csv_download(app, user.id, "journal_entries", label="Download my journal (CSV)")
