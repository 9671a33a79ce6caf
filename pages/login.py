"""Log in."""

from __future__ import annotations

import streamlit as st

from ui import auth
from ui.runtime import get_app

app = get_app()
st.title("Welcome back")
st.write("A quiet place to check in with yourself. Log in to continue.")

message = auth.notice()
if message:
    st.info(message)

with st.form("login_form", clear_on_submit=False, border=True):
    username = st.text_input("Username", key="login_username", max_chars=128)
    password = st.text_input("Password", type="password", key="login_password", max_chars=256)
    submitted = st.form_submit_button("Log in", type="primary", key="login_submit")

if submitted:
    problem = auth.log_in(app, username=username, password=password)
    if problem:
        st.error(problem)

st.divider()
st.write("New here?")
st.page_link("pages/register.py", label="Create an account", icon=":material/person_add:")
