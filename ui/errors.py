"""Kind error messages instead of tracebacks; the error id ties the message to the log line."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from core.logging_setup import new_error_id

log = logging.getLogger(__name__)


def show_unexpected_error() -> str:
    """Log the current exception under a fresh id and show a calm message; returns the id."""
    error_id = new_error_id()
    log.exception("unexpected error", extra={"error_id": error_id})
    st.error(
        "Sorry, something went wrong on our side. Anything you had already saved is safe. "
        f"Please try again; if it keeps happening, quote error id **{error_id}**."
    )
    return error_id


@contextmanager
def kind_errors() -> Iterator[None]:
    """Run a page; an unexpected exception becomes a kind message (st.rerun/st.stop pass)."""
    try:
        yield
    except ScriptControlException:
        raise
    except Exception:
        show_unexpected_error()
