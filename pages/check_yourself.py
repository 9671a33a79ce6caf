"""Check yourself: PHQ-9 and GAD-7, the result with its band, and the history of each."""

from __future__ import annotations

import streamlit as st

from core.journal_forms import local_time
from core.screening import GAD7, NOT_A_DIAGNOSIS, PHQ9, next_due
from ui.context import page_context
from ui.downloads import csv_download
from ui.screening import history_chart, questionnaire, show_outcome

here = page_context()
app, user = here.app, here.user
region, timezone = here.preferences.region, here.preferences.timezone

st.title("Check yourself")
st.caption(NOT_A_DIAGNOSIS)
show_outcome()

history = app.screening.history(user_id=user.id)
now = app.clock.now()
for which, tab in zip((PHQ9, GAD7), st.tabs([PHQ9.title, GAD7.title]), strict=True):
    with tab:
        taken = [view for view in history if view.instrument == which.id]
        due = next_due(taken[-1].taken_at if taken else None)
        if due is not None and due > now:
            st.info(
                f"You last checked on {local_time(taken[-1].taken_at, timezone):%d %B}. "
                f"Checking again every two weeks or so, from about "
                f"{local_time(due, timezone):%d %B}, shows how things change.",
                icon=":material/event_repeat:",
            )
        elif due is not None:
            st.info(
                "It's been two weeks or more since your last check: a good time for another.",
                icon=":material/event_repeat:",
            )
        questionnaire(app, user.id, which, region=region)
        st.subheader(f"Your {which.id} history")
        history_chart(history, which, timezone=timezone)

csv_download(app, user.id, "screening_results", label="Download my results (CSV)")
