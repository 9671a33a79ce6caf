"""Settings: profile, password, sessions, and deleting the account."""

from __future__ import annotations

import streamlit as st

from core.auth import AuthError
from core.errors import InvalidInput
from core.profile import Preferences, time_zones
from core.safety import list_regions
from ui import auth
from ui.context import page_context
from ui.downloads import archive_download
from ui.health import show_health

_SAVED = "settings_profile_saved"

here = page_context()
app = here.app
user, prefs = here.user, here.preferences
regions = dict(list_regions())
zones = time_zones()

st.title("Settings")

with st.form("profile_form", border=True):
    st.subheader("Profile")
    name = st.text_input("Name", value=prefs.display_name, max_chars=80, key="profile_name")
    region = st.selectbox(
        "Region for crisis resources",
        options=list(regions),
        index=list(regions).index(prefs.region) if prefs.region in regions else 0,
        format_func=lambda code: regions[code],
        key="profile_region",
    )
    zone = st.selectbox(
        "Time zone",
        options=zones,
        index=zones.index(prefs.timezone) if prefs.timezone in zones else zones.index("UTC"),
        key="profile_timezone",
    )
    # No language choice until the language drives the replies, the crisis text and the page:
    # a setting that changes nothing misleads (the stored locale is kept as it is).
    if st.form_submit_button("Save profile", type="primary", key="profile_submit"):
        try:
            chosen = Preferences(name, region, zone, prefs.locale)
            app.profile.update(user_id=user.id, preferences=chosen)
        except InvalidInput as exc:
            st.error(str(exc))
        else:
            # Run again so the name in the sidebar and the crisis region follow at once; the
            # note is kept for that run rather than drawn in this one, which the rerun discards.
            st.session_state[_SAVED] = True
            st.rerun()
    if st.session_state.pop(_SAVED, False):
        st.success("Saved.")

with st.form("password_form", clear_on_submit=True, border=True):
    st.subheader("Change password")
    st.caption("Changing it logs you out on every other device.")
    current = st.text_input("Current password", type="password", key="pw_current")
    new = st.text_input("New password", type="password", key="pw_new", max_chars=256)
    again = st.text_input("New password again", type="password", key="pw_again", max_chars=256)
    if st.form_submit_button("Change password", key="pw_submit"):
        if new != again:
            st.error("The two new passwords don't match.")
        else:
            try:
                app.auth.change_password(
                    user_id=user.id,
                    current_password=current,
                    new_password=new,
                    keep_cookie_expiry=auth.current_cookie_expiry(),  # this device stays in
                )
                st.success("Password changed. Other devices have been logged out.")
            except (AuthError, InvalidInput) as exc:
                st.error(str(exc))

with st.container(border=True):
    st.subheader("Sessions")
    st.write("Lost a phone or used a shared computer? End every login, this one included.")
    if st.button("Log out everywhere", key="logout_everywhere"):
        app.auth.logout_everywhere(user_id=user.id)
        auth.log_out(app, user)

with st.container(border=True):
    st.subheader("Your data")
    st.write(
        "Everything you have stored here, in one zip: a spreadsheet file (CSV) for each kind "
        "of data, your writing decrypted for you, and a README that explains every column."
    )
    archive_download(app, user.id)

with st.expander("How the app is running", icon=":material/monitor_heart:"):
    show_health(app)

with st.expander("Delete my account"):
    st.warning(
        "This permanently deletes your account, journal, conversations and every other record. "
        "Your encryption key is destroyed, so it cannot be undone."
    )
    with st.form("delete_form", border=False):
        confirm = st.checkbox("I understand this cannot be undone", key="delete_confirm")
        password = st.text_input("Your password", type="password", key="delete_password")
        if st.form_submit_button("Delete everything", key="delete_submit"):
            if not confirm:
                st.error("Please tick the box to confirm.")
            else:
                try:
                    app.auth.delete_account(user_id=user.id, password=password)
                    auth.log_out(app, user, notice="Your account and all its data were deleted.")
                except AuthError as exc:
                    st.error(str(exc))
