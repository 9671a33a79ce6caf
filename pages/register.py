"""Create an account."""

from __future__ import annotations

import streamlit as st

from core.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from ui import auth
from ui.runtime import get_app

app = get_app()
st.title("Create your account")
st.write(
    "Your journal and conversations are encrypted and only you can see them. "
    "We don't ask for your email or real name."
)

with st.form("register_form", border=True):
    username = st.text_input(
        "Username",
        key="register_username",
        max_chars=128,
        help="3–32 characters: letters a–z, digits, dots, dashes or underscores.",
    )
    display_name = st.text_input(
        "What should we call you?", key="register_display_name", max_chars=80
    )
    password = st.text_input(
        "Password",
        type="password",
        key="register_password",
        max_chars=MAX_PASSWORD_LENGTH * 2,
        help=f"At least {MIN_PASSWORD_LENGTH} characters. A few unrelated words work well.",
    )
    confirm = st.text_input(
        "Password again", type="password", key="register_confirm", max_chars=MAX_PASSWORD_LENGTH * 2
    )
    submitted = st.form_submit_button("Create account", type="primary", key="register_submit")

if submitted:
    problem = auth.register(
        app, username=username, display_name=display_name, password=password, confirm=confirm
    )
    if problem:
        st.error(problem)

st.divider()
st.page_link("pages/login.py", label="I already have an account", icon=":material/login:")
