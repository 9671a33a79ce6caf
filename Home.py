"""The frame: page config, the login gate, navigation. Each page lives in pages/."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.logging_setup import log_context
from core.rendering import escape_markdown
from core.safety import resources_for
from ui import auth, context
from ui.crisis import crisis_expander
from ui.errors import kind_errors
from ui.notifications import sidebar_count
from ui.runtime import get_app
from ui.startup import show_startup_failure

# A local file: a ":material/...:" page icon makes the browser fetch it from Google's servers.
ICON = Path(__file__).parent / "static" / "icon.png"
st.set_page_config(page_title="Companion", page_icon=str(ICON), layout="centered")

# Sections people understand; a new page is one line here (empty sections are not shown).
LOGGED_IN_PAGES: dict[str, list[st.Page]] = {
    "": [st.Page("pages/home.py", title="Home", icon=":material/home:", default=True)],
    "Track": [
        st.Page("pages/mood.py", title="Mood", icon=":material/mood:"),
        st.Page("pages/journal.py", title="Journal", icon=":material/edit_note:"),
        st.Page("pages/checkin.py", title="Check in", icon=":material/mood:"),
        st.Page("pages/check_yourself.py", title="Check yourself", icon=":material/checklist:"),
    ],
    "Practice": [
        st.Page("pages/breathe.py", title="Breathe", icon=":material/air:"),
        st.Page("pages/sleep.py", title="Sleep", icon=":material/bedtime:"),
    ],
    "Support": [st.Page("pages/chat.py", title="Talk it through", icon=":material/forum:")],
    "Account": [
        st.Page("pages/reminders.py", title="Reminders", icon=":material/alarm:"),
        st.Page("pages/settings.py", title="Settings", icon=":material/settings:"),
    ],
}
LOGGED_OUT_PAGES = [
    st.Page("pages/login.py", title="Log in", icon=":material/login:", default=True),
    st.Page("pages/register.py", title="Create an account", icon=":material/person_add:"),
    # An app page's address (a bookmark, an expired session) shows the login there, not "Page
    # not found". A page is known by its address, so the rerun after logging in opens the page.
    *[
        st.Page("pages/login.py", title="Log in", icon=":material/login:", url_path=page.url_path)
        for pages in LOGGED_IN_PAGES.values()
        for page in pages
        if page.url_path  # the default page lives at "/", the login's own address
    ],
]

try:
    app = get_app()
except Exception as failure:  # the database is down, or the settings are wrong
    show_startup_failure(failure)  # a kind reason, and the crisis numbers, needing no database
    st.stop()

cookie_slot = st.container()  # first in every run, so nothing after it shifts
with log_context() as request_id, kind_errors():
    user = auth.current_user(app, cookie_slot)
    if user is None:
        context.forget()
        page = st.navigation(LOGGED_OUT_PAGES, position="hidden")
    else:
        here = context.resolve(app, user)
        with st.sidebar:
            st.caption(f"Logged in as **{escape_markdown(user.display_name)}**")
            sidebar_count(app, user.id)
            if st.button("Log out", key="logout_button", width="stretch"):
                auth.log_out(app, user)
            # Help is one click away on every page, whatever the detector says.
            crisis_expander(here.resources)
        page = st.navigation({name: pages for name, pages in LOGGED_IN_PAGES.items() if pages})
    with log_context(user_id=user.id if user else None, request_id=request_id):
        page.run()
    if user is None:
        crisis_expander(resources_for(app.settings.default_region))
