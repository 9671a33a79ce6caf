"""The one place the Streamlit app builds core: once per process, shared by every session."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from core.adapters import Adapters
from core.bootstrap import App, load_settings, start_app
from core.config import Settings

AdapterSet = Callable[[Settings], Adapters]
_adapter_set: list[AdapterSet] = []  # empty: the real adapters


def use_adapters(adapter_set: AdapterSet | None) -> None:
    """Build the app on another adapter set (the tests' fakes); None goes back to the real one.

    Takes effect for the next `get_app()` after `st.cache_resource.clear()`.
    """
    _adapter_set.clear()
    if adapter_set is not None:
        _adapter_set.append(adapter_set)


@st.cache_resource(show_spinner="Getting things ready…")
def get_app() -> App:
    """The composition root, built once per process (engines and models are thread-safe)."""
    settings = load_settings()
    adapters = _adapter_set[0](settings) if _adapter_set else None
    # A page load waits briefly; ui.startup then shows why, with the crisis numbers.
    return start_app(settings, adapters, db_wait_seconds=settings.db_startup_wait_seconds)
