"""How the app's parts stand, for the person using it: honest, short, never technical noise."""

from __future__ import annotations

import streamlit as st

from core.bootstrap import App

_OK = ":material/check_circle:"
_NOT_OK = ":material/warning:"


def show_health(app: App) -> None:
    """One line a part: the safety screen, the guides' index, and (on request) the model."""
    for part in app.components():
        st.markdown(f"{_OK if part.ok else _NOT_OK} **{part.name.capitalize()}**: {part.detail}")
    if st.button("Check the language model", key="health_llm"):
        health = app.llm.health()
        st.markdown(f"{_OK if health.model_available else _NOT_OK} {health.detail}")
