"""The one place the Streamlit app builds core: once per process, shared by every session."""

from __future__ import annotations

import streamlit as st

from core.bootstrap import App, bootstrap


@st.cache_resource(show_spinner="Getting things ready…")
def get_app() -> App:
    """The composition root, built once per process (engines and models are thread-safe)."""
    return bootstrap()
