"""Download buttons for a person's own data: one kind as CSV, or everything as a zip.

The file is built only when the button is pressed (Streamlit runs the callable then, on its own
thread), so drawing a page never decrypts a whole history, and each download is audit-logged
once, by `core.export`. Keys start with "download_".
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import streamlit as st

from core.bootstrap import App
from core.export import archive_name

log = logging.getLogger(__name__)
_FAILED = b"The download could not be made just now. Please try again in a moment.\r\n"


def _guarded(build: Callable[[], bytes], what: str) -> Callable[[], bytes]:
    """A builder that never raises into Streamlit's download thread."""

    def run() -> bytes:
        try:
            return build()
        except Exception as failure:  # a database hiccup: a short note instead of a trace
            log.error("export failed", extra={"what": what, "error": type(failure).__name__})
            return _FAILED

    return run


def csv_download(app: App, user_id: str, table: str, *, label: str) -> None:
    """A button that downloads this person's rows of `table` as CSV."""
    st.download_button(
        label,
        data=_guarded(lambda: app.export.table_csv(user_id=user_id, table=table), table),
        file_name=f"{table}.csv",
        mime="text/csv",
        key=f"download_{table}",
        icon=":material/download:",
        on_click="ignore",
    )


def archive_download(app: App, user_id: str) -> None:
    """The "Download all my data" button: the zip of every table with its README."""
    st.download_button(
        "Download all my data",
        data=_guarded(lambda: app.export.archive(user_id=user_id), "archive"),
        file_name=archive_name(app.clock.now()),
        mime="application/zip",
        key="download_all",
        icon=":material/download:",
        type="primary",
        on_click="ignore",
    )
